import { Injectable } from '@nestjs/common';
import type { AheadRows, ConsumedEvent, ConsumerTuning, EventBatchHandler, SendWithCommit, Statement } from '@ipfin/messaging';
import type { EntityManager } from 'typeorm';
import { asUnappliable } from '../common/orphan-event';
import { ProjectionStateRepository } from '../common/projection-state.repository';
import { WriteBatch } from '../common/write-batch';
import { CountersRepository } from '../counters/counters.repository';
import { consumerTuning, projection } from '../projections';
import { declarationsOf, declarationsStatement, DeclarationsRepository } from './declarations.repository';
import { foldPatentEvents, patentsWithDeclarations, type PatentEventForFold } from './patents-fold';

const PATENTS = projection('patents');

const forFold = (events: readonly ConsumedEvent[]): PatentEventForFold[] => events.map((e) => ({ ceType: e.envelope.type, data: e.envelope.data }));

/**
 * Folds `ipfin.patents.v1` into the transfer facts: transfers, licences by kind, recorded
 * contracts, open licences (declared; in force, in the region of the patent's owner of the day, so
 * a transfer moves a declaration in force; taken), universities' invention transfers and agencies'
 * deals. One upsert per touched key per batch, inside the inbox transaction.
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

  /**
   * Sent with the inbox statement: every stored declaration of the patents the batch transfers,
   * declares or withdraws (a transfer carries no `declaredOn`). Without it `handle` reads the same.
   */
  readAhead(events: readonly ConsumedEvent[]): Statement[] {
    const numbers = patentsWithDeclarations(forFold(events));
    return numbers.length === 0 ? [] : [declarationsStatement(numbers)];
  }

  async handle(events: ConsumedEvent[], manager: EntityManager, withCommit?: SendWithCommit, ahead?: AheadRows): Promise<void> {
    if (events.length === 0) return;
    const folding = forFold(events);
    // Read ahead, they were made from a superset of `events` (the batch before the inbox dropped duplicates).
    const known = ahead === undefined
      ? await this.declarations.load(manager, patentsWithDeclarations(folding))
      : declarationsOf(ahead[0]);
    // A withdrawal of a declaration metrics never applied goes to the DLQ alone (`OrphanEvent`).
    const folded = asUnappliable(events, () => foldPatentEvents(folding, known));
    const batch = new WriteBatch();
    this.declarations.save(batch, [...folded.declarations.values()]);
    this.counters.apply(batch, folded.bag);
    this.state.advance(batch, 'patents', events);
    await batch.run(manager, withCommit);
  }
}
