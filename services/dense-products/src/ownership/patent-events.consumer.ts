import { Injectable } from '@nestjs/common';
import { TOPICS } from '@ipfin/contracts';
import type { ConsumedEvent, EventBatchHandler } from '@ipfin/messaging';
import type { EntityManager } from 'typeorm';
import type { RegistryEvent } from './domain/ownership-view';
import { OwnershipRepository } from './ownership.repository';
import { foldRegistryEvents, registryEventOf } from './registry-events';

/** Consumer group (and inbox name) of the ownership view. Stable: renaming it rebuilds the view from offset 0. */
export const OWNERSHIP_VIEW_GROUP = 'dense-products.patents';

/**
 * Keeps the ownership view from `ipfin.patents.v1`: per batch, one locked read of the touched
 * timelines and one upsert, inside the inbox transaction (each event is applied once).
 */
@Injectable()
export class PatentEventsConsumer implements EventBatchHandler {
  readonly groupId = OWNERSHIP_VIEW_GROUP;
  readonly topics = [TOPICS.patents];

  constructor(private readonly ownership: OwnershipRepository) {}

  async handle(events: ConsumedEvent[], manager: EntityManager): Promise<void> {
    const registryEvents = events.map((e) => registryEventOf(e.envelope)).filter((e): e is RegistryEvent => e !== null);
    if (registryEvents.length === 0) return;
    const known = await this.ownership.timelines(
      manager,
      registryEvents.map((e) => e.data.number),
      true,
    );
    const folded = foldRegistryEvents(known, registryEvents);
    const newest = Math.max(...events.map((e) => Date.parse(e.envelope.time)));
    await this.ownership.save(manager, [...folded.values()], new Date(newest));
  }
}
