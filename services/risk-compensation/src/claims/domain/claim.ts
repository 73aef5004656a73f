import { BusinessDate, Money } from '@ipfin/kernel';
import { claimDeadline, type FundPolicy } from '../../funds/domain/fund-policy';
import { riskEvent, type RiskEventOf } from '../../funds/domain/risk-event';
import { claimProblem, refuse, type ClaimProblem, type Refusal } from './claim-problems';
import type { CoveredLoan } from './covered-loan';

/*
 * A claim's life: `filed` → `waiting` (approved, shares fixed, queued for payout) → `paid`, or
 * `filed` → `rejected` (by the fund manager), or `waiting` → `rejected` (withdrawn: the loan events
 * no longer report the loss it was approved for, see `withdrawUnsupportedClaim`). A rejected claim
 * lets the bank file a new one for the loan; any other claim blocks it (one compensated claim per
 * loan: a paid claim closes the loan's compensation, and a loss reported after it is not
 * compensated again, so banks claim once the loss is final). The fund manager rejects only filed
 * claims: once approved the fund owes the money — as long as the loan events report the loss. A
 * paid claim stays paid whatever the loan events say later: the money has moved, and money coming
 * back is a recovery.
 */

export const CLAIM_STATUSES = ['filed', 'waiting', 'paid', 'rejected'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

interface ClaimBase {
  readonly id: string;
  /** The fund region (the loan's). */
  readonly region: string;
  readonly bank: string;
  readonly loanRef: string;
  readonly principalLoss: Money;
  readonly defaultedOn: string;
  readonly filedOn: string;
  /** `effectiveFrom` of the policy version the loan is covered under: its terms apply. */
  readonly policyVersion: string;
  readonly evidence: readonly string[];
}

/** What approval fixes. */
export interface ApprovedShares {
  readonly fundSharePercent: string;
  readonly perLoanCap?: Money;
  /** Whether `perLoanCap` cut the fund's share. */
  readonly capped: boolean;
  readonly fundShare: Money;
  readonly bankShare: Money;
  readonly approvedOn: string;
  /** 1-based per fund region: the payout queue's order. */
  readonly approvalSequence: number;
}

export interface FiledClaim extends ClaimBase {
  readonly status: 'filed';
}

export interface WaitingClaim extends ClaimBase, ApprovedShares {
  readonly status: 'waiting';
}

export interface PaidClaim extends ClaimBase, ApprovedShares {
  readonly status: 'paid';
  readonly paidOn: string;
  /** Σ fund parts of recoveries shared on this claim. */
  readonly recoveredToFund: Money;
  /** Σ bank parts of recoveries shared on this claim. */
  readonly recoveredToBank: Money;
}

export interface RejectedClaim extends ClaimBase {
  readonly status: 'rejected';
  readonly rejectedOn: string;
  readonly rejectionReason: string;
}

export type Claim = FiledClaim | WaitingClaim | PaidClaim | RejectedClaim;

/** `POST /v1/claims` as the domain reads it. */
export interface ClaimInput {
  readonly loanRef: string;
  readonly principalLoss: Money;
  readonly defaultedOn: string;
  readonly evidence?: readonly string[];
}

export interface Filing {
  /** Id the service assigned to the new claim. */
  readonly claimId: string;
  /** `sub` of the filing bank. */
  readonly bank: string;
  /** Business date of filing (today in Asia/Shanghai). */
  readonly filedOn: string;
}

export interface Shares {
  readonly fundShare: Money;
  readonly bankShare: Money;
  readonly capped: boolean;
}

/**
 * `fundShare = min(half-up(loss × percent / 100), perLoanCap)` to the fen, `bankShare = loss −
 * fundShare`: the two always add up to the loss.
 */
export function computeShares(principalLoss: Money, fundSharePercent: string, perLoanCap?: Money): Shares {
  const { part } = principalLoss.splitHalfUp(fundSharePercent);
  const capped = perLoanCap !== undefined && part.greaterThan(perLoanCap);
  const fundShare = capped ? perLoanCap : part;
  return { fundShare, bankShare: principalLoss.subtract(fundShare), capped };
}

const isOpen = (claim: Claim): boolean => claim.status !== 'rejected';

function coverageProblem(loan: CoveredLoan): ClaimProblem {
  return claimProblem(
    'loan-not-covered',
    `Loan ${loan.loanRef} is not covered: ${loan.reasons.map((r) => r.detail).join(' ')}`,
    { field: 'loanRef', context: { reasons: loan.reasons.map((r) => ({ rule: r.rule, detail: r.detail })) } },
  );
}

function lossProblems(loan: CoveredLoan, principalLoss: Money): ClaimProblem[] {
  if (!principalLoss.isPositive()) {
    return [
      claimProblem(
        'claim-amount-not-positive',
        `A claim needs a positive principal loss, got ${principalLoss.toString()}.`,
        { field: 'principalLoss' },
      ),
    ];
  }
  if (principalLoss.greaterThan(loan.reportedLoss)) {
    return [
      claimProblem(
        'claim-exceeds-reported-loss',
        `The claimed loss ${principalLoss.toString()} exceeds the principal loss of ${loan.reportedLoss.toString()} the loan events of ${loan.loanRef} report.`,
        { field: 'principalLoss', context: { reportedLoss: loan.reportedLoss.toString() } },
      ),
    ];
  }
  return [];
}

function windowProblems(
  loan: CoveredLoan & { defaultedOn: string },
  filedOn: string,
  policy: FundPolicy | null,
): ClaimProblem[] {
  const defaulted = BusinessDate.parse(loan.defaultedOn);
  const filed = BusinessDate.parse(filedOn);
  if (filed.isBefore(defaulted)) {
    return [
      claimProblem(
        'claim-before-default',
        `The claim is filed on ${filedOn}, before the default on ${loan.defaultedOn}.`,
        { field: 'defaultedOn' },
      ),
    ];
  }
  if (policy?.claimWindow === undefined) return [];
  const window = policy.claimWindow;
  const deadline = claimDeadline(defaulted, window);
  if (!filed.isAfter(deadline)) return [];
  const unit = window.unit === 'working' ? 'working days (Monday to Friday)' : 'days';
  return [
    claimProblem(
      'claim-window-closed',
      `Claims for loan ${loan.loanRef}, defaulted on ${loan.defaultedOn}, were accepted within ${window.days} ${unit}, until ${deadline.toString()}; this one is filed on ${filedOn}.`,
      { context: { deadline: deadline.toString(), windowDays: window.days, windowUnit: window.unit } },
    ),
  ];
}

export type ClaimFiling =
  { readonly ok: true; readonly claim: FiledClaim; readonly event: RiskEventOf<'ClaimFiled'> } | Refusal;

/**
 * Files a bank's claim on its loan (`POST /v1/claims`). `loan` is the fund's view of the bank's loan
 * (null if it has none under `loanRef`); `policy` the version the loan is covered under (null when
 * it is not covered); `existingClaims` the loan's earlier claims (others are ignored).
 *
 * Refusals, every one that applies, most fundamental first: `unknown-loan` / `not-your-loan` alone;
 * then `loan-not-covered` (with the coverage reasons); `loan-not-defaulted`; `default-date-mismatch`
 * (`defaultedOn` must be the first default the loan events report, so the window cannot be moved);
 * `claim-before-default`; `claim-window-closed` (filed after `claimDeadline`); `claim-amount-not-positive`
 * or `claim-exceeds-reported-loss` (at most the Σ principal loss of the non-reversed defaults);
 * `claim-already-open` (a filed, waiting or paid claim exists; rejected ones do not count).
 */
export function fileClaim(
  loan: CoveredLoan | null,
  input: ClaimInput,
  filing: Filing,
  existingClaims: readonly Claim[],
  policy: FundPolicy | null,
): ClaimFiling {
  if (loan === null || loan.loanRef !== input.loanRef) {
    return {
      ok: false,
      problems: [
        claimProblem('unknown-loan', `You have no loan ${input.loanRef} that risk compensation knows of.`, {
          field: 'loanRef',
        }),
      ],
    };
  }
  if (loan.bank !== filing.bank) {
    return {
      ok: false,
      problems: [
        claimProblem('not-your-loan', `Loan ${input.loanRef} is not a loan of ${filing.bank}.`, { field: 'loanRef' }),
      ],
    };
  }
  const problems: ClaimProblem[] = [];
  if (!loan.covered || loan.region === null || loan.policyVersion === undefined) problems.push(coverageProblem(loan));
  if (loan.defaultedOn === undefined) {
    problems.push(
      claimProblem(
        'loan-not-defaulted',
        `The loan events of ${loan.loanRef} report no principal loss (status ${loan.status}).`,
        { field: 'loanRef' },
      ),
    );
  } else {
    if (input.defaultedOn !== loan.defaultedOn) {
      problems.push(
        claimProblem(
          'default-date-mismatch',
          `The loan events of ${loan.loanRef} report the default on ${loan.defaultedOn}, not ${input.defaultedOn}.`,
          { field: 'defaultedOn', context: { reportedDefaultedOn: loan.defaultedOn } },
        ),
      );
    }
    problems.push(
      ...windowProblems({ ...loan, defaultedOn: loan.defaultedOn }, filing.filedOn, loan.covered ? policy : null),
    );
    problems.push(...lossProblems(loan, input.principalLoss));
  }
  const open = existingClaims.find(
    (c) => c.bank === loan.bank && c.loanRef === loan.loanRef && c.id !== filing.claimId && isOpen(c),
  );
  if (open !== undefined) {
    problems.push(
      claimProblem(
        'claim-already-open',
        `Loan ${loan.loanRef} already has claim ${open.id} (${open.status}); a new claim is possible only after a rejection.`,
        { context: { claimId: open.id, status: open.status } },
      ),
    );
  }
  const refusal = refuse(problems);
  if (refusal !== null) return refusal;
  if (loan.region === null || loan.policyVersion === undefined || loan.defaultedOn === undefined)
    throw new Error('unreachable: covered, defaulted loan');
  if (policy === null || policy.region !== loan.region || policy.effectiveFrom !== loan.policyVersion) {
    throw new Error(
      `fileClaim needs the policy version ${loan.region}@${loan.policyVersion} that covers loan ${loan.loanRef}.`,
    );
  }
  const claim: FiledClaim = {
    id: filing.claimId,
    region: loan.region,
    bank: loan.bank,
    loanRef: loan.loanRef,
    principalLoss: input.principalLoss,
    defaultedOn: loan.defaultedOn,
    filedOn: filing.filedOn,
    policyVersion: loan.policyVersion,
    evidence: [...(input.evidence ?? [])],
    status: 'filed',
  };
  return {
    ok: true,
    claim,
    event: riskEvent('ClaimFiled', {
      region: claim.region,
      claimId: claim.id,
      bank: claim.bank,
      loanRef: claim.loanRef,
      principalLoss: claim.principalLoss.toString(),
      defaultedOn: claim.defaultedOn,
      filedOn: claim.filedOn,
      policyVersion: claim.policyVersion,
      ...(claim.evidence.length === 0 ? {} : { evidence: [...claim.evidence] }),
    }),
  };
}

export interface Approval {
  /** Business date of approval (today in Asia/Shanghai). */
  readonly approvedOn: string;
  /** `nextApprovalSequence` of the region's claims. */
  readonly approvalSequence: number;
}

export type ClaimApproval =
  { readonly ok: true; readonly claim: WaitingClaim; readonly event: RiskEventOf<'ClaimApproved'> } | Refusal;

/** The next approval sequence of a fund region: one above the highest given so far. */
export function nextApprovalSequence(regionClaims: readonly Claim[]): number {
  return (
    regionClaims.reduce(
      (max, c) => (c.status === 'waiting' || c.status === 'paid' ? Math.max(max, c.approvalSequence) : max),
      0,
    ) + 1
  );
}

/**
 * Approves a filed claim and fixes its shares under `policy` — the version that covers the loan
 * (`claim.policyVersion`), whose percent and `perLoanCap` apply. The claim is checked again against
 * the loan as it stands (`loan`), as filing checks it: still covered by the same fund and version
 * (`loan-not-covered`), still defaulted (`loan-not-defaulted`), first default still on the claim's
 * `defaultedOn` (`default-date-mismatch`: the window was judged on that date), loss still reported
 * (`claim-exceeds-reported-loss`). So a default or registration reversed, or an earlier default
 * reported, since filing is not paid. The approved claim waits; the caller then runs `settleFund`
 * in the same transaction.
 */
export function approveClaim(
  claim: Claim,
  policy: FundPolicy,
  approval: Approval,
  loan: CoveredLoan | null,
): ClaimApproval {
  if (claim.status !== 'filed') {
    return {
      ok: false,
      problems: [
        claimProblem('claim-not-filed', `Claim ${claim.id} is ${claim.status}; only a filed claim can be approved.`, {
          context: { status: claim.status },
        }),
      ],
    };
  }
  if (policy.region !== claim.region || policy.effectiveFrom !== claim.policyVersion) {
    throw new Error(
      `approveClaim needs policy ${claim.region}@${claim.policyVersion}, got ${policy.region}@${policy.effectiveFrom}.`,
    );
  }
  if (!Number.isSafeInteger(approval.approvalSequence) || approval.approvalSequence < 1) {
    throw new RangeError(`approvalSequence must be a positive integer, got ${approval.approvalSequence}`);
  }
  const problems: ClaimProblem[] = [];
  if (loan === null || loan.bank !== claim.bank || loan.loanRef !== claim.loanRef) {
    problems.push(
      claimProblem(
        'loan-not-covered',
        `Loan ${claim.loanRef} of ${claim.bank} is no longer known (its registration was reversed).`,
      ),
    );
  } else {
    if (!loan.covered || loan.region !== claim.region || loan.policyVersion !== claim.policyVersion)
      problems.push(coverageProblem(loan));
    if (loan.defaultedOn === undefined) {
      problems.push(
        claimProblem(
          'loan-not-defaulted',
          `The loan events of ${loan.loanRef} no longer report a principal loss (a default was reversed).`,
        ),
      );
    } else {
      if (claim.defaultedOn !== loan.defaultedOn) {
        problems.push(
          claimProblem(
            'default-date-mismatch',
            `The loan events of ${loan.loanRef} now report the first default on ${loan.defaultedOn}, not ${claim.defaultedOn} as the claim states; reject it so the bank can file again with the reported date.`,
            { context: { reportedDefaultedOn: loan.defaultedOn, claimDefaultedOn: claim.defaultedOn } },
          ),
        );
      }
      problems.push(...lossProblems(loan, claim.principalLoss));
    }
  }
  const refusal = refuse(problems);
  if (refusal !== null) return refusal;
  const shares = computeShares(claim.principalLoss, policy.fundSharePercent, policy.perLoanCap);
  const waiting: WaitingClaim = {
    ...claim,
    status: 'waiting',
    fundSharePercent: policy.fundSharePercent,
    ...(policy.perLoanCap === undefined ? {} : { perLoanCap: policy.perLoanCap }),
    ...shares,
    approvedOn: approval.approvedOn,
    approvalSequence: approval.approvalSequence,
  };
  return {
    ok: true,
    claim: waiting,
    event: riskEvent('ClaimApproved', {
      region: waiting.region,
      claimId: waiting.id,
      bank: waiting.bank,
      loanRef: waiting.loanRef,
      principalLoss: waiting.principalLoss.toString(),
      fundSharePercent: waiting.fundSharePercent,
      ...(waiting.perLoanCap === undefined ? {} : { perLoanCap: waiting.perLoanCap.toString() }),
      capped: waiting.capped,
      fundShare: waiting.fundShare.toString(),
      bankShare: waiting.bankShare.toString(),
      approvedOn: waiting.approvedOn,
      approvalSequence: waiting.approvalSequence,
    }),
  };
}

export type ClaimRejection =
  { readonly ok: true; readonly claim: RejectedClaim; readonly event: RiskEventOf<'ClaimRejected'> } | Refusal;

/** Rejects a filed claim with the fund manager's reason; the bank may then file a new claim for the loan. */
export function rejectClaim(claim: Claim, reason: string, rejectedOn: string): ClaimRejection {
  if (claim.status !== 'filed') {
    return {
      ok: false,
      problems: [
        claimProblem('claim-not-filed', `Claim ${claim.id} is ${claim.status}; only a filed claim can be rejected.`, {
          context: { status: claim.status },
        }),
      ],
    };
  }
  const why = reason.trim();
  if (why === '')
    return {
      ok: false,
      problems: [
        claimProblem('rejection-reason-required', 'A rejection needs a reason the bank can act on.', {
          field: 'reason',
        }),
      ],
    };
  return { ok: true, ...rejected(claim, why, rejectedOn) };
}

/** The claim rejected with `reason` on `rejectedOn` (its approval, if any, dropped), and its `ClaimRejected`. */
function rejected(
  claim: FiledClaim | WaitingClaim,
  reason: string,
  rejectedOn: string,
): { readonly claim: RejectedClaim; readonly event: RiskEventOf<'ClaimRejected'> } {
  const base: ClaimBase = {
    id: claim.id,
    region: claim.region,
    bank: claim.bank,
    loanRef: claim.loanRef,
    principalLoss: claim.principalLoss,
    defaultedOn: claim.defaultedOn,
    filedOn: claim.filedOn,
    policyVersion: claim.policyVersion,
    evidence: claim.evidence,
  };
  return {
    claim: { ...base, status: 'rejected', rejectedOn, rejectionReason: reason },
    event: riskEvent('ClaimRejected', {
      region: claim.region,
      claimId: claim.id,
      bank: claim.bank,
      loanRef: claim.loanRef,
      reason,
      rejectedOn,
    }),
  };
}

/**
 * Why the loan events withdraw an approved claim: the loan's registration was reversed
 * (`registration-reversed`), it no longer reports any default (`default-reversed`), or the loss it
 * reports fell below the claim's `principalLoss` (`claim-exceeds-reported-loss`). The code starts
 * the withdrawn claim's `rejectionReason` and its `ClaimRejected.reason` (`<code>: <detail>`).
 */
export const CLAIM_WITHDRAWAL_CODES = ['registration-reversed', 'default-reversed', 'claim-exceeds-reported-loss'] as const;
export type ClaimWithdrawalCode = (typeof CLAIM_WITHDRAWAL_CODES)[number];

export interface ClaimWithdrawal {
  readonly code: ClaimWithdrawalCode;
  readonly claim: RejectedClaim;
  readonly event: RiskEventOf<'ClaimRejected'>;
}

function unsupported(claim: WaitingClaim, loan: CoveredLoan | null): { code: ClaimWithdrawalCode; detail: string } | null {
  if (loan === null || loan.bank !== claim.bank || loan.loanRef !== claim.loanRef) {
    return {
      code: 'registration-reversed',
      detail: `The registration of loan ${claim.loanRef} was reversed; the loan no longer exists.`,
    };
  }
  if (loan.defaultedOn === undefined) {
    return {
      code: 'default-reversed',
      detail: `The loan events of ${loan.loanRef} no longer report a principal loss: its default was reversed.`,
    };
  }
  if (claim.principalLoss.greaterThan(loan.reportedLoss)) {
    return {
      code: 'claim-exceeds-reported-loss',
      detail: `The loan events of ${loan.loanRef} now report a principal loss of ${loan.reportedLoss.toString()}, less than the ${claim.principalLoss.toString()} approved.`,
    };
  }
  return null;
}

/**
 * Withdraws an approved claim the loan events no longer support (api.md: `EventReversed` undoes an
 * event "with all its effects downstream"; the fund pays only a loss the loan events report).
 * `views`: the claim's loan as it stood after each event that removed loss from it — a reversed
 * `LoanDefaulted` or `LoanRegistered` (null: the registration was reversed) — in stream order. If
 * any of them no longer supports the claim, the claim is `rejected` on `rejectedOn` with
 * `<code>: <detail>` as the reason, leaves the payout queue unpaid, and `ClaimRejected` announces
 * it; its approval sequence is not reused. Judging every step, not only the last, makes the outcome
 * independent of how events are batched: to correct a default without withdrawing the claim, a
 * bank reports the corrected default before reversing the wrong one.
 *
 * Only the loss counts: a default date moved by a later correction does not withdraw an approved
 * claim (approval judged the date). Only a `waiting` claim is withdrawn (null otherwise): a `filed`
 * one is re-checked when approved, a `paid` one stays paid (the money moved; money coming back is a
 * recovery), a `rejected` one is done.
 */
export function withdrawUnsupportedClaim(
  claim: Claim,
  views: readonly (CoveredLoan | null)[],
  rejectedOn: string,
): ClaimWithdrawal | null {
  if (claim.status !== 'waiting') return null;
  for (const view of views) {
    const why = unsupported(claim, view);
    if (why === null) continue;
    const reason = `${why.code}: ${why.detail} The claim approved on ${claim.approvedOn} (#${claim.approvalSequence} in the payout queue) is withdrawn unpaid; the bank may file again for the loss the loan events report.`;
    return { code: why.code, ...rejected(claim, reason, rejectedOn) };
  }
  return null;
}

/** Σ fund shares approved and not yet paid: `pendingPayouts` of `GET /v1/funds/{region}`. */
export function pendingPayouts(regionClaims: readonly Claim[]): Money {
  return Money.sum(regionClaims.flatMap((c) => (c.status === 'waiting' ? [c.fundShare] : [])));
}
