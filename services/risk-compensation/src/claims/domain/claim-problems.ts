import { DomainError, type DomainErrorKind, type FieldError } from '@ipfin/kernel';

/**
 * Why a claim, an approval, a rejection or a recovery was refused. Codes are stable and public:
 * they become the problem `type` (`…/problems/<code>`); `kind` decides the HTTP status
 * (not-found 404, forbidden 403, conflict 409, rule 422, validation 400).
 */
export const CLAIM_PROBLEMS = {
  'unknown-loan': { kind: 'not-found', title: 'No loan of yours has this loanRef' },
  'not-your-loan': { kind: 'forbidden', title: 'The loan belongs to another bank' },
  'loan-not-covered': { kind: 'rule', title: 'The loan is not covered by a risk-compensation fund' },
  'loan-not-defaulted': { kind: 'rule', title: 'The loan events report no principal loss' },
  'default-date-mismatch': { kind: 'rule', title: 'defaultedOn differs from the default the loan events report' },
  'claim-before-default': { kind: 'rule', title: 'The claim is dated before the default' },
  'claim-window-closed': { kind: 'rule', title: "The policy's claim window has closed" },
  'claim-amount-not-positive': { kind: 'rule', title: 'A claim needs a positive principal loss' },
  'claim-exceeds-reported-loss': {
    kind: 'rule',
    title: 'The claimed loss exceeds the principal loss the loan events report',
  },
  'claim-already-open': { kind: 'conflict', title: 'The loan already has a claim that is not rejected' },
  'claim-not-filed': { kind: 'conflict', title: 'Only a filed claim can be approved or rejected' },
  'rejection-reason-required': { kind: 'validation', title: 'A rejection needs a reason' },
  'not-your-claim': { kind: 'forbidden', title: 'The claim belongs to another bank' },
  'claim-not-paid': { kind: 'rule', title: 'Recoveries are shared only after the claim is paid' },
  'recovery-not-positive': { kind: 'rule', title: 'A recovery must be a positive amount' },
  'recovery-before-payout': { kind: 'rule', title: 'The recovery is dated before the payout' },
} as const satisfies Record<string, { kind: DomainErrorKind; title: string }>;

export type ClaimProblemCode = keyof typeof CLAIM_PROBLEMS;

export interface ClaimProblem {
  readonly code: ClaimProblemCode;
  readonly detail: string;
  /** The request field the rule is about, e.g. `principalLoss`. */
  readonly field?: string;
  readonly context?: Readonly<Record<string, unknown>>;
}

export function claimProblem(
  code: ClaimProblemCode,
  detail: string,
  extra: Pick<ClaimProblem, 'field' | 'context'> = {},
): ClaimProblem {
  return { code, detail, ...extra };
}

/**
 * The problems as one kernel `DomainError`: the first problem gives the code and kind (the checks
 * list the most fundamental first); `detail` joins them all and `context.problems` lists them, so a
 * bank learns every reason at once.
 */
export function claimProblemError(problems: readonly [ClaimProblem, ...ClaimProblem[]]): DomainError {
  const [first] = problems;
  const errors: FieldError[] = problems.flatMap((p) =>
    p.field === undefined ? [] : [{ field: p.field, message: p.detail }],
  );
  return new DomainError({
    code: first.code,
    kind: CLAIM_PROBLEMS[first.code].kind,
    detail: problems.map((p) => p.detail).join(' '),
    ...(errors.length === 0 ? {} : { errors }),
    context: {
      ...first.context,
      problems: problems.map((p) => ({
        code: p.code,
        detail: p.detail,
        ...(p.context === undefined ? {} : { context: p.context }),
      })),
    },
  });
}

export type Refusal = { readonly ok: false; readonly problems: readonly [ClaimProblem, ...ClaimProblem[]] };

export function refuse(problems: readonly ClaimProblem[]): Refusal | null {
  return problems.length === 0 ? null : { ok: false, problems: [problems[0], ...problems.slice(1)] };
}
