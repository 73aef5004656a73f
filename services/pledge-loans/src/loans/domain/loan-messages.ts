import {
  TOPICS,
  loanCeType,
  loanKey,
  type EventReversedV1,
  type LoanDefaultedV1,
  type LoanDisbursedV1,
  type LoanEventBase,
  type LoanEventPayload,
  type LoanOverdueV1,
  type LoanRegisteredV1,
  type LoanSettledV1,
  type RepaymentReceivedV1,
} from '@ipfin/contracts';
import { money, type LoanFactType } from './loan-event';
import type { LoanHistoryEntry } from './loan';

/** One record for `ipfin.loans.v1`, ready for the outbox. */
export interface LoanEventMessage {
  readonly topic: typeof TOPICS.loans;
  /** `{bank}:{loanRef}`: one loan's events stay in order on one partition. */
  readonly key: string;
  /** `ce_type`, e.g. `ipfin.loans.LoanDisbursed.v1`. */
  readonly ceType: string;
  /** `ce_id`: `{bank}:{loanRef}:{sequence}`, unique and stable across retries. */
  readonly id: string;
  readonly payload: LoanEventPayload;
}

type FactEntry = Exclude<LoanHistoryEntry, { type: 'EventReversed' }>;
type FactPayload = Exclude<LoanEventPayload, EventReversedV1>;

function base(entry: LoanHistoryEntry): LoanEventBase {
  return {
    bank: entry.bank,
    loanRef: entry.loanRef,
    eventId: entry.eventId,
    sequence: entry.sequence,
    occurredOn: entry.occurredOn,
    recordedAt: entry.recordedAt,
  };
}

function factPayload(entry: FactEntry): FactPayload {
  switch (entry.type) {
    case 'LoanRegistered': {
      const d = entry.data;
      const payload: LoanRegisteredV1 = {
        ...base(entry),
        borrower: { ...d.borrower },
        principal: money(d.principal),
        annualRate: d.annualRate,
        termMonths: d.termMonths,
        inclusive: d.inclusive,
        pledge: {
          registrationNo: d.pledge.registrationNo,
          registeredOn: d.pledge.registeredOn,
          appraisedValue: money(d.pledge.appraisedValue),
          rights: d.pledge.rights.map((r) => ({ ...r })),
        },
      };
      if (d.agencyId !== undefined) payload.agencyId = d.agencyId;
      return payload;
    }
    case 'LoanDisbursed':
      return { ...base(entry), amount: money(entry.data.amount) } satisfies LoanDisbursedV1;
    case 'RepaymentReceived':
      return {
        ...base(entry),
        principal: money(entry.data.principal),
        interest: money(entry.data.interest),
      } satisfies RepaymentReceivedV1;
    case 'LoanOverdue':
      return { ...base(entry), overdueDays: entry.data.overdueDays } satisfies LoanOverdueV1;
    case 'LoanDefaulted':
      return { ...base(entry), principalLoss: money(entry.data.principalLoss) } satisfies LoanDefaultedV1;
    case 'LoanSettled':
      return base(entry) satisfies LoanSettledV1;
  }
}

/**
 * The payload published for an accepted event. A reversal carries the reversed event's type and
 * its payload as originally published, so consumers can undo it without having kept it.
 */
export function loanEventPayload(entry: LoanHistoryEntry, reversedEntry?: LoanHistoryEntry): LoanEventPayload {
  if (entry.type !== 'EventReversed') return factPayload(entry);
  if (
    reversedEntry === undefined ||
    reversedEntry.type === 'EventReversed' ||
    reversedEntry.eventId !== entry.data.reversedEventId
  ) {
    throw new TypeError(
      `loanEventPayload: reversal ${entry.eventId} needs the non-reversal entry ${entry.data.reversedEventId} it undoes`,
    );
  }
  const reversedType: LoanFactType = reversedEntry.type;
  const payload: EventReversedV1 = {
    ...base(entry),
    reversedEventId: entry.data.reversedEventId,
    reversedType,
    reversed: { ...factPayload(reversedEntry) },
  };
  return payload;
}

export function loanEventMessage(entry: LoanHistoryEntry, reversedEntry?: LoanHistoryEntry): LoanEventMessage {
  const key = loanKey(entry.bank, entry.loanRef);
  return {
    topic: TOPICS.loans,
    key,
    ceType: loanCeType(entry.type),
    id: `${key}:${entry.sequence}`,
    payload: loanEventPayload(entry, reversedEntry),
  };
}
