import { DomainError, type DomainErrorKind, type FieldError } from '@ipfin/kernel';

/**
 * Why a fund operation was refused. Codes are stable and public: they become the problem `type`
 * (`…/problems/<code>`); `kind` decides the HTTP status (conflict 409, rule 422, validation 400).
 */
export const FUND_PROBLEMS = {
  'invalid-policy': { kind: 'validation', title: 'The policy is invalid' },
  'policy-period-overlap': { kind: 'conflict', title: "The policy's effective period overlaps another version" },
  'contribution-not-positive': { kind: 'rule', title: 'A contribution must be a positive amount' },
} as const satisfies Record<string, { kind: DomainErrorKind; title: string }>;

export type FundProblemCode = keyof typeof FUND_PROBLEMS;

export interface FundProblem {
  readonly code: FundProblemCode;
  readonly detail: string;
  /** The offending request fields, e.g. `effectiveTo`. */
  readonly errors?: readonly FieldError[];
  readonly context?: Readonly<Record<string, unknown>>;
}

export function fundProblem(
  code: FundProblemCode,
  detail: string,
  extra: Pick<FundProblem, 'errors' | 'context'> = {},
): FundProblem {
  return { code, detail, ...extra };
}

/** The problem as a kernel `DomainError`, for the service layer to throw. */
export function fundProblemError(problem: FundProblem): DomainError {
  const { kind } = FUND_PROBLEMS[problem.code];
  return new DomainError({
    code: problem.code,
    kind,
    detail: problem.detail,
    ...(problem.errors === undefined ? {} : { errors: problem.errors }),
    ...(problem.context === undefined ? {} : { context: problem.context }),
  });
}
