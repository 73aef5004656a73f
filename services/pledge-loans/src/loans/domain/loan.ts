import { BusinessDate, patentExpiry, type PatentKind } from '@ipfin/kernel';
import type { LoanEventOf, LoanFact, ParsedLoanEvent, PledgedRight } from './loan-event';
import { money } from './loan-event';
import { loanProblem, type LoanProblem } from './loan-problems';
import { outstanding, type LoanState, type LoanStatus } from './loan-state';

/*
 * The loan's rules as pure functions: `applyEvent` folds one fact into a state, `foldHistory`
 * rebuilds a state from an accepted history, `applyToLoan` adds one event (reversals included) to
 * a loan aggregate. Nothing here knows about other loans; the pledge lookups live in
 * `loan-batch.ts`.
 */

export type LoanStep =
  { readonly ok: true; readonly state: LoanState } | { readonly ok: false; readonly problem: LoanProblem };

/** What the store keeps for each accepted event besides the event itself. */
export interface HistoryMeta {
  readonly bank: string;
  /** 1-based, gap-free position in the loan's accepted history (reversals included). */
  readonly sequence: number;
  /** RFC 3339 time the event was accepted. */
  readonly recordedAt: string;
  /** `contentHash` of the event, for `eventId` dedupe. */
  readonly contentHash: string;
  /** Undone by a later `EventReversed`; a reversal itself is never reversed. */
  readonly reversed: boolean;
  /** `eventId` of the reversal that undid it. */
  readonly reversedBy?: string;
}

/** One accepted event in a loan's history. */
export type LoanHistoryEntry = ParsedLoanEvent & HistoryMeta;

/**
 * Everything ever accepted under one `{bank, loanRef}`. `state` is null while no registration is
 * in force: the loanRef was never registered, or its registration was reversed (voided), in which
 * case it may be registered again and the history simply goes on.
 */
export interface LoanAggregate {
  readonly bank: string;
  readonly loanRef: string;
  readonly state: LoanState | null;
  /** In sequence order. */
  readonly history: readonly LoanHistoryEntry[];
}

const ok = (state: LoanState): LoanStep => ({ ok: true, state });
const fail = (problem: LoanProblem): LoanStep => ({ ok: false, problem });

const PATENT_KIND_BY_TYPE_DIGIT: Readonly<Record<string, PatentKind>> = {
  '1': 'invention',
  '2': 'utility_model',
  '3': 'design',
  '8': 'invention',
  '9': 'utility_model',
};

/**
 * The latest day a pledged patent can still be in force, judged from its number alone (the filing
 * year; the exact filing date is unknown, so we assume 31 December). Only utility models and
 * designs are checked: inventions may get patent term compensation (Patent Law 2020 art. 42),
 * trademarks renew every ten years, so for them the number proves nothing. For a PCT number the
 * year is the national-phase entry, later than the international filing date the term runs from,
 * so the bound stays an upper bound.
 */
export function latestPossibleExpiry(
  right: PledgedRight,
): { readonly kind: PatentKind; readonly year: number; readonly expiry: BusinessDate } | null {
  if (right.kind !== 'patent') return null;
  const match = /^(\d{4})(\d)\d{7}\.[0-9X]$/.exec(right.number);
  if (match === null) return null;
  const kind = PATENT_KIND_BY_TYPE_DIGIT[match[2]];
  if (kind === undefined || kind === 'invention') return null;
  const year = Number(match[1]);
  return { kind, year, expiry: patentExpiry(BusinessDate.of(year, 12, 31), kind) };
}

