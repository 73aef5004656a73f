import type { BorrowerSize, CoverageRule } from '@ipfin/contracts';
import { Money } from '@ipfin/kernel';
import type { CoveredLoan, CoveredLoanStatus } from './domain/covered-loan';

/** `covered_loans.view`: the domain's `CoveredLoan` with money as decimal strings. */
export interface CoveredLoanJson {
  bank: string;
  loanRef: string;
  registrationEventId: string;
  region: string | null;
  covered: boolean;
  reasons: { rule: CoverageRule; detail: string }[];
  policyVersion?: string;
  borrower: { uscc: string; size: BorrowerSize; regionCode: string };
  principal: string;
  termMonths: number;
  registeredOn: string;
  tranches: { eventId: string; amount: string }[];
  repayments: { eventId: string; amount: string }[];
  defaults: { eventId: string; occurredOn: string; principalLoss: string }[];
  settlement?: { eventId: string; occurredOn: string };
  /** Absent in views stored before reversals were kept, and before the first. */
  reversals?: string[];
  outstanding: string;
  reportedLoss: string;
  defaultedOn?: string;
  status: CoveredLoanStatus;
}

export function coveredLoanToJson(loan: CoveredLoan): CoveredLoanJson {
  return {
    bank: loan.bank,
    loanRef: loan.loanRef,
    registrationEventId: loan.registrationEventId,
    region: loan.region,
    covered: loan.covered,
    reasons: loan.reasons.map((r) => ({ rule: r.rule, detail: r.detail })),
    ...(loan.policyVersion === undefined ? {} : { policyVersion: loan.policyVersion }),
    borrower: { ...loan.borrower },
    principal: loan.principal.toString(),
    termMonths: loan.termMonths,
    registeredOn: loan.registeredOn,
    tranches: loan.tranches.map((t) => ({ eventId: t.eventId, amount: t.amount.toString() })),
    repayments: loan.repayments.map((r) => ({ eventId: r.eventId, amount: r.amount.toString() })),
    defaults: loan.defaults.map((d) => ({
      eventId: d.eventId,
      occurredOn: d.occurredOn,
      principalLoss: d.principalLoss.toString(),
    })),
    ...(loan.settlement === undefined ? {} : { settlement: { ...loan.settlement } }),
    ...(loan.reversals === undefined ? {} : { reversals: [...loan.reversals] }),
    outstanding: loan.outstanding.toString(),
    reportedLoss: loan.reportedLoss.toString(),
    ...(loan.defaultedOn === undefined ? {} : { defaultedOn: loan.defaultedOn }),
    status: loan.status,
  };
}

export function coveredLoanFromJson(json: CoveredLoanJson): CoveredLoan {
  return {
    bank: json.bank,
    loanRef: json.loanRef,
    registrationEventId: json.registrationEventId,
    region: json.region,
    covered: json.covered,
    reasons: json.reasons,
    ...(json.policyVersion === undefined ? {} : { policyVersion: json.policyVersion }),
    borrower: json.borrower,
    principal: Money.parse(json.principal),
    termMonths: json.termMonths,
    registeredOn: json.registeredOn,
    tranches: json.tranches.map((t) => ({ eventId: t.eventId, amount: Money.parse(t.amount) })),
    repayments: json.repayments.map((r) => ({ eventId: r.eventId, amount: Money.parse(r.amount) })),
    defaults: json.defaults.map((d) => ({
      eventId: d.eventId,
      occurredOn: d.occurredOn,
      principalLoss: Money.parse(d.principalLoss),
    })),
    ...(json.settlement === undefined ? {} : { settlement: json.settlement }),
    ...(json.reversals === undefined ? {} : { reversals: json.reversals }),
    // Derived figures may be negative in a contradictory stream (a loss above what is outstanding).
    outstanding: Money.parseSigned(json.outstanding),
    reportedLoss: Money.parse(json.reportedLoss),
    ...(json.defaultedOn === undefined ? {} : { defaultedOn: json.defaultedOn }),
    status: json.status,
  };
}

export const loanKey = (bank: string, loanRef: string): string => `${bank}\u0000${loanRef}`;
