import type {
  BorrowerSize,
  CoverageCause,
  EventReversedV1,
  LoanCoveredV1,
  LoanDefaultedV1,
  LoanDisbursedV1,
  LoanOverdueV1,
  LoanRegisteredV1,
  LoanSettledV1,
  RepaymentReceivedV1,
} from '@ipfin/contracts';
import { Money } from '@ipfin/kernel';
import type { FundPolicy } from '../../funds/domain/fund-policy';
import { riskEvent, type RiskEventOf } from '../../funds/domain/risk-event';
import { decideCoverage, type CoverageDecision, type CoverageReason, type RegistrationFacts } from './coverage';

/*
 * The fund's view of a loan, folded from `ipfin.loans.v1`. It keeps each applied money event by
 * its `eventId`, so an `EventReversed` undoes exactly that event's effect and nothing else (a
 * reversed default removes its loss and, if it was the first, moves `defaultedOn` to the next one;
 * a reversed registration removes the loan). Totals and status are derived from what remains.
 */

/**
 * `registered` nothing disbursed; `disbursed` principal out (overdue is not tracked: it does not
 * matter to coverage or claims); `defaulted` a principal loss is reported; `settled` closed.
 */
export type CoveredLoanStatus = 'registered' | 'disbursed' | 'defaulted' | 'settled';

export interface LoanDefault {
  readonly eventId: string;
  readonly occurredOn: string;
  readonly principalLoss: Money;
}

export interface AppliedAmount {
  readonly eventId: string;
  readonly amount: Money;
}

export interface CoveredLoan {
  readonly bank: string;
  readonly loanRef: string;
  readonly registrationEventId: string;
  /** The fund region whose policy judged the loan; null when no fund is concerned. */
  readonly region: string | null;
  readonly covered: boolean;
  readonly reasons: readonly CoverageReason[];
  /** `effectiveFrom` of the judging policy version. */
  readonly policyVersion?: string;
  readonly borrower: { readonly uscc: string; readonly size: BorrowerSize; readonly regionCode: string };
  readonly principal: Money;
  readonly termMonths: number;
  readonly registeredOn: string;
  readonly tranches: readonly AppliedAmount[];
  /** Principal part of each repayment. */
  readonly repayments: readonly AppliedAmount[];
  readonly defaults: readonly LoanDefault[];
  readonly settlement?: { readonly eventId: string; readonly occurredOn: string };
  /**
   * `eventId`s of the reversals applied (absent before the first): a reversal handed over again
   * changes nothing, while one of an event the view never applied is an orphan.
   */
  readonly reversals?: readonly string[];
  /** Derived: disbursed − repaid principal − reported loss. */
  readonly outstanding: Money;
  /** Derived: Σ principal loss the (non-reversed) defaults report; what a claim may ask at most. */
  readonly reportedLoss: Money;
  /** Derived: the first (non-reversed) default's date. */
  readonly defaultedOn?: string;
  readonly status: CoveredLoanStatus;
}

interface LoanEventPayloads {
  LoanRegistered: LoanRegisteredV1;
  LoanDisbursed: LoanDisbursedV1;
  RepaymentReceived: RepaymentReceivedV1;
  LoanOverdue: LoanOverdueV1;
  LoanDefaulted: LoanDefaultedV1;
  LoanSettled: LoanSettledV1;
  EventReversed: EventReversedV1;
}

/** A validated event of `ipfin.loans.v1`: its type (from `ce_type`) and its payload. */
export type LoanEventMessage = {
  [K in keyof LoanEventPayloads]: { readonly type: K; readonly data: LoanEventPayloads[K] };
}[keyof LoanEventPayloads];

export interface LoanFold {
  /** The view after the event; null when the loan is unknown or its registration was reversed. */
  readonly loan: CoveredLoan | null;
  readonly events: readonly RiskEventOf<'LoanCovered'>[];
}

/**
 * The stream contradicts the view (e.g. a second registration under a live loanRef): no retry can
 * help, the consumer dead-letters the event at once.
 */
export class LoanViewConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoanViewConflict';
  }
}

/**
 * An event that needs an earlier one the view never applied: any event of a loan with no
 * registration in the view, or a reversal of an event the view does not hold. The view keeps every
 * registration (covered or not, with or without a fund) and every money event by its `eventId`,
 * and pledge-loans accepts nothing for a loan without a registration in force and reverses only
 * events it accepted, so the earlier event was dead-lettered (or never published). Folding this
 * one anyway would drop it silently; the consumer dead-letters it like a conflict, so the DLQ
 * holds the loan's events in order and re-driving them in order restores the view.
 */
