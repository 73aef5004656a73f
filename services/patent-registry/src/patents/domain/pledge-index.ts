import type { EventReversedV1, LoanEventBase, LoanRegisteredV1, LoanSettledV1 } from '@ipfin/contracts';
import { canonicalPatentNumber } from './patent-number-facts';
import type { PledgeRef } from './patent-state';

/*
 * Which patents are pledged, folded from `ipfin.loans.v1`. A patent in a registered, unsettled
 * loan is pledged — listed or not — until the loan settles or its registration is reversed.
 * Every registered loan is kept, a trademark-only one with no patents, so that an event of a loan
 * the index does not know is recognised as an orphan (its registration was dead-lettered) rather
 * than dropped.
 *
 * The structure is keyed two ways: by loan (`{bank}:{loanRef}`, the loan topic's key) with the
 * loan's patent numbers, so a settlement or reversal knows what to release or re-lock without the
 * original event; and by patent number with the loans holding it, so a command on a patent finds
 * its pledges. The service persists it as two tables (loan → patents with a `settled` flag;
 * patent → loan) and may pass in only the loan the event is about: `applyLoanEvent` reads and
 * writes nothing else, and reports the rows to change in `locks` / `releases`.
 */

/** One registered loan. Kept after settlement so a reversal can re-lock. */
export interface LoanPledge {
  readonly bank: string;
  readonly loanRef: string;
  /** Normalised patent numbers of the loan's patent rights (trademarks are not the registry's); may be empty. */
  readonly patents: readonly string[];
  readonly settled: boolean;
}

export interface PledgeIndex {
  /** By `{bank}:{loanRef}`. */
  readonly loans: ReadonlyMap<string, LoanPledge>;
  /** Patent number → keys of the unsettled loans pledging it. Numbers with no pledge are absent. */
  readonly byPatent: ReadonlyMap<string, ReadonlySet<string>>;
}

export const EMPTY_PLEDGE_INDEX: PledgeIndex = { loans: new Map(), byPatent: new Map() };

/** A loan event as the consumer has it: the type from `ce_type`, the validated payload. */
export type LoanStreamEvent =
  | { readonly type: 'LoanRegistered'; readonly data: LoanRegisteredV1 }
  | { readonly type: 'LoanSettled'; readonly data: LoanSettledV1 }
  | { readonly type: 'EventReversed'; readonly data: EventReversedV1 }
  | {
      readonly type: 'LoanDisbursed' | 'RepaymentReceived' | 'LoanOverdue' | 'LoanDefaulted';
      readonly data: LoanEventBase;
    };

/** One pledge of one patent to add or remove. */
export interface PledgeChange extends PledgeRef {
  readonly number: string;
}

export interface LoanEventEffect {
  readonly index: PledgeIndex;
  /** `{bank}:{loanRef}` of the loan the event is about. */
  readonly loanKey: string;
  /** The loan's entry after the event; `null` when the loan is forgotten (registration reversed) or unknown. */
  readonly loan: LoanPledge | null;
  readonly locks: readonly PledgeChange[];
  readonly releases: readonly PledgeChange[];
}

export const pledgeLoanKey = (bank: string, loanRef: string): string => `${bank}:${loanRef}`;

/**
 * An event of a loan the index does not know although it must: its registration was never applied
 * (dead-lettered, or never published). The consumer dead-letters it instead of dropping it, so
 * the DLQ holds the loan's events in order and re-driving them in order restores the pledges.
 */
export class OrphanLoanEvent extends Error {
  constructor(readonly loanKey: string) {
    super(`orphan: no LoanRegistered for ${loanKey} was applied (dead-lettered or never published)`);
    this.name = 'OrphanLoanEvent';
  }
}

export interface PledgeFoldOptions {
  /**
   * Whether the index holds every loan registered so far (default true). False on a registry
   * upgraded with loans already folded by a version that did not keep trademark-only loans: an
   * unknown loan may then be one of those, and only what is provably an orphan is refused (a
   * reversed registration that pledged a patent).
   */
  readonly allLoansKnown?: boolean;
}

/** The loans currently pledging `number` (sorted by bank, then loanRef). */
export function pledgesOf(index: PledgeIndex, number: string): PledgeRef[] {
  const keys = index.byPatent.get(number);
  if (keys === undefined) return [];
  return [...keys]
    .map((key) => index.loans.get(key))
    .filter((loan): loan is LoanPledge => loan !== undefined)
    .map((loan) => ({ bank: loan.bank, loanRef: loan.loanRef }))
    .sort((a, b) => a.bank.localeCompare(b.bank) || a.loanRef.localeCompare(b.loanRef));
}

/**
 * Folds one loan event into the index.
 *
 * - `LoanRegistered`: keeps the loan and locks every patent right (numbers normalised; malformed
 *   ones skipped, the loan service validated them). A registration seen again replaces the loan's
 *   rights and keeps its settled flag.
 * - `LoanSettled`: releases the loan's patents; the loan is kept, marked settled.
 * - `EventReversed` of `LoanRegistered`: releases the patents and forgets the loan.
 * - `EventReversed` of `LoanSettled`: re-locks the loan's patents.
 * - Anything else (disbursements, repayments, overdue, default, and reversals of those) leaves
 *   pledges as they are: a defaulted loan's pledge stays until it settles.
 *
 * Any other event of a loan the index does not know throws `OrphanLoanEvent` (but see
 * `allLoansKnown`). Applying the same event twice changes nothing the second time.
 */
