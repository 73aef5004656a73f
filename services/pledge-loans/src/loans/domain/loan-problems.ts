import type { FieldError } from '@ipfin/kernel';

/**
 * Why a loan event was refused. Codes are stable and public: they become the problem `type` of
 * the item in the `POST /v1/loan-events` response (`…/problems/<code>`), except
 * `validation-failed`, which goes out as `…/problems/validation` with the title "Invalid
 * request", like every other invalid-field problem of the platform (`@ipfin/http` `problemType`).
 */
export const LOAN_PROBLEMS = {
  'validation-failed': { status: 400, title: 'Invalid request' },
  'event-id-conflict': { status: 409, title: 'This eventId was already accepted with different content' },
  'loan-already-registered': { status: 409, title: 'A loan with this loanRef is already registered' },
  'pledge-registration-duplicate': { status: 409, title: 'This pledge registration number belongs to another loan' },
  'already-reversed': { status: 409, title: 'The event has already been reversed' },
  'unknown-loan': { status: 422, title: 'No registered loan has this loanRef' },
  'unknown-event': { status: 422, title: 'The loan has no accepted event with this id' },
  'reversal-of-reversal': { status: 422, title: 'A reversal cannot be reversed' },
  'reversal-breaks-history': { status: 422, title: "Reversing the event would make the loan's later history invalid" },
  'loan-settled': { status: 422, title: 'The loan is settled; only a reversal may follow' },
  'transition-not-allowed': { status: 422, title: "The event is not allowed in the loan's current status" },
  'event-before-registration': { status: 422, title: 'The event occurred before the loan was registered' },
  'disbursement-exceeds-principal': { status: 422, title: 'Total disbursed would exceed the contracted principal' },
  'repayment-exceeds-outstanding': { status: 422, title: 'Repaid principal would exceed the outstanding principal' },
  'loss-exceeds-outstanding': { status: 422, title: 'Principal loss would exceed the outstanding principal' },
  'nothing-outstanding': { status: 422, title: 'The loan has no outstanding principal' },
  'settlement-with-outstanding': { status: 422, title: 'A loan can only be settled when no principal is outstanding' },
  'duplicate-pledged-right': { status: 422, title: 'The same right is pledged twice in one loan' },
  'term-exceeds-right-expiry': { status: 422, title: "The loan term runs past a pledged right's expiry" },
  'right-already-pledged': { status: 422, title: 'The right is already pledged under another loan in force' },
} as const satisfies Record<string, { status: 400 | 409 | 422; title: string }>;

export type LoanProblemCode = keyof typeof LOAN_PROBLEMS;
export type ProblemStatus = (typeof LOAN_PROBLEMS)[LoanProblemCode]['status'];

/** A refusal as the domain states it; `field` is the offending request field, e.g. `data.amount`. */
export interface LoanProblem {
  readonly code: LoanProblemCode;
  readonly detail: string;
  readonly field?: string;
}

/**
 * RFC 9457 body of one refused item. `type` is the bare code; the HTTP layer turns it into a
 * URI with `problemType`. `errors` lists invalid fields, or the one field a rule refers to.
 */
export interface ItemProblem {
  readonly type: LoanProblemCode;
  readonly title: string;
  readonly status: ProblemStatus;
  readonly detail: string;
  readonly errors?: readonly FieldError[];
}

export function loanProblem(code: LoanProblemCode, detail: string, field?: string): LoanProblem {
  return field === undefined ? { code, detail } : { code, detail, field };
}

export function toItemProblem(problem: LoanProblem): ItemProblem {
  const { status, title } = LOAN_PROBLEMS[problem.code];
  const base = { type: problem.code, title, status, detail: problem.detail };
  return problem.field === undefined ? base : { ...base, errors: [{ field: problem.field, message: problem.detail }] };
}

export function validationProblem(errors: readonly FieldError[]): ItemProblem {
  const { status, title } = LOAN_PROBLEMS['validation-failed'];
  const detail = errors.map((e) => (e.field === '' ? e.message : `${e.field}: ${e.message}`)).join('; ');
  return { type: 'validation-failed', title, status, detail, errors };
}
