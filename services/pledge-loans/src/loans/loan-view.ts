import { Money } from '@ipfin/kernel';
import { outstanding, type LoanHistoryEntry, type LoanState } from './domain';
import { eventToJson } from './loan-event.codec';

const money = (fen: bigint): string => Money.fromFen(fen).toString();

/** The loan as `GET /v1/loans/{loanRef}` shows it (money as decimal strings). */
export function loanView(state: LoanState): Record<string, unknown> {
  return {
    bank: state.bank,
    loanRef: state.loanRef,
    status: state.status,
    borrower: state.borrower,
    principal: money(state.principal),
    disbursed: money(state.disbursed),
    outstanding: money(outstanding(state)),
    repaidPrincipal: money(state.repaidPrincipal),
    interestPaid: money(state.interestPaid),
    principalLoss: money(state.principalLoss),
    annualRate: state.annualRate,
    termMonths: state.termMonths,
    inclusive: state.inclusive,
    registeredOn: state.registeredOn,
    maturesOn: state.maturesOn,
    ...(state.overdueDays === undefined ? {} : { overdueDays: state.overdueDays }),
    ...(state.defaultedOn === undefined ? {} : { defaultedOn: state.defaultedOn }),
    ...(state.settledOn === undefined ? {} : { settledOn: state.settledOn }),
    ...(state.agencyId === undefined ? {} : { agencyId: state.agencyId }),
    pledge: {
      registrationNo: state.pledge.registrationNo,
      registeredOn: state.pledge.registeredOn,
      appraisedValue: money(state.pledge.appraisedValue),
      rights: state.pledge.rights,
    },
  };
}

export function historyView(entry: LoanHistoryEntry): Record<string, unknown> {
  return {
    ...eventToJson(entry),
    sequence: entry.sequence,
    recordedAt: entry.recordedAt,
    reversed: entry.reversed,
    ...(entry.reversedBy === undefined ? {} : { reversedBy: entry.reversedBy }),
  };
}
