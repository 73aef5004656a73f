import { Money } from '@ipfin/kernel';
import { LedgerInvariantError } from './fund-ledger';

/** What the payout queue needs of an approved, unpaid claim. */
export interface QueuedPayout {
  /** 1-based, unique per fund region: the order claims were approved in. */
  readonly approvalSequence: number;
  readonly fundShare: Money;
}

export interface QueueSettlement<C extends QueuedPayout> {
  /** Claims to pay now, in approval order. */
  readonly pay: readonly C[];
  /** Claims that keep waiting, in approval order; the first is the one the balance could not cover. */
  readonly waiting: readonly C[];
  readonly balanceAfter: Money;
}

/**
 * Which waiting claims the balance pays now: strictly in approval order. The head of the queue is
 * paid before anything behind it; when it does not fit, everything waits, even later claims small
 * enough to fit (a waiting claim is never overtaken). The claims are sorted by `approvalSequence`
 * here, so the caller may pass them in any order; a repeated sequence number is refused.
 */
export function settleQueue<C extends QueuedPayout>(balance: Money, waitingClaims: readonly C[]): QueueSettlement<C> {
  if (balance.isNegative())
    throw new LedgerInvariantError(`A fund balance is never negative, got ${balance.toString()}.`);
  const queue = [...waitingClaims].sort((a, b) => a.approvalSequence - b.approvalSequence);
  queue.forEach((claim, i) => {
    if (i > 0 && queue[i - 1].approvalSequence === claim.approvalSequence) {
      throw new LedgerInvariantError(`Two waiting claims share approval sequence ${claim.approvalSequence}.`);
    }
    if (claim.fundShare.isNegative())
      throw new LedgerInvariantError(`Claim #${claim.approvalSequence} has a negative fund share.`);
  });
  let remaining = balance;
  let paid = 0;
  while (paid < queue.length && queue[paid].fundShare.lessThanOrEqual(remaining)) {
    remaining = remaining.subtract(queue[paid].fundShare);
    paid += 1;
  }
  return { pay: queue.slice(0, paid), waiting: queue.slice(paid), balanceAfter: remaining };
}
