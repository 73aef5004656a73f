import { BusinessDate, Money } from '@ipfin/kernel';
import { facetTokens, rankKey } from './patent-search';
import {
  listingSearchDocument,
  openLicenceLastDay,
  readPatentNumber,
  searchGrams,
  withoutUndefined,
  type ActorRole,
  type Counterparty,
  type Licence,
  type LicenceKind,
  type ListedPatentState,
  type OpenLicence,
  type PatentGrade,
  type PatentOwner,
  type PatentStatus,
  type PledgeRef,
  type Royalty,
  type Transfer,
} from './domain';

/*
 * Storage form of a listed patent: listing fields in columns, the nested parts (owner, licences,
 * open licence, transfers) as the `state` jsonb below, with dates as `YYYY-MM-DD` and money as
 * decimal strings, i.e. exactly as the API shows them. Pledges are not stored with the patent:
 * they live in `patent_pledges`, folded from the loan stream.
 */

export interface OwnerJson {
  readonly sub?: string;
  readonly role?: ActorRole;
  readonly uscc?: string;
  readonly name?: string;
  readonly region: string;
}

export type RoyaltyJson =
  | { readonly kind: 'lump_sum'; readonly amount: string }
  | { readonly kind: 'percent_of_sales'; readonly percent: string };

export interface LicenceJson {
  readonly id: string;
  readonly kind: LicenceKind;
  readonly licensee: Counterparty;
  readonly royalty: RoyaltyJson;
  readonly contractDate: string;
  readonly startsOn: string;
  readonly endsOn: string;
  readonly recordedOn?: string;
  readonly agencyId?: string;
  readonly viaOpenLicence: boolean;
  readonly openLicenceDeclaredOn?: string;
}

export interface OpenLicenceJson {
  readonly royalty: RoyaltyJson;
  readonly termYears: number;
  readonly declaredOn: string;
  readonly expiresOn: string;
  readonly withdrawnOn?: string;
  readonly evaluationReportNo?: string;
  readonly pledgeeConsent: boolean;
}

export interface TransferJson {
  readonly id: string;
  readonly from: OwnerJson;
  readonly assignee: Counterparty;
  readonly price: string;
  readonly contractDate: string;
  readonly recordedOn?: string;
  readonly agencyId?: string;
  readonly pledgeeConsent: boolean;
}

/** The `state` column. */
export interface PatentStateJson {
  readonly owner: OwnerJson;
  readonly filingDate?: string;
  readonly licences: readonly LicenceJson[];
  readonly openLicence?: OpenLicenceJson;
  readonly transfers: readonly TransferJson[];
}

/** A `patents` row as the repository selects it (dates cast to text). */
export interface PatentRow {
  readonly number: string;
  readonly status: string;
  readonly title: string;
  readonly abstract: string | null;
  readonly keywords: string[];
  readonly ipc: string | null;
  readonly granted_on: string | null;
  readonly grade: string | null;
  readonly category: string | null;
  readonly listed_on: string;
  readonly updated_on: string;
  readonly state: PatentStateJson;
}

/** The columns a listed patent is written with (`jsonb_to_recordset` record). */
export interface PatentWriteRow {
  readonly number: string;
  readonly kind: string;
  readonly status: string;
  readonly title: string;
  readonly abstract: string | null;
  readonly keywords: readonly string[];
  readonly ipc: string | null;
  readonly granted_on: string | null;
  readonly grade: string | null;
  readonly category: string | null;
  readonly owner_sub: string | null;
  readonly owner_uscc: string | null;
  readonly owner_region: string;
  readonly listed_on: string;
  readonly updated_on: string;
  readonly state: PatentStateJson;
  readonly search_title: string;
  readonly title_grams: readonly string[];
  readonly search_text: string;
  readonly search_grams: readonly string[];
  readonly rank_key: string;
  readonly open_licence_days: string | null;
  readonly exclusive_days: string;
}

const date = (text: string): BusinessDate => BusinessDate.parse(text);
const optionalDate = (text: string | null | undefined): BusinessDate | undefined =>
  text === null || text === undefined ? undefined : BusinessDate.parse(text);

export function ownerJson(owner: PatentOwner): OwnerJson {
  return withoutUndefined({ sub: owner.sub, role: owner.role, uscc: owner.uscc, name: owner.name, region: owner.region });
}

export function royaltyJson(royalty: Royalty): RoyaltyJson {
  switch (royalty.kind) {
    case 'lump_sum':
      return { kind: 'lump_sum', amount: royalty.amount.toString() };
    case 'percent_of_sales':
      return { kind: 'percent_of_sales', percent: royalty.percent };
  }
}

function royaltyFromJson(json: RoyaltyJson): Royalty {
  switch (json.kind) {
    case 'lump_sum':
      return { kind: 'lump_sum', amount: Money.parse(json.amount) };
    case 'percent_of_sales':
      return { kind: 'percent_of_sales', percent: json.percent };
  }
}

export function licenceJson(licence: Licence): LicenceJson {
  return withoutUndefined({
    id: licence.id,
    kind: licence.kind,
    licensee: licence.licensee,
    royalty: royaltyJson(licence.royalty),
    contractDate: licence.contractDate.toString(),
    startsOn: licence.startsOn.toString(),
    endsOn: licence.endsOn.toString(),
    recordedOn: licence.recordedOn?.toString(),
    agencyId: licence.agencyId,
    viaOpenLicence: licence.viaOpenLicence,
    openLicenceDeclaredOn: licence.openLicenceDeclaredOn?.toString(),
  });
}

