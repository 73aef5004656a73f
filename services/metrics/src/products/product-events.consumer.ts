import { Injectable } from '@nestjs/common';
import type { ConsumedEvent, ConsumerTuning, EventBatchHandler, SendWithCommit } from '@ipfin/messaging';
import type { EntityManager } from 'typeorm';
import { ProjectionStateRepository } from '../common/projection-state.repository';
import { WriteBatch } from '../common/write-batch';
import { CountersRepository } from '../counters/counters.repository';
import { consumerTuning, projection } from '../projections';
import { foldProductEvents } from './products-fold';

const PRODUCTS = projection('products');

/** Folds `ipfin.products.v1` into the product facts: one upsert per touched key per batch, in the inbox transaction. */
@Injectable()
export class ProductEventsConsumer implements EventBatchHandler {
  readonly groupId: string = PRODUCTS.groupId;
  readonly topics: readonly string[] = PRODUCTS.topics;
  readonly tuning: ConsumerTuning = consumerTuning(PRODUCTS);

  constructor(
    private readonly counters: CountersRepository,
    private readonly state: ProjectionStateRepository,
  ) {}

  async handle(events: ConsumedEvent[], manager: EntityManager, withCommit?: SendWithCommit): Promise<void> {
    if (events.length === 0) return;
    const batch = new WriteBatch();
    this.counters.apply(batch, foldProductEvents(events.map((e) => ({ ceType: e.envelope.type, data: e.envelope.data }))));
    this.state.advance(batch, 'products', events);
    await batch.run(manager, withCommit);
  }
}
