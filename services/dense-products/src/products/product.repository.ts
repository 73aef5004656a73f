import { Injectable } from '@nestjs/common';
import { BusinessDate, Money } from '@ipfin/kernel';
import type { EntityManager } from 'typeorm';
import type { PatentHolding } from './domain/patent-eligibility';
import type { EarlierFiling, EnterpriseSize, Product, ProductStatus } from './domain/product';
import type { ProductMessage } from './product-messages';

/** What a product's reward stands at (null on the record until its first decision). */
export interface StoredReward {
  readonly amount: Money;
  /** per-product | cap-remainder | cap-reached | no-policy | recognition-withdrawn */
  readonly basis: string;
  readonly policyRegion: string | null;
}

/** A stored product: the domain value plus what only the service keeps. */
export interface ProductRecord {
  readonly product: Product;
  /** Insertion order (bigint as a decimal string): the lists' keyset. */
  readonly seq: string;
  readonly filedBy: string;
  readonly recognitionLine: bigint | null;
  readonly reward: StoredReward | null;
  /** `sequence` of the product's latest event. */
  readonly lastSequence: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface ProductHistoryRow {
  readonly sequence: number;
  readonly type: string;
  readonly payload: Record<string, unknown>;
  readonly recordedAt: Date;
}

/** A recognition (in force or withdrawn) as the reward computation of its enterprise and year reads it. */
export interface RecognitionRow {
  readonly productId: string;
  readonly enterpriseRegion: string;
  readonly recognisedOn: string;
  readonly line: bigint;
  readonly withdrawn: boolean;
  readonly rewardFen: bigint | null;
  readonly lastSequence: number;
}

export interface RewardUpdate {
  readonly productId: string;
  readonly amount: Money;
  readonly basis: string;
  readonly policyRegion: string | null;
  readonly sequence: number;
}

export interface ProductListFilter {
  readonly enterpriseUscc?: string;
  readonly agencyId?: string;
  readonly regionFrom?: string;
  readonly regionTo?: string;
  readonly status?: ProductStatus;
  readonly afterSeq?: string;
  readonly limit: number;
}

interface ProductRow {
  id: string;
  seq: string;
  enterprise_uscc: string;
  enterprise_name: string;
  enterprise_region: string;
  enterprise_size: EnterpriseSize | null;
  agency_id: string | null;
  filed_by: string;
  name: string;
  name_key: string;
  category: string | null;
  patents: string[];
  holdings: PatentHolding[];
  filed_on: string;
  filing_year: number;
  annual_revenue_fen: string | null;
  status: ProductStatus;
  recognised_on: string | null;
  certificate_no: string | null;
  recognition_year: number | null;
  recognition_line: string | null;
  rejected_on: string | null;
  rejection_reason: string | null;
  withdrawn_on: string | null;
  withdrawal_reason: string | null;
  reward_fen: string | null;
  reward_basis: string | null;
  policy_region: string | null;
  last_sequence: number;
  created_at: Date;
  updated_at: Date;
}

// Dates as text: node-postgres would turn a `date` into a local-midnight Date.
const COLUMNS = `id, seq::text as seq, enterprise_uscc, enterprise_name, enterprise_region, enterprise_size, agency_id, filed_by,
  name, name_key, category, patents, holdings, filed_on::text as filed_on, filing_year, annual_revenue_fen::text as annual_revenue_fen,
  status, recognised_on::text as recognised_on, certificate_no, recognition_year, recognition_line::text as recognition_line,
  rejected_on::text as rejected_on, rejection_reason, withdrawn_on::text as withdrawn_on, withdrawal_reason,
  reward_fen::text as reward_fen, reward_basis, policy_region, last_sequence, created_at, updated_at`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `id` can be a product id at all (anything else is simply not found). */
export const isProductId = (id: string): boolean => UUID.test(id);

function toRecord(row: ProductRow): ProductRecord {
  const product: Product = {
    id: row.id,
    enterprise: {
      uscc: row.enterprise_uscc,
      name: row.enterprise_name,
      regionCode: row.enterprise_region,
      ...(row.enterprise_size === null ? {} : { size: row.enterprise_size }),
    },
    ...(row.agency_id === null ? {} : { agencyId: row.agency_id }),
    name: row.name,
    nameKey: row.name_key,
    ...(row.category === null ? {} : { category: row.category }),
    patents: row.patents,
    filedOn: BusinessDate.parse(row.filed_on),
    filingYear: row.filing_year,
    ...(row.annual_revenue_fen === null ? {} : { annualRevenue: Money.fromFen(BigInt(row.annual_revenue_fen)) }),
    status: row.status,
    holdings: row.holdings,
    ...(row.recognised_on === null || row.certificate_no === null || row.recognition_year === null
      ? {}
      : {
          recognition: {
            recognisedOn: BusinessDate.parse(row.recognised_on),
            certificateNo: row.certificate_no,
            year: row.recognition_year,
          },
        }),
    ...(row.rejected_on === null || row.rejection_reason === null
      ? {}
      : { rejection: { rejectedOn: BusinessDate.parse(row.rejected_on), reason: row.rejection_reason } }),
    ...(row.withdrawn_on === null || row.withdrawal_reason === null
      ? {}
      : { withdrawal: { withdrawnOn: BusinessDate.parse(row.withdrawn_on), reason: row.withdrawal_reason } }),
  };
  return {
    product,
    seq: row.seq,
    filedBy: row.filed_by,
    recognitionLine: row.recognition_line === null ? null : BigInt(row.recognition_line),
    reward:
      row.reward_fen === null
        ? null
        : {
            amount: Money.fromFen(BigInt(row.reward_fen)),
            basis: row.reward_basis ?? 'per-product',
            policyRegion: row.policy_region,
          },
    lastSequence: row.last_sequence,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** SQL of products, their histories and their rewards: a handful of statements per request. */
@Injectable()
export class ProductRepository {
  async find(m: EntityManager, id: string): Promise<ProductRecord | null> {
    if (!isProductId(id)) return null;
    const rows: ProductRow[] = await m.query(`select ${COLUMNS} from products where id = $1`, [id]);
    return rows.length === 0 ? null : toRecord(rows[0]);
  }

  /**
   * Locks the enterprises until the transaction ends: a transaction-scoped advisory lock per USCC
   * (class: this schema's products, so another schema never contends). `ipfin.products.v1` is keyed
   * by the enterprise, and the relay publishes in outbox id order, so every transaction that
   * enqueues an enterprise's events takes this first, before anything it reads to decide them:
   * those transactions then take their outbox ids and commit one after the other, per enterprise,
   * in any number of processes (guarantee 3). Several enterprises are locked in one statement in
   * key order, so two transactions cannot deadlock on them; a hash collision only serialises more.
   */
  async lockEnterprises(m: EntityManager, usccs: readonly string[]): Promise<void> {
    if (usccs.length === 0) return;
    await m.query(
      `select count(pg_advisory_xact_lock(hashtext(current_schema() || '.products.enterprise'), k))
         from (select distinct hashtext(u) as k from unnest($1::text[]) as u order by 1 offset 0) as keys`,
      [[...new Set(usccs)]],
    );
  }

  /** The product, locked until the transaction ends. */
  async lock(m: EntityManager, id: string): Promise<ProductRecord | null> {
    if (!isProductId(id)) return null;
    const rows: ProductRow[] = await m.query(`select ${COLUMNS} from products where id = $1 for update`, [id]);
    return rows.length === 0 ? null : toRecord(rows[0]);
  }

  /** The enterprise's filings of a year, for the duplicate check. */
  async earlierFilings(m: EntityManager, enterpriseUscc: string, year: number): Promise<EarlierFiling[]> {
    const rows: { id: string; name_key: string; filing_year: number; status: ProductStatus }[] = await m.query(
      'select id, name_key, filing_year, status from products where enterprise_uscc = $1 and filing_year = $2',
      [enterpriseUscc, year],
    );
    return rows.map((r) => ({
      id: r.id,
      enterprise: { uscc: enterpriseUscc },
      nameKey: r.name_key,
      filingYear: r.filing_year,
      status: r.status,
    }));
  }

  /** The product carrying this certificate number, if any. */
  async certificateHolder(m: EntityManager, certificateNo: string): Promise<string | null> {
    const rows: { id: string }[] = await m.query('select id from products where certificate_no = $1', [certificateNo]);
    return rows[0]?.id ?? null;
  }

  async insert(m: EntityManager, product: Product, opts: { filedBy: string; now: Date }): Promise<void> {
    await m.query(
      `insert into products (id, enterprise_uscc, enterprise_name, enterprise_region, enterprise_size, agency_id, filed_by,
                             name, name_key, category, patents, holdings, filed_on, filing_year, annual_revenue_fen, status,
                             last_sequence, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::text[], $12::jsonb, $13::date, $14, $15::bigint, $16, 1, $17, $17)`,
      [
        product.id,
        product.enterprise.uscc,
        product.enterprise.name,
        product.enterprise.regionCode,
        product.enterprise.size ?? null,
        product.agencyId ?? null,
        opts.filedBy,
        product.name,
        product.nameKey,
        product.category ?? null,
        product.patents,
        JSON.stringify(product.holdings),
        product.filedOn.toString(),
        product.filingYear,
        product.annualRevenue?.fen.toString() ?? null,
        product.status,
        opts.now,
      ],
    );
  }

  /** Stores a decision (recognition, rejection, withdrawal) and the product's new latest sequence. */
  async saveDecision(
    m: EntityManager,
    product: Product,
    opts: { lastSequence: number; recognitionLine?: bigint; now: Date },
  ): Promise<void> {
    await m.query(
      `update products set status = $2, recognised_on = $3::date, certificate_no = $4, recognition_year = $5,
              recognition_line = coalesce($6::bigint, recognition_line), rejected_on = $7::date, rejection_reason = $8,
              withdrawn_on = $9::date, withdrawal_reason = $10, last_sequence = $11, updated_at = $12
        where id = $1`,
      [
        product.id,
        product.status,
        product.recognition?.recognisedOn.toString() ?? null,
        product.recognition?.certificateNo ?? null,
        product.recognition?.year ?? null,
        opts.recognitionLine?.toString() ?? null,
        product.rejection?.rejectedOn.toString() ?? null,
        product.rejection?.reason ?? null,
        product.withdrawal?.withdrawnOn.toString() ?? null,
        product.withdrawal?.reason ?? null,
        opts.lastSequence,
        opts.now,
      ],
    );
  }

  /** Every recognition (in force or withdrawn) of the enterprise whose reward counts in `year`. */
  async recognitionsOfYear(m: EntityManager, enterpriseUscc: string, year: number): Promise<RecognitionRow[]> {
    const rows: {
      id: string;
      enterprise_region: string;
      recognised_on: string;
      recognition_line: string;
      status: ProductStatus;
      reward_fen: string | null;
      last_sequence: number;
    }[] = await m.query(
      `select id, enterprise_region, recognised_on::text as recognised_on, recognition_line::text as recognition_line, status,
              reward_fen::text as reward_fen, last_sequence
         from products
        where enterprise_uscc = $1 and recognition_year = $2 and status in ('recognised', 'withdrawn')
        order by recognised_on, recognition_line`,
      [enterpriseUscc, year],
    );
    return rows.map((r) => ({
      productId: r.id,
      enterpriseRegion: r.enterprise_region,
      recognisedOn: r.recognised_on,
      line: BigInt(r.recognition_line),
      withdrawn: r.status === 'withdrawn',
      rewardFen: r.reward_fen === null ? null : BigInt(r.reward_fen),
      lastSequence: r.last_sequence,
    }));
  }

  /** New reward standings, one statement for all products of a computation. */
  async saveRewards(m: EntityManager, updates: readonly RewardUpdate[], now: Date): Promise<void> {
    if (updates.length === 0) return;
    await m.query(
      `update products p set reward_fen = u.amount, reward_basis = u.basis, policy_region = u.policy_region,
              last_sequence = u.sequence, updated_at = $6
         from unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::int[]) as u(id, amount, basis, policy_region, sequence)
        where p.id = u.id`,
      [
        updates.map((u) => u.productId),
        updates.map((u) => u.amount.fen.toString()),
        updates.map((u) => u.basis),
        updates.map((u) => u.policyRegion),
        updates.map((u) => u.sequence),
        now,
      ],
    );
  }

  /** Appends the events to the products' histories (one statement). */
  async appendHistory(
    m: EntityManager,
    messages: readonly ProductMessage[],
    ceIds: readonly string[],
    now: Date,
  ): Promise<void> {
    if (messages.length === 0) return;
    await m.query(
      `insert into product_events (product_id, sequence, type, ce_id, payload, recorded_at)
       select u.product_id, u.sequence, u.type, u.ce_id, u.payload, $6
         from unnest($1::uuid[], $2::int[], $3::text[], $4::uuid[], $5::jsonb[]) as u(product_id, sequence, type, ce_id, payload)`,
      [
        messages.map((msg) => msg.productId),
        messages.map((msg) => msg.sequence),
        messages.map((msg) => msg.name),
        ceIds,
        messages.map((msg) => JSON.stringify(msg.data)),
        now,
      ],
    );
  }

  async history(m: EntityManager, productId: string): Promise<ProductHistoryRow[]> {
    const rows: { sequence: number; type: string; payload: Record<string, unknown>; recorded_at: Date }[] =
      await m.query(
        'select sequence, type, payload, recorded_at from product_events where product_id = $1 order by sequence',
        [productId],
      );
    return rows.map((r) => ({ sequence: r.sequence, type: r.type, payload: r.payload, recordedAt: r.recorded_at }));
  }

  /** One page (and one row more, telling that more exist) in insertion order. */
  async list(m: EntityManager, f: ProductListFilter): Promise<ProductRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (value: unknown): string => `$${params.push(value)}`;
    if (f.enterpriseUscc !== undefined) where.push(`enterprise_uscc = ${p(f.enterpriseUscc)}`);
    if (f.agencyId !== undefined) where.push(`agency_id = ${p(f.agencyId)}`);
    if (f.regionFrom !== undefined && f.regionTo !== undefined)
      where.push(`enterprise_region between ${p(f.regionFrom)} and ${p(f.regionTo)}`);
    if (f.status !== undefined) where.push(`status = ${p(f.status)}`);
    if (f.afterSeq !== undefined) where.push(`seq > ${p(f.afterSeq)}::bigint`);
    const rows: ProductRow[] = await m.query(
      `select ${COLUMNS} from products ${where.length === 0 ? '' : `where ${where.join(' and ')}`}
        order by seq limit ${p(f.limit + 1)}`,
      params,
    );
    return rows.map(toRecord);
  }
}