function register(event: LoanEventOf<'LoanRegistered'>, bank: string): LoanStep {
  const d = event.data;
  const seen = new Map<string, number>();
  for (const [i, right] of d.pledge.rights.entries()) {
    const key = `${right.kind}:${right.number}`;
    const first = seen.get(key);
    if (first !== undefined) {
      return fail(
        loanProblem(
          'duplicate-pledged-right',
          `The ${right.kind} ${right.number} is listed twice in the pledge (rights[${first}] and rights[${i}]).`,
          `data.pledge.rights[${i}].number`,
        ),
      );
    }
    seen.set(key, i);
  }
  const maturesOn = BusinessDate.parse(event.occurredOn).addMonths(d.termMonths);
  for (const [i, right] of d.pledge.rights.entries()) {
    const bound = latestPossibleExpiry(right);
    if (bound !== null && maturesOn.isAfter(bound.expiry)) {
      const kind = bound.kind === 'utility_model' ? 'utility model' : 'design';
      return fail(
        loanProblem(
          'term-exceeds-right-expiry',
          `The loan matures on ${maturesOn.toString()}, but ${kind} ${right.number} (filed in ${bound.year}) expires on ${bound.expiry.toString()} at the latest.`,
          `data.pledge.rights[${i}].number`,
        ),
      );
    }
  }
  return ok({
    bank,
    loanRef: event.loanRef,
    status: 'registered',
    borrower: d.borrower,
    principal: d.principal,
    annualRate: d.annualRate,
    termMonths: d.termMonths,
    inclusive: d.inclusive,
    pledge: d.pledge,
    ...(d.agencyId === undefined ? {} : { agencyId: d.agencyId }),
    disbursed: 0n,
    repaidPrincipal: 0n,
    interestPaid: 0n,
    principalLoss: 0n,
    registeredOn: event.occurredOn,
    maturesOn: maturesOn.toString(),
    registrationEventId: event.eventId,
  });
}

function notAllowed(event: LoanFact, status: LoanStatus, why: string): LoanStep {
  return fail(
    loanProblem('transition-not-allowed', `${event.type} is not allowed on a ${status} loan: ${why}.`, 'type'),
  );
}

/** `state` without `overdueDays`, for leaving `overdue`. */
function withoutOverdue(state: LoanState): LoanState {
  const { overdueDays: _dropped, ...rest } = state;
  return rest;
}

/**
 * Applies one fact to a loan. `state` null means no registration is in force under the loanRef.
 * Allowed transitions (anything else is `transition-not-allowed`; after `settled` nothing but a
 * reversal, which `applyToLoan` handles):
 *
 * | event             | from                               | to                                  |
 * |-------------------|------------------------------------|-------------------------------------|
 * | LoanRegistered    | (none)                             | registered                          |
 * | LoanDisbursed     | registered, disbursed              | disbursed                           |
 * | RepaymentReceived | disbursed, overdue                 | disbursed (cures overdue)           |
 * | RepaymentReceived | defaulted                          | defaulted (a recovery)              |
 * | LoanOverdue       | disbursed, overdue (outstanding>0) | overdue (latest overdueDays)        |
 * | LoanDefaulted     | disbursed, overdue (outstanding>0), defaulted | defaulted (losses add up, earliest date) |
 * | LoanSettled       | any but settled, outstanding = 0   | settled (pledge released)           |
 */
