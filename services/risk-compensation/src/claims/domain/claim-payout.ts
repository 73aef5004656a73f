import { Money } from '@ipfin/kernel';
import {
  contributeCapital,
  payoutEntry,
  postEntry,
  type ContributionInput,
  type FundBalances,
  type LedgerEntry,
} from '../../funds/domain/fund-ledger';
import type { FundProblem } from '../../funds/domain/fund-problems';
import { settleQueue } from '../../funds/domain/payout-queue';
import { riskEvent, type RiskEvent } from '../../funds/domain/risk-event';
import type { PaidClaim, WaitingClaim } from './claim';

/** What a fund operation changed: write the entries and claims, publish the events, in one transaction. */
export interface FundOperation {
  readonly fund: FundBalances;
  readonly entries: readonly LedgerEntry[];
  readonly events: readonly RiskEvent[];
  /** Claims that became paid. */
  readonly paid: readonly PaidClaim[];
  /** Claims still waiting, in approval order. */
  readonly waiting: readonly WaitingClaim[];
}

/**
 * Pays what the balance covers of the fund's waiting claims, strictly in approval order
 * (`settleQueue`): each paid claim gets a payout entry (Dr `paid_out`, Cr `balance`; none for a zero
 * share) and a `ClaimPaid` event dated `paidOn`, the business date of the operation that released
 * the money. Run it after every approval, contribution and recovery.
 */
export function settleFund(fund: FundBalances, waitingClaims: readonly WaitingClaim[], paidOn: string): FundOperation {
  const foreign = waitingClaims.find((c) => c.region !== fund.region);
  if (foreign !== undefined)
    throw new Error(`Claim ${foreign.id} of fund ${foreign.region} queued for fund ${fund.region}.`);
  const { pay, waiting } = settleQueue(fund.balance, waitingClaims);
  let next = fund;
  const entries: LedgerEntry[] = [];
  const events: RiskEvent[] = [];
  const paid = pay.map((claim): PaidClaim => {
    if (claim.fundShare.isPositive()) {
      const entry = payoutEntry(fund.region, claim.id, claim.fundShare, paidOn);
      next = postEntry(next, entry);
      entries.push(entry);
    }
    events.push(
      riskEvent('ClaimPaid', {
        region: claim.region,
        claimId: claim.id,
        bank: claim.bank,
        loanRef: claim.loanRef,
        fundShare: claim.fundShare.toString(),
        paidOn,
        approvalSequence: claim.approvalSequence,
      }),
    );
    return { ...claim, status: 'paid', paidOn, recoveredToFund: Money.ZERO, recoveredToBank: Money.ZERO };
  });
  return { fund: next, entries, events, paid, waiting };
}

export type ContributionOperation =
  ({ readonly ok: true } & FundOperation) | { readonly ok: false; readonly problem: FundProblem };

/**
 * Capital arrives and pays what it can of the waiting claims: `CapitalContributed` first, then a
 * `ClaimPaid` per claim paid.
 */
export function receiveContribution(
  fund: FundBalances,
  input: ContributionInput,
  waitingClaims: readonly WaitingClaim[],
  paidOn: string,
): ContributionOperation {
  const contribution = contributeCapital(fund, input);
  if (!contribution.ok) return contribution;
  const settled = settleFund(contribution.fund, waitingClaims, paidOn);
  return {
    ok: true,
    ...settled,
    entries: [contribution.entry, ...settled.entries],
    events: [contribution.event, ...settled.events],
  };
}
