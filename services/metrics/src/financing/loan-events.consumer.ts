import { Injectable } from '@nestjs/common';
import type { ConsumedEvent, ConsumerTuning, EventBatchHandler, SendWithCommit } from '@ipfin/messaging';
import type { EntityManager } from 'typeorm';
import { asUnappliable } from '../common/orphan-event';
import { ProjectionStateRepository } from '../common/projection-state.repository';
import { WriteBatch } from '../common/write-batch';
import { CountersRepository } from '../counters/counters.repository';
import { consumerTuning, projection } from '../projections';
import { CoverageRepository } from '../risk-fund/coverage.repository';
import { addCoveredLosses } from '../risk-fund/risk-fold';
import { addDefaultedLoans, foldLoanEvents, loanId, type LoanDimension } from './financing-fold';
import { FinancingRepository } from './financing.repository';

const LOANS = projection('loans');

/**
 * Folds `ipfin.loans.v1` into the financing facts, the agencies' inclusive borrowers and the
 * covered-loss facts of the risk fund: one upsert per touched key per batch, in the inbox
 * transaction. Events of a loan whose registration metrics never applied are dead-lettered
 * (`OrphanEvent`), not dropped.
 */
@Injectable()
export class LoanEventsConsumer implements EventBatchHandler {
  readonly groupId: string = LOANS.groupId;
  readonly topics: readonly string[] = LOANS.topics;
  readonly tuning: ConsumerTuning = consumerTuning(LOANS);

  constructor(
    private readonly repository: FinancingRepository,
    private readonly counters: CountersRepository,
    private readonly coverage: CoverageRepository,
    private readonly state: ProjectionStateRepository,
  ) {}

  async handle(events: ConsumedEvent[], manager: EntityManager, withCommit?: SendWithCommit): Promise<void> {
    if (events.length === 0) return;
    const loans = new Map<string, { bank: string; loanRef: string }>();
    const registered: string[] = [];
    for (const e of events) {
      const data = e.envelope.data as { bank: string; loanRef: string; borrower?: { uscc?: string } };
      loans.set(loanId(data.bank, data.loanRef), { bank: data.bank, loanRef: data.loanRef });
      if (data.borrower?.uscc) registered.push(data.borrower.uscc);
    }
    // The stored dimensions, and the advisory locks on every borrower the batch may touch.
    const { dimensions, locked } = await this.repository.loadDimensions(manager, [...loans.values()], registered);
    const known = new Map<string, LoanDimension>(dimensions.map((d) => [loanId(d.bank, d.loanRef), d]));
    // An event of a loan with no live registration (dead-lettered, never published) fails the
    // batch and goes to the DLQ alone, without retries; the events around it are folded again.
    const folded = asUnappliable(events, () => foldLoanEvents(events.map((e) => ({ ceType: e.envelope.type, data: e.envelope.data })), known));

    // Losses first: lock the loans' coverage rows before anything else, as the risk consumer does.
    // The same statement that records the losses and defaults by day returns the loans' stored
    // days, from which each loan's default day moves (a loan counts once in `defaults`).
    const losses = [...folded.losses.values()].filter((l) => l.lossFen !== 0n || l.defaults !== 0);
    if (losses.length > 0) {
      const coverage = await this.coverage.lock(manager, losses);
      const before = await this.coverage.addLosses(manager, losses);
      addDefaultedLoans(folded, before, known);
      addCoveredLosses(folded.bag, coverage, losses);
    }
    // The borrowers' locks and rows are read now; every write goes out at the end in one statement.
    const batch = new WriteBatch();
    // Each partition writes its own shard of a fact or SME count key: concurrent batches never share a row.
    const shard = events[0].partition;
    await this.repository.addBorrowers(manager, batch, [...folded.borrowers.values()], locked, shard);
    this.repository.upsertDimensions(batch, [...folded.dimensions.values()]);
    this.repository.addFacts(batch, [...folded.facts.values()], shard);
    this.counters.apply(batch, folded.bag);
    this.state.advance(batch, 'loans', events);
    await batch.run(manager, withCommit);
  }
}