export function applyLoanEvent(index: PledgeIndex, event: LoanStreamEvent, options: PledgeFoldOptions = {}): LoanEventEffect {
  const loanKey = pledgeLoanKey(event.data.bank, event.data.loanRef);
  const known = index.loans.get(loanKey);
  if (known === undefined && event.type !== 'LoanRegistered') {
    const provable =
      options.allLoansKnown !== false ||
      (event.type === 'EventReversed' &&
        event.data.reversedType === 'LoanRegistered' &&
        patentsOf(event.data.reversed as unknown as LoanRegisteredV1).length > 0);
    if (provable) throw new OrphanLoanEvent(loanKey);
  }
  switch (event.type) {
    case 'LoanRegistered':
      return register(index, loanKey, event.data);
    case 'LoanSettled':
      return known === undefined || known.settled
        ? unchanged(index, loanKey, known)
        : setLoan(index, loanKey, { ...known, settled: true });
    case 'EventReversed':
      return reverse(index, loanKey, known, event.data.reversedType);
    case 'LoanDisbursed':
    case 'RepaymentReceived':
    case 'LoanOverdue':
    case 'LoanDefaulted':
      return unchanged(index, loanKey, known);
  }
}

function reverse(
  index: PledgeIndex,
  loanKey: string,
  known: LoanPledge | undefined,
  reversedType: EventReversedV1['reversedType'],
): LoanEventEffect {
  switch (reversedType) {
    case 'LoanRegistered':
      return known === undefined ? unchanged(index, loanKey, known) : setLoan(index, loanKey, null);
    case 'LoanSettled':
      return known === undefined || !known.settled
        ? unchanged(index, loanKey, known)
        : setLoan(index, loanKey, { ...known, settled: false });
    case 'LoanDisbursed':
    case 'RepaymentReceived':
    case 'LoanOverdue':
    case 'LoanDefaulted':
      return unchanged(index, loanKey, known);
  }
}

/**
 * The registration's patent numbers, normalised, sorted, once each (malformed ones skipped). Also
 * reads the registration a reversal carries (`reversed`, checked only as an object): hence the guards.
 */
function patentsOf(data: LoanRegisteredV1): string[] {
  return [
    ...new Set(
      (data.pledge?.rights ?? [])
        .filter((r) => r.kind === 'patent' && typeof r.number === 'string')
        .map((r) => canonicalPatentNumber(r.number))
        .filter((n): n is string => n !== undefined),
    ),
  ].sort();
}

/**
 * A registration seen again (a replay that slipped past the inbox) keeps the loan's settled flag:
 * a loanRef is unique per bank, so a genuinely new registration only follows a reversed one, whose
 * entry is gone.
 */
function register(index: PledgeIndex, loanKey: string, data: LoanRegisteredV1): LoanEventEffect {
  return setLoan(index, loanKey, {
    bank: data.bank,
    loanRef: data.loanRef,
    patents: patentsOf(data),
    settled: index.loans.get(loanKey)?.settled ?? false,
  });
}

function unchanged(index: PledgeIndex, loanKey: string, loan: LoanPledge | undefined): LoanEventEffect {
  return { index, loanKey, loan: loan ?? null, locks: [], releases: [] };
}

/** Patents the entry locks: all of them while unsettled, none once settled or forgotten. */
function lockedBy(loan: LoanPledge | null | undefined): ReadonlySet<string> {
  return loan === null || loan === undefined || loan.settled ? new Set() : new Set(loan.patents);
}

/** Replaces (or with `null` removes) the loan's entry and moves its locks accordingly. */
function setLoan(index: PledgeIndex, loanKey: string, next: LoanPledge | null): LoanEventEffect {
  const previous = index.loans.get(loanKey);
  const before = lockedBy(previous);
  const after = lockedBy(next);
  const ref = next ?? previous;
  const releases: PledgeChange[] = [];
  const locks: PledgeChange[] = [];
  if (ref !== undefined) {
    for (const number of before)
      if (!after.has(number)) releases.push({ number, bank: ref.bank, loanRef: ref.loanRef });
    for (const number of after) if (!before.has(number)) locks.push({ number, bank: ref.bank, loanRef: ref.loanRef });
  }

  const loans = new Map(index.loans);
  if (next === null) loans.delete(loanKey);
  else loans.set(loanKey, next);
  const byPatent = new Map(index.byPatent);
  for (const { number } of releases) {
    const keys = new Set(byPatent.get(number));
    keys.delete(loanKey);
    if (keys.size === 0) byPatent.delete(number);
    else byPatent.set(number, keys);
  }
  for (const { number } of locks) byPatent.set(number, new Set(byPatent.get(number)).add(loanKey));
  return { index: { loans, byPatent }, loanKey, loan: next, locks, releases };
}