function licenceFromJson(json: LicenceJson): Licence {
  return withoutUndefined({
    id: json.id,
    kind: json.kind,
    licensee: json.licensee,
    royalty: royaltyFromJson(json.royalty),
    contractDate: date(json.contractDate),
    startsOn: date(json.startsOn),
    endsOn: date(json.endsOn),
    recordedOn: optionalDate(json.recordedOn),
    agencyId: json.agencyId,
    viaOpenLicence: json.viaOpenLicence,
    openLicenceDeclaredOn: optionalDate(json.openLicenceDeclaredOn),
  });
}

export function openLicenceJson(openLicence: OpenLicence): OpenLicenceJson {
  return withoutUndefined({
    royalty: royaltyJson(openLicence.royalty),
    termYears: openLicence.termYears,
    declaredOn: openLicence.declaredOn.toString(),
    expiresOn: openLicence.expiresOn.toString(),
    withdrawnOn: openLicence.withdrawnOn?.toString(),
    evaluationReportNo: openLicence.evaluationReportNo,
    pledgeeConsent: openLicence.pledgeeConsent,
  });
}

function openLicenceFromJson(json: OpenLicenceJson): OpenLicence {
  return withoutUndefined({
    royalty: royaltyFromJson(json.royalty),
    termYears: json.termYears,
    declaredOn: date(json.declaredOn),
    expiresOn: date(json.expiresOn),
    withdrawnOn: optionalDate(json.withdrawnOn),
    evaluationReportNo: json.evaluationReportNo,
    pledgeeConsent: json.pledgeeConsent,
  });
}

export function transferJson(transfer: Transfer): TransferJson {
  return withoutUndefined({
    id: transfer.id,
    from: ownerJson(transfer.from),
    assignee: transfer.assignee,
    price: transfer.price.toString(),
    contractDate: transfer.contractDate.toString(),
    recordedOn: transfer.recordedOn?.toString(),
    agencyId: transfer.agencyId,
    pledgeeConsent: transfer.pledgeeConsent,
  });
}

function transferFromJson(json: TransferJson): Transfer {
  return withoutUndefined({
    id: json.id,
    from: json.from,
    assignee: json.assignee,
    price: Money.parse(json.price),
    contractDate: date(json.contractDate),
    recordedOn: optionalDate(json.recordedOn),
    agencyId: json.agencyId,
    pledgeeConsent: json.pledgeeConsent,
  });
}

/** A stored row back into the domain state; `pledges` from `patent_pledges`. */
export function stateFromRow(row: PatentRow, pledges: readonly PledgeRef[]): ListedPatentState {
  const facts = readPatentNumber(row.number);
  const json = row.state;
  return withoutUndefined({
    number: facts.normalized,
    kind: facts.kind,
    filedYear: facts.year,
    pct: facts.pct,
    filingDate: optionalDate(json.filingDate),
    pledges: [...pledges],
    listed: true as const,
    owner: json.owner,
    status: row.status as PatentStatus,
    listing: withoutUndefined({
      title: row.title,
      ipc: row.ipc ?? undefined,
      grantedOn: optionalDate(row.granted_on),
      grade: (row.grade ?? undefined) as PatentGrade | undefined,
      category: row.category ?? undefined,
      abstract: row.abstract ?? undefined,
      keywords: row.keywords,
    }),
    listedOn: date(row.listed_on),
    updatedOn: date(row.updated_on),
    licences: json.licences.map(licenceFromJson),
    openLicence: json.openLicence === undefined ? undefined : openLicenceFromJson(json.openLicence),
    transfers: json.transfers.map(transferFromJson),
  });
}

/** Inclusive `[from,to]` as PostgreSQL range text; `empty` when `to` is before `from`. */
function dateRange(from: BusinessDate, to: BusinessDate): string {
  return to.isBefore(from) ? 'empty' : `[${from.toString()},${to.toString()}]`;
}

/** Everything a listed patent is stored with, search columns included. */
export function rowFromState(state: ListedPatentState): PatentWriteRow {
  const { listing, openLicence } = state;
  const document = listingSearchDocument(listing);
  const facets = facetTokens({ kind: state.kind, grade: listing.grade, ipc: listing.ipc, ownerSub: state.owner.sub, ownerUscc: state.owner.uscc });
  const exclusive = state.licences
    .filter((l) => l.kind === 'exclusive')
    .map((l) => dateRange(l.startsOn, l.endsOn))
    .filter((r) => r !== 'empty');
  return {
    number: state.number,
    kind: state.kind,
    status: state.status,
    title: listing.title,
    abstract: listing.abstract ?? null,
    keywords: listing.keywords,
    ipc: listing.ipc ?? null,
    granted_on: listing.grantedOn?.toString() ?? null,
    grade: listing.grade ?? null,
    category: listing.category ?? null,
    owner_sub: state.owner.sub ?? null,
    owner_uscc: state.owner.uscc ?? null,
    owner_region: state.owner.region,
    listed_on: state.listedOn.toString(),
    updated_on: state.updatedOn.toString(),
    state: withoutUndefined({
      owner: ownerJson(state.owner),
      filingDate: state.filingDate?.toString(),
      licences: state.licences.map(licenceJson),
      openLicence: openLicence === undefined ? undefined : openLicenceJson(openLicence),
      transfers: state.transfers.map(transferJson),
    }),
    search_title: document.title,
    title_grams: [...searchGrams(document.title), ...facets],
    search_text: document.text,
    search_grams: [...document.grams, ...facets],
    rank_key: rankKey(state.number),
    open_licence_days: openLicence === undefined ? null : dateRange(openLicence.declaredOn, openLicenceLastDay(openLicence)),
    exclusive_days: `{${exclusive.join(',')}}`,
  };
}
