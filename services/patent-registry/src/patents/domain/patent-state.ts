import { BusinessDate, type Money } from '@ipfin/kernel';
import type {
  Actor,
  ActorRole,
  Counterparty,
  LicenceKind,
  PatentGrade,
  PatentKind,
  PatentStatus,
} from './patent-vocabulary';
import { patentLastDay, readPatentNumber } from './patent-number-facts';
import { notOwner, patentNotFound } from './patent-problems';

/*
 * The state of one patent as the service loads it (row-locked) before a command, and as the
 * domain returns it after. Plain immutable data; dates are kernel `BusinessDate`s, money `Money`.
 */

/** A loan that pledges the patent: registered and not settled (nor its registration reversed). */
export interface PledgeRef {
  /** `sub` of the pledgee bank. */
  readonly bank: string;
  readonly loanRef: string;
}

/**
 * The current owner. The institution that listed the patent is known by its token (`sub`, `role`,
 * `region`, `uscc` if the token has one). An assignee is known by what the transferor wrote
 * (`uscc`, `name`, `region` = its `regionCode`) until it acts on the platform: then its token's
 * `sub`, `role` and `region` are adopted. Ownership is proven by `sub`, or by the token's `uscc`.
 */
export interface PatentOwner {
  readonly sub?: string;
  readonly role?: ActorRole;
  readonly uscc?: string;
  readonly name?: string;
  readonly region: string;
}

export interface Licence {
  readonly id: string;
  readonly kind: LicenceKind;
  readonly licensee: Counterparty;
  /** A recorded contract's royalty is a lump sum; a taker pays the open licence's declared terms. */
  readonly royalty: Royalty;
  readonly contractDate: BusinessDate;
  /** First and last day, both inclusive. */
  readonly startsOn: BusinessDate;
  readonly endsOn: BusinessDate;
  readonly recordedOn?: BusinessDate;
  readonly agencyId?: string;
  /** Taken under an open licence (then always `ordinary`, `startsOn` the day taken). */
  readonly viaOpenLicence: boolean;
  /** For a taker licence: the `declaredOn` of the declaration it was taken under. */
  readonly openLicenceDeclaredOn?: BusinessDate;
}

export type Royalty =
  | { readonly kind: 'lump_sum'; readonly amount: Money }
  /** Decimal string 0-100, e.g. `"3.5"` (exact; never a float). */
  | { readonly kind: 'percent_of_sales'; readonly percent: string };

export interface OpenLicence {
  readonly royalty: Royalty;
  readonly termYears: number;
  readonly declaredOn: BusinessDate;
  /** Last day in force: declaredOn + termYears − 1 day. */
  readonly expiresOn: BusinessDate;
  /** First day no longer in force, when withdrawn. */
  readonly withdrawnOn?: BusinessDate;
  readonly evaluationReportNo?: string;
  readonly pledgeeConsent: boolean;
}

export interface Transfer {
  readonly id: string;
  readonly from: PatentOwner;
  readonly assignee: Counterparty;
  readonly price: Money;
  readonly contractDate: BusinessDate;
  readonly recordedOn?: BusinessDate;
  readonly agencyId?: string;
  readonly pledgeeConsent: boolean;
}

export interface ListingDetails {
  readonly title: string;
  readonly ipc?: string;
  readonly grantedOn?: BusinessDate;
  readonly grade?: PatentGrade;
  readonly category?: string;
  readonly abstract?: string;
  readonly keywords: readonly string[];
}

interface PatentIdentity {
  /** Normalised `YYYYTNNNNNNN.C`. */
  readonly number: string;
  /** From the number's type digit. */
  readonly kind: PatentKind;
  /** Application year from the number; see `termStartDate` for how the term is counted. */
  readonly filedYear: number;
  readonly pct: boolean;
  /** Exact filing date, when some source knows it (not on the v1 listing API). */
  readonly filingDate?: BusinessDate;
  /** Loans pledging the patent, from the loan stream; may exist before the patent is listed. */
  readonly pledges: readonly PledgeRef[];
}

/** A number the registry only knows from the loan stream (pledged, not listed). */
export interface UnlistedPatentState extends PatentIdentity {
  readonly listed: false;
}

export interface ListedPatentState extends PatentIdentity {
  readonly listed: true;
  readonly owner: PatentOwner;
  readonly status: PatentStatus;
  readonly listing: ListingDetails;
  /** Business date of the first listing and of the latest update. */
  readonly listedOn: BusinessDate;
  readonly updatedOn: BusinessDate;
  readonly licences: readonly Licence[];
  /** The current (or latest) declaration; an earlier one is replaced when a new one is declared. */
  readonly openLicence?: OpenLicence;
  /** Oldest first. */
  readonly transfers: readonly Transfer[];
}