export function applyEvent(state: LoanState | null, event: LoanFact & { readonly bank: string }): LoanStep {
  if (event.type === 'LoanRegistered') {
    if (state !== null) {
      return fail(
        loanProblem(
          'loan-already-registered',
          `Loan ${event.loanRef} is already registered (by event ${state.registrationEventId}); reverse that registration first to register it anew.`,
          'loanRef',
        ),
      );
    }
    return register(event, event.bank);
  }
  if (state === null) {
    return fail(
      loanProblem('unknown-loan', `No loan ${event.loanRef} is registered; send its LoanRegistered first.`, 'loanRef'),
    );
  }
  if (state.status === 'settled') {
    return fail(
      loanProblem(
        'loan-settled',
        `Loan ${state.loanRef} was settled on ${state.settledOn ?? '?'}; only a reversal may follow.`,
      ),
    );
  }
  if (event.occurredOn < state.registeredOn) {
    return fail(
      loanProblem(
        'event-before-registration',
        `The event occurred on ${event.occurredOn}, before the loan was registered on ${state.registeredOn}.`,
        'occurredOn',
      ),
    );
  }
  const owed = outstanding(state);
  switch (event.type) {
    case 'LoanDisbursed': {
      if (state.status !== 'registered' && state.status !== 'disbursed') {
        return notAllowed(event, state.status, 'new tranches only go to a current loan');
      }
      const disbursed = state.disbursed + event.data.amount;
      if (disbursed > state.principal) {
        return fail(
          loanProblem(
            'disbursement-exceeds-principal',
            `Disbursing ${money(event.data.amount)} would bring the total disbursed to ${money(disbursed)}, above the contracted principal of ${money(state.principal)} (${money(state.disbursed)} disbursed so far).`,
            'data.amount',
          ),
        );
      }
      return ok({ ...state, status: 'disbursed', disbursed });
    }
    case 'RepaymentReceived': {
      if (state.status === 'registered') return notAllowed(event, state.status, 'nothing has been disbursed yet');
      if (event.data.principal > owed) {
        return fail(
          loanProblem(
            'repayment-exceeds-outstanding',
            `Repaying ${money(event.data.principal)} of principal exceeds the ${money(owed)} outstanding.`,
            'data.principal',
          ),
        );
      }
      const repaid = {
        ...state,
        repaidPrincipal: state.repaidPrincipal + event.data.principal,
        interestPaid: state.interestPaid + event.data.interest,
      };
      // A repayment cures an overdue loan; after a default it is a recovery and the loan stays defaulted.
      return ok(state.status === 'overdue' ? { ...withoutOverdue(repaid), status: 'disbursed' } : repaid);
    }
    case 'LoanOverdue': {
      if (state.status !== 'disbursed' && state.status !== 'overdue') {
        return notAllowed(
          event,
          state.status,
          state.status === 'registered'
            ? 'nothing has been disbursed yet'
            : 'a defaulted loan does not go back to overdue',
        );
      }
      if (owed === 0n)
        return fail(
          loanProblem(
            'nothing-outstanding',
            `Loan ${state.loanRef} has no principal outstanding to be overdue on; settle it instead.`,
          ),
        );
      return ok({ ...state, status: 'overdue', overdueDays: event.data.overdueDays });
    }
    case 'LoanDefaulted': {
      if (state.status === 'registered') return notAllowed(event, state.status, 'nothing has been disbursed yet');
      if (state.status !== 'defaulted' && owed === 0n) {
        return fail(
          loanProblem(
            'nothing-outstanding',
            `Loan ${state.loanRef} has no principal outstanding to default on; settle it instead.`,
          ),
        );
      }
      if (event.data.principalLoss > owed) {
        return fail(
          loanProblem(
            'loss-exceeds-outstanding',
            `A principal loss of ${money(event.data.principalLoss)} exceeds the ${money(owed)} outstanding.`,
            'data.principalLoss',
          ),
        );
      }
      return ok({
        ...withoutOverdue(state),
        status: 'defaulted',
        principalLoss: state.principalLoss + event.data.principalLoss,
        // The earliest default date, whatever order the defaults arrive in: the date risk-compensation
        // judges a claim's `defaultedOn` by (and re-folding after a reversal gives the earliest left).
        defaultedOn:
          state.defaultedOn === undefined || event.occurredOn < state.defaultedOn
            ? event.occurredOn
            : state.defaultedOn,
      });
    }
    case 'LoanSettled': {
      if (owed !== 0n) {
        return fail(
          loanProblem(
            'settlement-with-outstanding',
            `Loan ${state.loanRef} still has ${money(owed)} of principal outstanding; report repayments or a principal loss first.`,
          ),
        );
      }
      return ok({ ...withoutOverdue(state), status: 'settled', settledOn: event.occurredOn });
    }
  }
}

export type FoldResult =
  | { readonly ok: true; readonly state: LoanState | null }
  | { readonly ok: false; readonly failedAt: LoanHistoryEntry; readonly problem: LoanProblem };

/**
 * Rebuilds a loan from scratch: applies, in order, every event that is neither a reversal nor
 * reversed. Null when no registration remains in force. The first event that no longer applies
 * is reported (this is how a reversal is checked).
 */
export function foldHistory(events: readonly LoanHistoryEntry[]): FoldResult {
  let state: LoanState | null = null;
  for (const entry of events) {
    if (entry.reversed || entry.type === 'EventReversed') continue;
    const step = applyEvent(state, entry);
    if (!step.ok) return { ok: false, failedAt: entry, problem: step.problem };
    state = step.state;
  }
  return { ok: true, state };
}

export type LoanTransition =
  | {
      readonly ok: true;
      readonly aggregate: LoanAggregate;
      /** The newly accepted history entry. */
      readonly entry: LoanHistoryEntry;
      /** For a reversal: the earlier entry it undid, now flagged reversed. */
      readonly reversedEntry?: LoanHistoryEntry;
    }
  | { readonly ok: false; readonly problem: LoanProblem };

