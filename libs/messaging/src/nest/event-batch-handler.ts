import { EntityManager } from 'typeorm';
import { ConsumedEvent, ConsumerTuning } from '../core/consumer';
import type { Statement } from '../core/prepared';
import type { AheadRows, SendWithCommit } from '../core/transaction';

/**
 * A projection fed from topics. Provide it in its feature module like any provider and list it
 * in `MessagingModule.forConsumers([...])`; the module runs a validating consumer for it.
 */
export interface EventBatchHandler {
  /** Consumer group and inbox name: one per projection, stable across releases. */
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly tuning?: ConsumerTuning;
  /**
   * Applies new events of one partition, in order, inside `manager`'s transaction. May hand its
   * last statement to `withCommit` (when given) to have it sent together with the COMMIT.
   * `ahead` holds the rows of `readAhead`'s statements when the consumer sent them; a handler
   * must also work without them (it then reads what it needs itself).
   */
  handle(events: ConsumedEvent[], manager: EntityManager, withCommit?: SendWithCommit, ahead?: AheadRows): Promise<void>;
  /**
   * Reads to send in the inbox statement's round trip, made from the batch's events before the
   * inbox drops duplicates: one round trip instead of one per read (see `ReadAhead`).
   */
  readAhead?(events: readonly ConsumedEvent[]): Statement[];
}