export type PatentState = UnlistedPatentState | ListedPatentState;

/** State of a number nobody listed yet, carrying the pledges the loan stream recorded for it. */
export function unlistedPatent(
  number: string,
  pledges: readonly PledgeRef[] = [],
  filingDate?: BusinessDate,
): UnlistedPatentState {
  const facts = readPatentNumber(number);
  const base = {
    number: facts.normalized,
    kind: facts.kind,
    filedYear: facts.year,
    pct: facts.pct,
    listed: false as const,
    pledges: [...pledges],
  };
  return filingDate === undefined ? base : { ...base, filingDate };
}

/** Narrows to a listed patent or throws `patent-not-found` (404). */
export function requireListed(state: PatentState): ListedPatentState {
  if (!state.listed) throw patentNotFound(state.number);
  return state;
}

/** Same institution: by token `sub`, or by USCC when both sides have one. */
export function isOwner(owner: PatentOwner, actor: Actor): boolean {
  if (owner.sub !== undefined && owner.sub === actor.sub) return true;
  return owner.uscc !== undefined && actor.uscc !== undefined && owner.uscc === actor.uscc.toUpperCase();
}

/** Narrows to a listed patent the actor owns, or throws `patent-not-found` / `not-owner`. */
export function requireOwnedBy(state: PatentState, actor: Actor, action: string): ListedPatentState {
  const listed = requireListed(state);
  if (!isOwner(listed.owner, actor)) throw notOwner(listed.number, action);
  return listed;
}

/**
 * The owner as the acting token shows it: `sub`, `role`, `region` from the token (open-licence
 * figures count in the owner token's region), USCC and name kept unless the token brings a USCC.
 */
export function ownerActingAs(owner: PatentOwner, actor: Actor): PatentOwner {
  const uscc = actor.uscc?.toUpperCase() ?? owner.uscc;
  return withoutUndefined({ sub: actor.sub, role: actor.role, uscc, name: owner.name, region: actor.region });
}

export function isPledged(state: PatentState): boolean {
  return state.pledges.length > 0;
}

/** Last day the patent can be in force (earliest possible, when only the application year is known). */
export function lastDayOfTerm(state: PatentState): BusinessDate {
  return patentLastDay({ year: state.filedYear, pct: state.pct, kind: state.kind }, state.filingDate);
}

/** Whether `date` lies in the licence's period (both ends inclusive). */
export function licenceRunsOn(licence: Licence, date: BusinessDate): boolean {
  return date.isWithin(licence.startsOn, licence.endsOn);
}

/** Whether two inclusive periods share at least one day. */
export function periodsOverlap(
  aFrom: BusinessDate,
  aTo: BusinessDate,
  bFrom: BusinessDate,
  bTo: BusinessDate,
): boolean {
  return !aTo.isBefore(bFrom) && !bTo.isBefore(aFrom);
}

/** Last day the declaration is (or was) in force: its expiry, or the day before its withdrawal. */
export function openLicenceLastDay(openLicence: OpenLicence): BusinessDate {
  return openLicence.withdrawnOn === undefined
    ? openLicence.expiresOn
    : BusinessDate.min(openLicence.expiresOn, openLicence.withdrawnOn.addDays(-1));
}

/** Whether the declaration is in force on `date`: declared, not expired, not yet withdrawn. */
export function openLicenceInForceOn(
  openLicence: OpenLicence | undefined,
  date: BusinessDate,
): openLicence is OpenLicence {
  return openLicence !== undefined && date.isWithin(openLicence.declaredOn, openLicenceLastDay(openLicence));
}

/**
 * `available=true` of the public search, as api.md words it: listed, valid, not pledged, and no
 * exclusive licence running on `date`. A sole licence does not make a patent unavailable (the owner
 * still works it, and may transfer it); it bars other licences, which the licence rules refuse. The
 * SQL filter must mean the same (`exclusive_days`).
 */
export function isAvailableOn(state: PatentState, date: BusinessDate): boolean {
  if (!state.listed || state.status !== 'valid' || isPledged(state)) return false;
  return !state.licences.some((l) => l.kind === 'exclusive' && licenceRunsOn(l, date));
}

/** Copies an object without its `undefined` properties, so optional fields stay absent, not `undefined`. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