export class OrphanLoanEvent extends LoanViewConflict {
  constructor(message: string) {
    super(message);
    this.name = 'OrphanLoanEvent';
  }
}

const NOT_APPLIED = 'was applied (dead-lettered or never published)';

function orphanReversal(loan: CoveredLoan, event: EventReversedV1): OrphanLoanEvent {
  return new OrphanLoanEvent(
    `orphan: no ${event.reversedType} ${event.reversedEventId} of ${loan.bank}:${loan.loanRef} ${NOT_APPLIED}; ${event.eventId} cannot reverse it.`,
  );
}

type DerivedField = 'outstanding' | 'reportedLoss' | 'defaultedOn' | 'status';
type LoanCore = Omit<CoveredLoan, DerivedField>;

const sum = (items: readonly AppliedAmount[]): Money => Money.sum(items.map((i) => i.amount));

/** Recomputes the derived fields from the applied events (stale ones, if any, are dropped). */
function derive(core: LoanCore & Partial<Pick<CoveredLoan, DerivedField>>): CoveredLoan {
  const { outstanding: _o, reportedLoss: _r, defaultedOn: _d, status: _s, ...rest } = core;
  const disbursed = sum(rest.tranches);
  const reportedLoss = Money.sum(rest.defaults.map((d) => d.principalLoss));
  const firstDefault = [...rest.defaults].sort((a, b) => a.occurredOn.localeCompare(b.occurredOn))[0];
  const status: CoveredLoanStatus =
    rest.settlement !== undefined
      ? 'settled'
      : rest.defaults.length > 0
        ? 'defaulted'
        : rest.tranches.length > 0
          ? 'disbursed'
          : 'registered';
  return {
    ...rest,
    outstanding: disbursed.subtract(sum(rest.repayments)).subtract(reportedLoss),
    reportedLoss,
    ...(firstDefault === undefined ? {} : { defaultedOn: firstDefault.occurredOn }),
    status,
  };
}

/** The facts coverage is judged on, as the view keeps them. */
export function loanRegistrationFacts(loan: CoveredLoan): RegistrationFacts {
  return {
    bank: loan.bank,
    borrower: loan.borrower,
    principal: loan.principal,
    termMonths: loan.termMonths,
    registeredOn: loan.registeredOn,
  };
}

function withDecision(loan: LoanCore, decision: CoverageDecision): LoanCore {
  const { policyVersion: _dropped, ...rest } = loan;
  return {
    ...rest,
    region: decision.region,
    covered: decision.covered,
    reasons: decision.reasons,
    ...(decision.policyVersion === undefined ? {} : { policyVersion: decision.policyVersion }),
  };
}

/** The `LoanCovered` payload for the loan as it stands (or with `override` for a reversal or a move). */
export function loanCoveredPayload(
  loan: CoveredLoan,
  region: string,
  cause: CoverageCause,
  override?: Pick<CoverageDecision, 'covered' | 'reasons'>,
): LoanCoveredV1 {
  const covered = override?.covered ?? loan.covered;
  const reasons = override?.reasons ?? loan.reasons;
  return {
    region,
    bank: loan.bank,
    loanRef: loan.loanRef,
    registrationEventId: loan.registrationEventId,
    covered,
    reasons: reasons.map((r) => ({ rule: r.rule, detail: r.detail })),
    ...(override === undefined && loan.policyVersion !== undefined ? { policyVersion: loan.policyVersion } : {}),
    borrower: { ...loan.borrower },
    principal: loan.principal.toString(),
    registeredOn: loan.registeredOn,
    cause,
  };
}

/**
 * Coverage that an approved or paid claim fixed for a registration (README "Policy changes
 * re-judge": such a loan is never re-judged), or undefined to judge it under the policies. The
 * service's consumer passes none: a registration it folds is new. A rebuild of the view, which
 * judges every registration under today's policies, passes the claims' terms
 * (`claimFixedTerms`), so those loans come out as the policy changes left them.
 */
export type FixedTerms = (registration: LoanRegisteredV1) => CoverageDecision | undefined;

/** A claim whose approval fixed its loan's coverage: `waiting` or `paid` (as `forReassessment` skips them). */
export interface FixingClaim {
  readonly bank: string;
  readonly loanRef: string;
  /** The fund and version the loan was covered under when the claim was filed and approved. */
  readonly region: string;
  readonly policyVersion: string;
  /** When the claim was filed (`claims.created_at`). */
  readonly filedAt: Date;
}

