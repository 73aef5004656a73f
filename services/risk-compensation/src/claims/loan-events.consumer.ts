import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LOAN_EVENT_TYPES, TOPICS, type EventEnvelope, type LoanEventType } from '@ipfin/contracts';
import { CLOCK } from '@ipfin/http';
import type { Clock } from '@ipfin/kernel';
import { Outbox, type ConsumedEvent, type EventBatchHandler } from '@ipfin/messaging';
import { eventRegions, riskOutboxMessages } from '../common/risk-outbox';
import type { FundPolicy } from '../funds/domain/fund-policy';
import type { RiskEvent } from '../funds/domain/risk-event';
import { FundLedgerRepository } from '../funds/fund-ledger.repository';
import { PolicyRepository } from '../funds/policy.repository';
import { loanKey } from './covered-loan.codec';
import { CoveredLoanRepository, type LoanId } from './covered-loan.repository';
import { applyLoanEvent, type CoveredLoan, type LoanEventMessage } from './domain/covered-loan';

export const LOANS_CONSUMER_GROUP = 'risk-compensation.loans';

const CE_TYPE = /^ipfin\.loans\.([A-Za-z]+)\.v1$/;
const isLoanEventType = (name: string): name is LoanEventType => (LOAN_EVENT_TYPES as readonly string[]).includes(name);

/** The domain's view of a validated `ipfin.loans.v1` envelope; null for a type this version does not know. */
export function loanEventMessage(envelope: EventEnvelope): LoanEventMessage | null {
  const name = CE_TYPE.exec(envelope.type)?.[1];
  if (name === undefined || !isLoanEventType(name)) return null;
  // The validating consumer has checked `data` against the contract of `ce_type`.
  return { type: name, data: envelope.data } as LoanEventMessage;
}

/**
 * Keeps the coverage view (`covered_loans`) from `ipfin.loans.v1` and publishes `LoanCovered` on
 * `ipfin.risk.v1` in the same transaction as the inbox record. A batch is a handful of statements
 * whatever its size: the shared policy lock, one read of the loans it names, one read of the
 * policies (only when it registers loans), one upsert and one delete of views, the fund rows of the
 * events' keys, one outbox insert. A stream that contradicts the view (`LoanViewConflict`) fails the
 * batch; the consumer retries it event by event and dead-letters the offending event.
 */
@Injectable()
export class LoanEventsConsumer implements EventBatchHandler {
  readonly groupId = LOANS_CONSUMER_GROUP;
  readonly topics = [TOPICS.loans];

  constructor(
    private readonly loans: CoveredLoanRepository,
    private readonly policies: PolicyRepository,
    private readonly funds: FundLedgerRepository,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async handle(events: ConsumedEvent[], manager: EntityManager): Promise<void> {
    const messages = events.flatMap((e) => {
      const message = loanEventMessage(e.envelope);
      return message === null ? [] : [message];
    });
    if (messages.length === 0) return;
    await this.policies.lockShared(manager);

    const ids = new Map<string, LoanId>();
    for (const { data } of messages) ids.set(loanKey(data.bank, data.loanRef), { bank: data.bank, loanRef: data.loanRef });
    const before = await this.loans.load(manager, [...ids.values()]);
    const policies: FundPolicy[] = messages.some((msg) => msg.type === 'LoanRegistered')
      ? await this.policies.all(manager)
      : [];

    const view = new Map<string, CoveredLoan | null>(before);
    const published: RiskEvent[] = [];
    for (const message of messages) {
      const key = loanKey(message.data.bank, message.data.loanRef);
      const fold = applyLoanEvent(view.get(key) ?? null, message, policies);
      view.set(key, fold.loan);
      published.push(...fold.events);
    }

    const saved: CoveredLoan[] = [];
    const removed: LoanId[] = [];
    for (const [key, loan] of view) {
      if (loan === before.get(key)) continue;
      if (loan !== null) saved.push(loan);
      else if (before.has(key)) removed.push(ids.get(key) as LoanId);
    }
    await this.loans.remove(manager, removed);
    await this.loans.save(manager, saved);
    if (published.length > 0) {
      await this.funds.lockMany(manager, eventRegions(published));
      await this.outbox.enqueue(manager, riskOutboxMessages(published, this.clock.now()));
    }
  }
}
