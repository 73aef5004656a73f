import { Injectable } from '@nestjs/common';
import type { AheadRows, ConsumedEvent, ConsumerTuning, EventBatchHandler, SendWithCommit, Statement } from '@ipfin/messaging';
import type { EntityManager } from 'typeorm';
import { asUnappliable } from '../common/orphan-event';
import { ProjectionStateRepository } from '../common/projection-state.repository';
import { WriteBatch } from '../common/write-batch';
import { CountersRepository } from '../counters/counters.repository';
import { consumerTuning, projection } from '../projections';
import { CoverageRepository } from '../risk-fund/coverage.repository';
import { addCoveredLosses } from '../risk-fund/risk-fold';
import { addDefaultedLoans, foldLoanEvents, loanId, type LoanDimension } from './financing-fold';
import {
  borrowerRowsStatement, dimensionsOf, dimensionsStatement, FinancingRepository, memberKey, registrationMembers,
  type BorrowerRow, type BorrowerRowsAhead,
} from './financing.repository';

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

  /**
   * Sent with the inbox statement, one round trip for all three: the loans' dimensions with the
   * borrowers' locks, then (its own snapshot, after the locks) the SME set rows of every member
   * the batch's registrations touch. Without them `handle` reads the same itself.
   */
  readAhead(events: readonly ConsumedEvent[]): Statement[] {
    const { loans, registered, members } = batchKeys(events);
    const dims = dimensionsStatement([...loans.values()], registered);
    return members.length === 0 ? [dims] : [dims, borrowerRowsStatement(members)];
  }

  async handle(events: ConsumedEvent[], manager: EntityManager, withCommit?: SendWithCommit, ahead?: AheadRows): Promise<void> {
    if (events.length === 0) return;
    const { loans, registered, members } = batchKeys(events);
    // The stored dimensions, and the advisory locks on every borrower the batch may touch. Read
    // ahead, they were made from a superset of `events` (the batch before the inbox dropped
    // duplicates): what these events need is among them, and was locked.
    const { dimensions, locked } = ahead === undefined
      ? await this.repository.loadDimensions(manager, [...loans.values()], registered)
      : dimensionsOf(ahead[0], registered);
    const borrowersAhead: BorrowerRowsAhead | undefined = ahead !== undefined && ahead.length > 1
      ? { members: new Set(members.map(memberKey)), rows: (ahead[1] as unknown as BorrowerRow[]).map((r) => ({ ...r, loans: Number(r.loans) })) }
      : undefined;
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
    await this.repository.addBorrowers(manager, batch, [...folded.borrowers.values()], locked, shard, borrowersAhead);
    this.repository.upsertDimensions(batch, [...folded.dimensions.values()]);
    this.repository.addFacts(batch, [...folded.facts.values()], shard);
    this.counters.apply(batch, folded.bag);
    this.state.advance(batch, 'loans', events);
    await batch.run(manager, withCommit);
  }
}

/** The loans a batch names, its registrations' borrowers, and the SME set members those touch. */
function batchKeys(events: readonly ConsumedEvent[]): { loans: Map<string, { bank: string; loanRef: string }>; registered: string[]; members: { region: string; uscc: string }[] } {
  const loans = new Map<string, { bank: string; loanRef: string }>();
  const registered: string[] = [];
  const members = new Map<string, { region: string; uscc: string }>();
  for (const e of events) {
    const data = e.envelope.data as { bank: string; loanRef: string; borrower?: { uscc?: string; regionCode?: string } };
    loans.set(loanId(data.bank, data.loanRef), { bank: data.bank, loanRef: data.loanRef });
    const uscc = data.borrower?.uscc;
    if (uscc === undefined) continue;
    registered.push(uscc);
    if (data.borrower?.regionCode !== undefined) for (const m of registrationMembers(data.borrower.regionCode, uscc)) members.set(memberKey(m), m);
  }
  return { loans, registered, members: [...members.values()] };
}
