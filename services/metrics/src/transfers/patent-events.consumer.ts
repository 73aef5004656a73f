import { Injectable } from '@nestjs/common';
import type { ConsumedEvent, ConsumerTuning, EventBatchHandler, SendWithCommit } from '@ipfin/messaging';
import type { EntityManager } from 'typeorm';
import { asUnappliable } from '../common/orphan-event';
import { ProjectionStateRepository } from '../common/projection-state.repository';
import { WriteBatch } from '../common/write-batch';
import { CountersRepository } from '../counters/counters.repository';
import { consumerTuning, projection } from '../projections';
import { DeclarationsRepository } from './declarations.repository';
import { foldPatentEvents } from './patents-fold';

const PATENTS = projection('patents');

/**
 * Folds `ipfin.patents.v1` into the transfer facts: transfers, licences by kind, recorded
 * contracts, open licences (declared, in force, taken), universities' invention transfers and
 * agencies' deals. One upsert per touched key per batch, inside the inbox transaction.
 */
@Injectable()
export class PatentEventsConsumer implements EventBatchHandler {
  readonly groupId: string = PATENTS.groupId;
  readonly topics: readonly string[] = PATENTS.topics;
  readonly tuning: ConsumerTuning = consumerTuning(PATENTS);

  constructor(
    private readonly declarations: DeclarationsRepository,
    private readonly counters: CountersRepository,
    private readonly state: ProjectionStateRepository,
  ) {}

  async handle(events: ConsumedEvent[], manager: EntityManager, withCommit?: SendWithCommit): Promise<void> {
    if (events.length === 0) return;
    const keys = events
      .filter((e) => e.envelope.type === 'ipfin.patents.OpenLicenceDeclared.v1' || e.envelope.type === 'ipfin.patents.OpenLicenceWithdrawn.v1')
      .map((e) => e.envelope.data as { number: string; declaredOn: string });
    const known = await this.declarations.load(manager, keys);
    // A withdrawal of a declaration metrics never applied goes to the DLQ alone (`OrphanEvent`).
    const folded = asUnappliable(events, () => foldPatentEvents(events.map((e) => ({ ceType: e.envelope.type, data: e.envelope.data })), known));
    await this.declarations.save(manager, [...folded.declarations.values()]);
    const batch = new WriteBatch();
    this.counters.apply(batch, folded.bag);
    this.state.advance(batch, 'patents', events);
    await batch.run(manager, withCommit);
  }
}