/**
 * The terms `claims` fixed. Approval requires the loan covered under the claim's fund and version,
 * and covered means no reasons, so the view held exactly `{ covered, region, policyVersion, [] }`
 * from then on. A claim belongs to a registration recorded before it was filed: a loanRef
 * registered anew (after its registration was reversed) after a paid claim of the earlier one is
 * judged under the policies. At most one claim per loan is `waiting` or `paid` (partial unique index).
 */
export function claimFixedTerms(claims: readonly FixingClaim[]): FixedTerms {
  const byLoan = new Map(claims.map((c) => [`${c.bank}\u0000${c.loanRef}`, c]));
  return (registration) => {
    const claim = byLoan.get(`${registration.bank}\u0000${registration.loanRef}`);
    if (claim === undefined || Date.parse(registration.recordedAt) >= claim.filedAt.getTime()) return undefined;
    return { covered: true, region: claim.region, policyVersion: claim.policyVersion, reasons: [] };
  };
}

function register(event: LoanRegisteredV1, policies: readonly FundPolicy[], fixedTerms?: FixedTerms): LoanFold {
  const core: LoanCore = {
    bank: event.bank,
    loanRef: event.loanRef,
    registrationEventId: event.eventId,
    region: null,
    covered: false,
    reasons: [],
    borrower: { uscc: event.borrower.uscc, size: event.borrower.size, regionCode: event.borrower.regionCode },
    principal: Money.parse(event.principal),
    termMonths: event.termMonths,
    registeredOn: event.occurredOn,
    tranches: [],
    repayments: [],
    defaults: [],
  };
  const loan = derive(withDecision(core, fixedTerms?.(event) ?? decideCoverage(policies, event)));
  return {
    loan,
    events: loan.region === null ? [] : [riskEvent('LoanCovered', loanCoveredPayload(loan, loan.region, 'registered'))],
  };
}

/** @throws OrphanLoanEvent when the reversed event is not in the view (overdue is not kept: not checked). */
function reverse(applied: CoveredLoan, event: EventReversedV1): LoanFold {
  const id = event.reversedEventId;
  const loan: CoveredLoan = { ...applied, reversals: [...(applied.reversals ?? []), event.eventId] };
  const mustHold = (applied: readonly { eventId: string }[]): void => {
    if (!applied.some((a) => a.eventId === id)) throw orphanReversal(loan, event);
  };
  switch (event.reversedType) {
    case 'LoanRegistered': {
      if (id !== loan.registrationEventId) {
        throw new OrphanLoanEvent(
          `orphan: registration ${id} of ${loan.bank}:${loan.loanRef} was not applied (the view holds registration ${loan.registrationEventId}); ${event.eventId} cannot reverse it.`,
        );
      }
      const gone: CoverageReason = {
        rule: 'registration-reversed',
        detail: `The registration ${id} of loan ${loan.loanRef} was reversed; the loan no longer exists.`,
      };
      const events =
        loan.region === null
          ? []
          : [
              riskEvent(
                'LoanCovered',
                loanCoveredPayload(loan, loan.region, 'registration-reversed', { covered: false, reasons: [gone] }),
              ),
            ];
      return { loan: null, events };
    }
    case 'LoanDisbursed':
      mustHold(loan.tranches);
      return { loan: derive({ ...loan, tranches: loan.tranches.filter((t) => t.eventId !== id) }), events: [] };
    case 'RepaymentReceived':
      mustHold(loan.repayments);
      return { loan: derive({ ...loan, repayments: loan.repayments.filter((r) => r.eventId !== id) }), events: [] };
    case 'LoanDefaulted':
      mustHold(loan.defaults);
      return { loan: derive({ ...loan, defaults: loan.defaults.filter((d) => d.eventId !== id) }), events: [] };
    case 'LoanSettled': {
      if (loan.settlement?.eventId !== id) throw orphanReversal(loan, event);
      const { settlement: _dropped, ...rest } = loan;
      return { loan: derive(rest), events: [] };
    }
    case 'LoanOverdue':
      return { loan, events: [] };
  }
}

/**
 * Folds one loan event into the view. `policies`: every fund's versions (used for a registration
 * only); `fixedTerms`: coverage a claim fixed, which a registration takes instead (a rebuild). A
 * registration publishes `LoanCovered` when a fund is concerned; a reversed registration
 * publishes it again as `covered: false` and returns null. Re-applying an event already in the
 * view (same `eventId`) changes nothing.
 *
 * @throws LoanViewConflict when the stream contradicts the view; `OrphanLoanEvent` (one) for any
 *   event of a loan the view does not hold (its registration was dead-lettered or never
 *   published) and for a reversal of an event the view does not hold.
 */
