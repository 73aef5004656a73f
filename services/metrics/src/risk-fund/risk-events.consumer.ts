import { Injectable } from '@nestjs/common';
import type { LoanCoveredV1 } from '@ipfin/contracts';
import type { ConsumedEvent, ConsumerTuning, EventBatchHandler, SendWithCommit } from '@ipfin/messaging';
import type { EntityManager } from 'typeorm';
import { ProjectionStateRepository } from '../common/projection-state.repository';
import { WriteBatch } from '../common/write-batch';
import { CountersRepository } from '../counters/counters.repository';
import { consumerTuning, projection } from '../projections';
import { ClaimsRepository } from './claims.repository';
import { CoverageRepository } from './coverage.repository';
import { foldRiskEvents } from './risk-fold';

const RISK = projection('risk');

/**
 * Folds `ipfin.risk.v1` into the risk-fund facts: capital, payouts, bank shares, recoveries,
 * claims by current status, covered loans and their losses. One upsert per touched key per
 * batch, inside the inbox transaction.
 */
@Injectable()
export class RiskEventsConsumer implements EventBatchHandler {
  readonly groupId: string = RISK.groupId;
  readonly topics: readonly string[] = RISK.topics;
  readonly tuning: ConsumerTuning = consumerTuning(RISK);

  constructor(
    private readonly coverage: CoverageRepository,
    private readonly claims: ClaimsRepository,
    private readonly counters: CountersRepository,
    private readonly state: ProjectionStateRepository,
  ) {}

  async handle(events: ConsumedEvent[], manager: EntityManager, withCommit?: SendWithCommit): Promise<void> {
    if (events.length === 0) return;
    const covered = events.filter((e) => e.envelope.type === 'ipfin.risk.LoanCovered.v1').map((e) => e.envelope.data as LoanCoveredV1);
    const loans = covered.map((c) => ({ bank: c.bank, loanRef: c.loanRef }));
    // Coverage rows first (locked), then the losses the loans consumer recorded under that lock.
    const coverage = await this.coverage.lock(manager, loans);
    const losses = await this.coverage.losses(manager, loans);
    const claimIds = [...new Set(events.map((e) => (e.envelope.data as { claimId?: string }).claimId).filter((id): id is string => !!id))];
    const claims = await this.claims.load(manager, claimIds);

    const folded = foldRiskEvents(events.map((e) => ({ ceType: e.envelope.type, data: e.envelope.data })), { claims, coverage, losses });
    await this.coverage.save(manager, [...folded.coverage.values()]);
    await this.claims.save(manager, [...folded.claims.values()]);
    const batch = new WriteBatch();
    this.counters.apply(batch, folded.bag);
    this.state.advance(batch, 'risk', events);
    await batch.run(manager, withCommit);
  }
}
