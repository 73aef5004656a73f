import { Money } from '@ipfin/kernel';
import type { JsonObject, LoanEventJson, LoanHistoryEntry, LoanState, ParsedLoanEvent } from './domain';
import { toLoanEventJson } from './domain';

/**
 * Storage form of accepted events: the normalised wire JSON (`toLoanEventJson`). Reading it back
 * needs no validation — it was validated on the way in — only money strings turned into fen.
 */
const fen = (s: unknown): bigint => Money.parse(s as string).fen;

export function eventToJson(event: ParsedLoanEvent): LoanEventJson {
  return toLoanEventJson(event);
}

export function eventFromJson(json: LoanEventJson): ParsedLoanEvent {
  const { eventId, loanRef, occurredOn } = json;
  const d = json.data as Record<string, unknown>;
  switch (json.type) {
    case 'LoanRegistered': {
      const pledge = d.pledge as JsonObject;
      return {
        eventId, loanRef, occurredOn, type: 'LoanRegistered',
        data: {
          borrower: d.borrower as LoanStateBorrower,
          principal: fen(d.principal),
          annualRate: d.annualRate as string,
          termMonths: d.termMonths as number,
          inclusive: d.inclusive as boolean,
          pledge: {
            registrationNo: pledge.registrationNo as string,
            registeredOn: pledge.registeredOn as string,
            appraisedValue: fen(pledge.appraisedValue),
            rights: pledge.rights as unknown as LoanState['pledge']['rights'],
          },
          ...(d.agencyId === undefined ? {} : { agencyId: d.agencyId as string }),
        },
      };
    }
    case 'LoanDisbursed':
      return { eventId, loanRef, occurredOn, type: 'LoanDisbursed', data: { amount: fen(d.amount) } };
    case 'RepaymentReceived':
      return { eventId, loanRef, occurredOn, type: 'RepaymentReceived', data: { principal: fen(d.principal), interest: fen(d.interest) } };
    case 'LoanOverdue':
      return { eventId, loanRef, occurredOn, type: 'LoanOverdue', data: { overdueDays: d.overdueDays as number } };
    case 'LoanDefaulted':
      return { eventId, loanRef, occurredOn, type: 'LoanDefaulted', data: { principalLoss: fen(d.principalLoss) } };
    case 'LoanSettled':
      return { eventId, loanRef, occurredOn, type: 'LoanSettled', data: {} };
    case 'EventReversed':
      return { eventId, loanRef, occurredOn, type: 'EventReversed', data: { reversedEventId: d.reversedEventId as string } };
  }
}

type LoanStateBorrower = LoanState['borrower'];

/** A stored history row back into a history entry. */
export function historyEntryFromRow(row: {
  bank: string; sequence: number; recorded_at: Date; content_hash: string; reversed_by: string | null; event: LoanEventJson;
}): LoanHistoryEntry {
  return {
    ...eventFromJson(row.event),
    bank: row.bank,
    sequence: row.sequence,
    recordedAt: row.recorded_at.toISOString(),
    contentHash: row.content_hash,
    reversed: row.reversed_by !== null,
    ...(row.reversed_by === null ? {} : { reversedBy: row.reversed_by }),
  };
}