export function applyLoanEvent(
  loan: CoveredLoan | null,
  message: LoanEventMessage,
  policies: readonly FundPolicy[],
  fixedTerms?: FixedTerms,
): LoanFold {
  if (message.type === 'LoanRegistered') {
    if (loan === null) return register(message.data, policies, fixedTerms);
    if (loan.registrationEventId === message.data.eventId) return { loan, events: [] };
    throw new LoanViewConflict(
      `Loan ${message.data.bank}:${message.data.loanRef} is already registered by ${loan.registrationEventId}; ${message.data.eventId} cannot register it again.`,
    );
  }
  if (loan === null) {
    throw new OrphanLoanEvent(
      `orphan: no LoanRegistered for ${message.data.bank}:${message.data.loanRef} ${NOT_APPLIED}`,
    );
  }
  if (message.data.bank !== loan.bank || message.data.loanRef !== loan.loanRef) {
    throw new LoanViewConflict(
      `Event ${message.data.eventId} of ${message.data.bank}:${message.data.loanRef} folded into loan ${loan.bank}:${loan.loanRef}.`,
    );
  }
  const id = message.data.eventId;
  const seen =
    [...loan.tranches, ...loan.repayments, ...loan.defaults].some((e) => e.eventId === id) ||
    loan.settlement?.eventId === id ||
    (loan.reversals ?? []).includes(id);
  if (seen) return { loan, events: [] };
  switch (message.type) {
    case 'LoanDisbursed':
      return {
        loan: derive({
          ...loan,
          tranches: [...loan.tranches, { eventId: id, amount: Money.parse(message.data.amount) }],
        }),
        events: [],
      };
    case 'RepaymentReceived':
      return {
        loan: derive({
          ...loan,
          repayments: [...loan.repayments, { eventId: id, amount: Money.parse(message.data.principal) }],
        }),
        events: [],
      };
    case 'LoanDefaulted': {
      const fact: LoanDefault = {
        eventId: id,
        occurredOn: message.data.occurredOn,
        principalLoss: Money.parse(message.data.principalLoss),
      };
      return { loan: derive({ ...loan, defaults: [...loan.defaults, fact] }), events: [] };
    }
    case 'LoanSettled':
      return {
        loan: derive({ ...loan, settlement: { eventId: id, occurredOn: message.data.occurredOn } }),
        events: [],
      };
    case 'LoanOverdue':
      return { loan, events: [] };
    case 'EventReversed':
      return reverse(loan, message.data);
  }
}

/**
 * Whether the event may take from a loan the loss an approved claim rests on: a reversed default
 * (less loss, maybe no default) or a reversed registration (no loan). Nothing else lowers
 * `reportedLoss`. After such an event the consumer checks the loan's waiting claims
 * (`withdrawUnsupportedClaim`).
 */
export function mayWithdrawClaims(message: LoanEventMessage): boolean {
  return (
    message.type === 'EventReversed' &&
    (message.data.reversedType === 'LoanDefaulted' || message.data.reversedType === 'LoanRegistered')
  );
}

/**
 * Judges a known loan again, after a policy version it may fall under was added or replaced.
 * Publishes `LoanCovered` (cause `policy-changed`) only when the outcome changes; when the loan moves
 * to another fund, the old fund hears `covered: false` first. The service should not reassess a loan
 * with a claim approved or paid: that claim's terms were fixed when it was approved.
 */
export function reassessCoverage(loan: CoveredLoan, policies: readonly FundPolicy[]): LoanFold {
  const decision = decideCoverage(policies, loanRegistrationFacts(loan));
  const sameReasons = JSON.stringify(decision.reasons) === JSON.stringify(loan.reasons);
  if (
    decision.region === loan.region &&
    decision.covered === loan.covered &&
    decision.policyVersion === loan.policyVersion &&
    sameReasons
  ) {
    return { loan, events: [] };
  }
  const next = derive(withDecision(loan, decision));
  const events: RiskEventOf<'LoanCovered'>[] = [];
  if (loan.region !== null && loan.region !== next.region) {
    const moved: CoverageReason = {
      rule: 'no-policy',
      detail: `After a policy change the loan falls to ${next.region === null ? 'no fund' : `the ${next.region} fund`}.`,
    };
    events.push(
      riskEvent(
        'LoanCovered',
        loanCoveredPayload(loan, loan.region, 'policy-changed', { covered: false, reasons: [moved] }),
      ),
    );
  }
  if (next.region !== null)
    events.push(riskEvent('LoanCovered', loanCoveredPayload(next, next.region, 'policy-changed')));
  return { loan: next, events };
}