export interface AcceptanceMeta {
  readonly bank: string;
  readonly recordedAt: string;
  readonly contentHash: string;
}

function reverse(
  aggregate: LoanAggregate | null,
  event: LoanEventOf<'EventReversed'>,
):
  | { ok: true; history: LoanHistoryEntry[]; state: LoanState | null; target: LoanHistoryEntry }
  | { ok: false; problem: LoanProblem } {
  const field = 'data.reversedEventId';
  const targetId = event.data.reversedEventId;
  if (aggregate === null) {
    return {
      ok: false,
      problem: loanProblem(
        'unknown-loan',
        `No loan ${event.loanRef} is registered; there is nothing to reverse.`,
        'loanRef',
      ),
    };
  }
  const index = aggregate.history.findIndex((e) => e.eventId === targetId);
  if (index < 0) {
    return {
      ok: false,
      problem: loanProblem('unknown-event', `Loan ${event.loanRef} has no accepted event ${targetId}.`, field),
    };
  }
  const target = aggregate.history[index];
  if (target.type === 'EventReversed') {
    return {
      ok: false,
      problem: loanProblem(
        'reversal-of-reversal',
        `Event ${targetId} is itself a reversal and cannot be reversed; report the original event again instead.`,
        field,
      ),
    };
  }
  if (target.reversed) {
    return {
      ok: false,
      problem: loanProblem(
        'already-reversed',
        `Event ${targetId} was already reversed by ${target.reversedBy ?? 'an earlier reversal'}.`,
        field,
      ),
    };
  }
  if (aggregate.state !== null && event.occurredOn < aggregate.state.registeredOn) {
    return {
      ok: false,
      problem: loanProblem(
        'event-before-registration',
        `The reversal occurred on ${event.occurredOn}, before the loan was registered on ${aggregate.state.registeredOn}.`,
        'occurredOn',
      ),
    };
  }
  const reversedTarget: LoanHistoryEntry = { ...target, reversed: true, reversedBy: event.eventId };
  const history = aggregate.history.map((e, i) => (i === index ? reversedTarget : e));
  const folded = foldHistory(history);
  if (!folded.ok) {
    const failed = folded.failedAt;
    return {
      ok: false,
      problem: loanProblem(
        'reversal-breaks-history',
        `Without ${target.type} ${targetId}, the later ${failed.type} ${failed.eventId} (#${failed.sequence}) would fail with ${folded.problem.code}: ${folded.problem.detail} Reverse ${failed.eventId} first.`,
        field,
      ),
    };
  }
  return { ok: true, history, state: folded.state, target: reversedTarget };
}

/**
 * Adds one event to a loan (`aggregate` null: nothing was ever accepted under the loanRef).
 * A reversal undoes one earlier accepted, non-reversed, non-reversal event of the same loan and
 * everything it implied: the loan is re-folded without it, and if any remaining event no longer
 * applies the reversal is refused (`reversal-breaks-history`, naming that event). Reversing the
 * registration thus works only once every later event is reversed, and voids the loan.
 * Pledges held by other loans are not checked here (see `applyBatch`).
 */
export function applyToLoan(
  aggregate: LoanAggregate | null,
  event: ParsedLoanEvent,
  meta: AcceptanceMeta,
): LoanTransition {
  const sequence = (aggregate?.history.length ?? 0) + 1;
  const entry: LoanHistoryEntry = {
    ...event,
    bank: meta.bank,
    sequence,
    recordedAt: meta.recordedAt,
    contentHash: meta.contentHash,
    reversed: false,
  };
  if (event.type === 'EventReversed') {
    const result = reverse(aggregate, event);
    if (!result.ok) return result;
    return {
      ok: true,
      aggregate: { bank: meta.bank, loanRef: event.loanRef, state: result.state, history: [...result.history, entry] },
      entry,
      reversedEntry: result.target,
    };
  }
  const step = applyEvent(aggregate?.state ?? null, { ...event, bank: meta.bank });
  if (!step.ok) return step;
  return {
    ok: true,
    aggregate: {
      bank: meta.bank,
      loanRef: event.loanRef,
      state: step.state,
      history: [...(aggregate?.history ?? []), entry],
    },
    entry,
  };
}
