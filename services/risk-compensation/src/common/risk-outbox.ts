import { TOPICS, riskCeType } from '@ipfin/contracts';
import type { OutboxMessage } from '@ipfin/messaging';
import type { RiskEvent } from '../funds/domain/risk-event';

/** `ce_subject` of a risk event: the thing it is about within the fund. */
function subjectOf(event: RiskEvent): string {
  switch (event.type) {
    case 'PolicySet':
      return `${event.data.region}@${event.data.effectiveFrom}`;
    case 'CapitalContributed':
      return event.data.contributionId;
    case 'LoanCovered':
      return `${event.data.bank}:${event.data.loanRef}`;
    case 'ClaimFiled':
    case 'ClaimApproved':
    case 'ClaimRejected':
    case 'ClaimPaid':
    case 'RecoveryShared':
      return event.data.claimId;
  }
}

/**
 * The outbox rows announcing `events` on `ipfin.risk.v1` (key: the fund region), in order. Enqueue
 * them in the transaction of the change, after locking the fund rows of their keys.
 */
export function riskOutboxMessages(events: readonly RiskEvent[], time: Date): OutboxMessage[] {
  return events.map((event) => ({
    topic: TOPICS.risk,
    key: event.key,
    type: riskCeType(event.type),
    subject: subjectOf(event),
    data: event.data,
    time,
  }));
}

/** The fund regions `events` are keyed by, sorted (the order their fund rows are locked in). */
export function eventRegions(events: readonly RiskEvent[]): string[] {
  return [...new Set(events.map((e) => e.key))].sort();
}
