import type { BusinessDate } from '@ipfin/kernel';
import {
  isAvailableOn,
  isPledged,
  licenceRunsOn,
  openLicenceInForceOn,
  openLicenceLastDay,
  withoutUndefined,
  type Licence,
  type ListedPatentState,
  type OpenLicence,
  type Transfer,
} from './domain';
import { licenceJson, openLicenceJson, ownerJson, transferJson, type LicenceJson, type OpenLicenceJson, type OwnerJson, type TransferJson } from './patent-row';

/*
 * What the API shows of a patent. Listings are a public catalogue: owner, pledge state (the
 * pledgee banks, not their loans), licences, open-licence terms and transfers with their prices,
 * as universities publicise the transactions of their stock patents.
 */

export interface OpenLicenceView extends OpenLicenceJson {
  /** Last day in force: the expiry, or the day before the withdrawal. */
  readonly lastDay: string;
  /** In force today (Asia/Shanghai). */
  readonly inForce: boolean;
}

export interface PatentSummary {
  readonly number: string;
  readonly kind: string;
  readonly title: string;
  readonly status: string;
  readonly ipc?: string;
  readonly grantedOn?: string;
  readonly grade?: string;
  readonly category?: string;
  readonly abstract?: string;
  readonly keywords: readonly string[];
  readonly owner: OwnerJson;
  readonly listedOn: string;
  readonly updatedOn: string;
  readonly pledged: boolean;
  /** Valid, not pledged, no exclusive or sole licence running today. */
  readonly available: boolean;
  /** The latest declaration (in force or not), `null` if never declared. */
  readonly openLicence: OpenLicenceView | null;
}

export interface LicenceView extends LicenceJson {
  readonly number: string;
  readonly inForce: boolean;
}

export interface TransferView extends TransferJson {
  readonly number: string;
}

export interface PatentDetail extends PatentSummary {
  readonly filedYear: number;
  readonly pct: boolean;
  readonly pledge: { readonly pledged: boolean; readonly pledgees: readonly string[] };
  readonly licences: readonly LicenceView[];
  /** Oldest first. */
  readonly transfers: readonly TransferView[];
}

export function openLicenceView(openLicence: OpenLicence, today: BusinessDate): OpenLicenceView {
  return {
    ...openLicenceJson(openLicence),
    lastDay: openLicenceLastDay(openLicence).toString(),
    inForce: openLicenceInForceOn(openLicence, today),
  };
}

export function licenceView(number: string, licence: Licence, today: BusinessDate): LicenceView {
  return { number, ...licenceJson(licence), inForce: licenceRunsOn(licence, today) };
}

export function transferView(number: string, transfer: Transfer): TransferView {
  return { number, ...transferJson(transfer) };
}

export function patentSummary(state: ListedPatentState, today: BusinessDate): PatentSummary {
  const { listing } = state;
  return withoutUndefined({
    number: state.number,
    kind: state.kind,
    title: listing.title,
    status: state.status,
    ipc: listing.ipc,
    grantedOn: listing.grantedOn?.toString(),
    grade: listing.grade,
    category: listing.category,
    abstract: listing.abstract,
    keywords: listing.keywords,
    owner: ownerJson(state.owner),
    listedOn: state.listedOn.toString(),
    updatedOn: state.updatedOn.toString(),
    pledged: isPledged(state),
    available: isAvailableOn(state, today),
    openLicence: state.openLicence === undefined ? null : openLicenceView(state.openLicence, today),
  });
}

export function patentDetail(state: ListedPatentState, today: BusinessDate): PatentDetail {
  return {
    ...patentSummary(state, today),
    filedYear: state.filedYear,
    pct: state.pct,
    pledge: { pledged: isPledged(state), pledgees: [...new Set(state.pledges.map((p) => p.bank))].sort() },
    licences: state.licences.map((l) => licenceView(state.number, l, today)),
    transfers: state.transfers.map((t) => transferView(state.number, t)),
  };
}
