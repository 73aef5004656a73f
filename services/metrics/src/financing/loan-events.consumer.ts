import { Injectable } from '@nestjs/common';
import type { ConsumedEvent, EventBatchHandler } from '@ipfin/messaging';
import type { EntityManager } from 'typeorm';
import { PROJECTIONS } from '../projections';
import { foldLoanEvents, loanId, type LoanDimension } from './financing-fold';
import { FinancingRepository } from './financing.repository';

/** Folds `ipfin.loans.v1` into the financing facts: one upsert per touched key per batch. */
@Injectable()
export class LoanEventsConsumer implements EventBatchHandler {
  readonly groupId = PROJECTIONS[0].groupId;
  readonly topics = PROJECTIONS[0].topics;

  constructor(private readonly repository: FinancingRepository) {}

  async handle(events: ConsumedEvent[], manager: EntityManager): Promise<void> {
    if (events.length === 0) return;
    const loans = new Map<string, { bank: string; loanRef: string }>();
    for (const e of events) {
      const data = e.envelope.data as { bank: string; loanRef: string };
      loans.set(loanId(data.bank, data.loanRef), { bank: data.bank, loanRef: data.loanRef });
    }
    const known = new Map<string, LoanDimension>(
      (await this.repository.loadDimensions(manager, [...loans.values()])).map((d) => [loanId(d.bank, d.loanRef), d]),
    );
    const folded = foldLoanEvents(events.map((e) => ({ ceType: e.envelope.type, data: e.envelope.data })), known);
    await this.repository.upsertDimensions(manager, [...folded.dimensions.values()]);
    await this.repository.addFacts(manager, [...folded.facts.values()]);
    await this.repository.addBorrowers(manager, [...folded.borrowers.values()]);
    const newest = events.reduce((max, e) => (e.envelope.time > max ? e.envelope.time : max), events[0].envelope.time);
    await this.repository.advanceProjectionState(manager, 'loans', new Date(newest), events.length);
  }
}
