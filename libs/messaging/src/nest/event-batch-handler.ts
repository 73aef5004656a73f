import { EntityManager } from 'typeorm';
import { ConsumedEvent, ConsumerTuning } from '../core/consumer';
import type { SendWithCommit } from '../core/transaction';

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
   */
  handle(events: ConsumedEvent[], manager: EntityManager, withCommit?: SendWithCommit): Promise<void>;
}
