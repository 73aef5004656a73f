import { Money } from '@ipfin/kernel';
import { postEntry, recoveryEntry, type FundBalances, type LedgerEntry } from '../../funds/domain/fund-ledger';
import { riskEvent, type RiskEvent } from '../../funds/domain/risk-event';
import type { Claim, PaidClaim, WaitingClaim } from './claim';
import { settleFund, type FundOperation } from './claim-payout';
import { claimProblem, refuse, type ClaimProblem, type Refusal } from './claim-problems';

export interface RecoveryShares {
  /** Returns to the fund's balance. */
  readonly fundPart: Money;
  /** Stays with the bank. */
  readonly bankPart: Money;
  /** Whether the fund's part was cut to what the fund still has at stake on the claim. */
  readonly capped: boolean;
}

/**
 * Splits money recovered from the pledged IP after a payout (Quanzhou: "shared back in the same
 * ratio"): the fund's part is half-up(amount × the claim's `fundSharePercent` / 100) to the fen, the
 * bank's part the remainder, so they add up to the amount. The fund's part never exceeds
 * `fundAtStake` — the fund share it paid on the claim net of its earlier recoveries — so the fund is
 * never repaid more than it paid; the excess stays with the bank. (For a claim cut by `perLoanCap`
 * this cap is what keeps the policy percent from over-repaying the fund.)
 */
export function shareRecovery(amount: Money, fundSharePercent: string, fundAtStake: Money): RecoveryShares {
  const { part } = amount.splitHalfUp(fundSharePercent);
  const stake = fundAtStake.isNegative() ? Money.ZERO : fundAtStake;
  const capped = part.greaterThan(stake);
  const fundPart = capped ? stake : part;
  return { fundPart, bankPart: amount.subtract(fundPart), capped };
}

export interface RecoveryInput {
  /** Id the service assigned to the recovery. */
  readonly recoveryId: string;
  readonly amount: Money;
  readonly recoveredOn: string;
}

export type RecoveryOperation =
  ({ readonly ok: true; readonly claim: PaidClaim; readonly shares: RecoveryShares } & FundOperation) | Refusal;

/**
 * Records a recovery on a paid claim (`POST /v1/claims/{id}/recoveries`, by the claim's bank):
 * shares it, posts the fund's part to the ledger (Dr `balance`, Cr `recovered`), publishes
 * `RecoveryShared`, and lets the returned money pay waiting claims (`settleFund`, dated `settledOn`).
 */
export function recordRecovery(
  fund: FundBalances,
  claim: Claim,
  input: RecoveryInput,
  bank: string,
  waitingClaims: readonly WaitingClaim[],
  settledOn: string,
): RecoveryOperation {
  if (claim.bank !== bank) {
    return { ok: false, problems: [claimProblem('not-your-claim', `Claim ${claim.id} is not a claim of ${bank}.`)] };
  }
  if (claim.status !== 'paid') {
    return {
      ok: false,
      problems: [
        claimProblem(
          'claim-not-paid',
          `Claim ${claim.id} is ${claim.status}; recoveries are shared after the payout.`,
          { context: { status: claim.status } },
        ),
      ],
    };
  }
  if (claim.region !== fund.region)
    throw new Error(`Claim ${claim.id} of fund ${claim.region} recovered into fund ${fund.region}.`);
  const problems: ClaimProblem[] = [];
  if (!input.amount.isPositive()) {
    problems.push(
      claimProblem('recovery-not-positive', `A recovery must be a positive amount, got ${input.amount.toString()}.`, {
        field: 'amount',
      }),
    );
  }
  if (input.recoveredOn < claim.paidOn) {
    problems.push(
      claimProblem(
        'recovery-before-payout',
        `The recovery on ${input.recoveredOn} predates the payout of claim ${claim.id} on ${claim.paidOn}.`,
        { field: 'recoveredOn' },
      ),
    );
  }
  const refusal = refuse(problems);
  if (refusal !== null) return refusal;

  const shares = shareRecovery(input.amount, claim.fundSharePercent, claim.fundShare.subtract(claim.recoveredToFund));
  const updated: PaidClaim = {
    ...claim,
    recoveredToFund: claim.recoveredToFund.add(shares.fundPart),
    recoveredToBank: claim.recoveredToBank.add(shares.bankPart),
  };
  const entries: LedgerEntry[] = [];
  let next = fund;
  if (shares.fundPart.isPositive()) {
    const entry = recoveryEntry(fund.region, input.recoveryId, shares.fundPart, input.recoveredOn);
    next = postEntry(next, entry);
    entries.push(entry);
  }
  const shared: RiskEvent = riskEvent('RecoveryShared', {
    region: claim.region,
    claimId: claim.id,
    bank: claim.bank,
    loanRef: claim.loanRef,
    recoveryId: input.recoveryId,
    amount: input.amount.toString(),
    fundPart: shares.fundPart.toString(),
    bankPart: shares.bankPart.toString(),
    recoveredOn: input.recoveredOn,
  });
  const settled = settleFund(next, waitingClaims, settledOn);
  return {
    ok: true,
    claim: updated,
    shares,
    ...settled,
    entries: [...entries, ...settled.entries],
    events: [shared, ...settled.events],
  };
}
