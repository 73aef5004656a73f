import { TOPICS } from '@ipfin/contracts';
import { assertSchemaName, replayFromBeginning, type EventBatchHandler, type ReplayOptions } from '@ipfin/messaging';
import type { EntityManager } from 'typeorm';
import { LOAN_PLEDGES_GROUP, LoanPledgesConsumer } from '../patents/loan-pledges.consumer';
import { PledgeRepository } from '../patents/pledge.repository';

/**
 * What the loan consumer writes, and so what a rebuild empties: the pledge view. Nothing else is
 * derived from it — the `available` filter and a patent's `pledge` read `patent_pledges` when
 * asked, the `patents` rows hold no pledge state (the consumer only row-locks them), and the
 * consumer publishes nothing. `pledge_view_state` is reset, not emptied (see `rebuildPledgeView`).
 */
export const PLEDGE_VIEW_TABLES = ['pledge_loans', 'patent_pledges'] as const;

export interface PledgeViewRebuildOptions extends Omit<ReplayOptions, 'groups' | 'empty'> {
  /** The registry's schema (holding the view and the inbox). */
  schema: string;
  /** Default `ipfin.loans.v1` (another topic in tests). */
  topic?: string;
  /** Default `patent-registry.loans`, the service's group (another in tests). */
  groupId?: string;
  /** The fold; default the service's own `LoanPledgesConsumer` (tests may wrap it). */
  handler?: Pick<EventBatchHandler, 'handle'>;
}

export interface PledgeViewRebuildReport {
  /** Events folded (their transaction committed). */
  applied: number;
  /** Events skipped as already applied: copies of an event on the topic (a re-drive after it was applied). */
  duplicates: number;
  /** Events dead-lettered again: they failed the first time too, or their loan's registration did. */
  deadLettered: number;
  /** The view rebuilt: loans kept (trademark-only ones too) and pledge rows. */
  loans: number;
  pledges: number;
  seconds: number;
}

/**
 * Drops the registry's pledge view and folds `ipfin.loans.v1` again from offset 0 with the
 * service's own consumer code, until its group has caught up (`npm run registry:rebuild-pledges`),
 * with `replayFromBeginning`:
 *
 * 1. The service must be stopped: waits up to `membersWaitMs` for the group to have no members,
 *    then refuses (changing nothing) if it still has some. Refuses too when the topic no longer
 *    starts at offset 0: a view rebuilt without the loans registered in the lost events would
 *    release patents that are pledged.
 * 2. Resets the group to the beginning of the topic (Kafka refuses that to a group with members).
 * 3. In one transaction: empties `pledge_loans` and `patent_pledges`, forgets the group's inbox
 *    rows, and sets `pledge_view_state.all_loans_known` to true — a fold from the beginning sees
 *    every loan's registration before its other events, so the view it builds holds every loan,
 *    and an event of a loan it does not hold is an orphan (dead-lettered, as by the service).
 * 4. Replays the topic through a validating consumer running `LoanPledgesConsumer`: validation,
 *    inbox and dead letters as in the service, progress printed every `progressEveryMs`.
 * 5. Stops once the group's lag is 0: its committed offsets are then the end of the topic, and the
 *    service, started again, goes on from there.
 *
 * Owned state is not touched: the fold writes only the view (it row-locks listed patents, writes
 * no `patents` row) and enqueues nothing in the outbox, so nothing is published again — except
 * that an event failing again goes to `ipfin.loans.v1.dlq` again, as in the first fold.
 */
export async function rebuildPledgeView(opts: PledgeViewRebuildOptions): Promise<PledgeViewRebuildReport> {
  const { dataSource, log } = opts;
  const schema = `"${assertSchemaName(opts.schema)}"`;
  const topic = opts.topic ?? TOPICS.loans;
  const groupId = opts.groupId ?? LOAN_PLEDGES_GROUP;
  const viewSize = (m: Pick<EntityManager, 'query'>): Promise<{ loans: number; pledges: number }[]> => m.query(
    `select (select count(*)::int from ${schema}.pledge_loans) as loans, (select count(*)::int from ${schema}.patent_pledges) as pledges`,
  );

  const report = await replayFromBeginning({
    ...opts,
    groups: [{ name: 'pledge view', groupId, topics: [topic], handler: opts.handler ?? new LoanPledgesConsumer(new PledgeRepository()) }],
    empty: async (manager) => {
      const [view] = await viewSize(manager);
      await manager.query(`truncate ${PLEDGE_VIEW_TABLES.map((t) => `${schema}.${t}`).join(', ')}`);
      await manager.query(
        `insert into ${schema}.pledge_view_state (all_loans_known) values (true)
         on conflict (singleton) do update set all_loans_known = true, updated_at = now()`,
      );
      log(`rebuild: pledge view emptied (${view.loans} loans, ${view.pledges} pledges), all_loans_known set to true`);
    },
  });

  const stats = report.groups['pledge view'];
  const [view] = await viewSize(dataSource);
  if (stats.deadLettered > 0) {
    log(`rebuild: ${stats.deadLettered} events dead-lettered again to ${topic}.dlq (they failed in the first fold too, or their loan's registration did: see ipfin_dlq_reason)`);
  }
  log(`rebuild: done, ${stats.applied} events folded (${stats.duplicates} duplicates skipped, ${stats.deadLettered} dead-lettered) in ${report.seconds.toFixed(1)} s: ${view.loans} loans, ${view.pledges} pledges; ${groupId} is at the end of ${topic}`);
  return { applied: stats.applied, duplicates: stats.duplicates, deadLettered: stats.deadLettered, loans: view.loans, pledges: view.pledges, seconds: report.seconds };
}
