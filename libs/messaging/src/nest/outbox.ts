import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { enqueue, OutboxMessage, OutboxTarget } from '../core/outbox';
import { MESSAGING_OPTIONS, MessagingModuleOptions } from './messaging.options';

/**
 * Writes events in the transaction of the state change they announce:
 *
 * ```ts
 * await dataSource.transaction(async (manager) => {
 *   const loan = await manager.findOne(LoanEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
 *   … change it …
 *   await outbox.enqueue(manager, [{ topic: TOPICS.loans, key: loanKey(bank, ref), type: loanCeType('LoanDisbursed'), data }]);
 * });
 * ```
 *
 * Hold the aggregate's row lock before enqueuing: per-key publish order is outbox id order.
 */
@Injectable()
export class Outbox {
  private readonly target: OutboxTarget;

  constructor(@Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions) {
    this.target = { schema: options.schema, source: options.source, validate: options.validateOutbox };
  }

  /** Returns the `ce_id`s, in order. */
  enqueue(manager: EntityManager, messages: readonly OutboxMessage[]): Promise<string[]> {
    return enqueue(manager, this.target, messages);
  }
}
