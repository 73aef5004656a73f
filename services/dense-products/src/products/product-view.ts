import type { PatentHolding } from './domain/patent-eligibility';
import type { ProductDetailView, ProductHistoryEntryView, ProductView, RewardStanding } from './dto/product-view.dto';
import type { ProductHistoryRow, ProductRecord } from './product.repository';

function holdingView(h: PatentHolding): ProductView['holdings'][number] {
  return h.basis === 'owner'
    ? { number: h.number, basis: 'owner' }
    : { number: h.number, basis: 'licence', licenceId: h.licenceId, licenceKind: h.licenceKind, source: h.source };
}

/** A product as `GET /v1/products` lists it. */
export function productView(record: ProductRecord): ProductView {
  const p = record.product;
  return {
    id: p.id,
    status: p.status,
    name: p.name,
    ...(p.category === undefined ? {} : { category: p.category }),
    enterprise: {
      uscc: p.enterprise.uscc,
      name: p.enterprise.name,
      regionCode: p.enterprise.regionCode,
      ...(p.enterprise.size === undefined ? {} : { size: p.enterprise.size }),
    },
    ...(p.agencyId === undefined ? {} : { agencyId: p.agencyId }),
    patents: [...p.patents],
    holdings: p.holdings.map(holdingView),
    filedOn: p.filedOn.toString(),
    ...(p.annualRevenue === undefined ? {} : { annualRevenue: p.annualRevenue.toString() }),
    ...(p.recognition === undefined
      ? {}
      : {
          recognition: {
            recognisedOn: p.recognition.recognisedOn.toString(),
            certificateNo: p.recognition.certificateNo,
            year: p.recognition.year,
          },
        }),
    ...(p.rejection === undefined
      ? {}
      : { rejection: { rejectedOn: p.rejection.rejectedOn.toString(), reason: p.rejection.reason } }),
    ...(p.withdrawal === undefined
      ? {}
      : { withdrawal: { withdrawnOn: p.withdrawal.withdrawnOn.toString(), reason: p.withdrawal.reason } }),
    ...(record.reward === null || p.recognition === undefined
      ? {}
      : {
          reward: {
            year: p.recognition.year,
            amount: record.reward.amount.toString(),
            basis: record.reward.basis as RewardStanding,
            ...(record.reward.policyRegion === null ? {} : { policyRegion: record.reward.policyRegion }),
          },
        }),
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

const REPEATED_FIELDS = new Set(['productId', 'enterprise', 'sequence', 'recordedAt']);

function historyEntry(row: ProductHistoryRow): ProductHistoryEntryView {
  // The filing's enterprise is the product's; later events repeat only its key.
  const data = Object.fromEntries(Object.entries(row.payload).filter(([key]) => !REPEATED_FIELDS.has(key)));
  return { sequence: row.sequence, type: row.type, recordedAt: row.recordedAt.toISOString(), data };
}

/** A product as `GET /v1/products/{id}` and the write endpoints answer it: with its history. */
export function productDetailView(record: ProductRecord, history: readonly ProductHistoryRow[]): ProductDetailView {
  return { ...productView(record), history: history.map(historyEntry) };
}
