import { TOPICS } from '@ipfin/contracts';
import {
  assertSchemaName, awaitIdleGroups, clearInbox, groupLags, resetConsumerOffsets, ValidatingConsumer, type BusAdmin, type ConsumerTuning,
  type EventBatchHandler, type MessageBus, type MessagingLogger,
} from '@ipfin/messaging';
import type { DataSource } from 'typeorm';
import { LOAN_PLEDGES_GROUP, LoanPledgesConsumer } from '../patents/loan-pledges.consumer';
import { PledgeRepository } from '../patents/pledge.repository';

/**
 * What the loan consumer writes, and so what a rebuild empties: the pledge view. Nothing else is
 * derived from it — the `available` filter and a patent's `pledge` read `patent_pledges` when
 * asked, the `patents` rows hold no pledge state (the consumer only row-locks them), and the
 * consumer publishes nothing. `pledge_view_state` is reset, not emptied (see `rebuildPledgeView`).
 */
export const PLEDGE_VIEW_TABLES = ['pledge_loans', 'patent_pledges'] as const;

export interface PledgeViewRebuildOptions {
  dataSource: DataSource;
  bus: MessageBus;
  /** The registry's schema (holding the view and the inbox). */
  schema: string;
  /** Default `ipfin.loans.v1` (another topic in tests). */
  topic?: string;
  /** Default `patent-registry.loans`, the service's group (another in tests). */
  groupId?: string;
  /** The fold; default the service's own `LoanPledgesConsumer` (tests may wrap it). */
  handler?: Pick<EventBatchHandler, 'handle'>;
  log: (line: string) => void;
  /** Warnings of the consumer (default: `log`). */
  logger?: MessagingLogger;
  tuning?: ConsumerTuning;
  /** How often progress is printed (default 2 s). */
  progressEveryMs?: number;
  /** Gives up when the replay has not caught up by then (default 1 h). */
  timeoutMs?: number;
  /**
   * How long to wait for the group's members to leave before refusing (default 45 s: a consumer
   * that stopped without leaving its group stays a member for its 30 s session).
   */
  membersWaitMs?: number;
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

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The topic's size in events, refusing when it no longer starts at offset 0: retention (or a
 * delete-records) has removed events, and a view rebuilt without the loans registered in them
 * would be wrong — releasing patents that are pledged.
 */
async function wholeTopicSize(admin: BusAdmin, topic: string): Promise<number> {
  let n = 0n;
  for (const m of await admin.topicWatermarks(topic)) {
    if (BigInt(m.low) > 0n) {
      throw new Error(`${topic} partition ${m.partition} starts at offset ${m.low}, not 0: events before it are gone, and a view rebuilt without them would miss pledges — nothing was changed`);
    }
    n += BigInt(m.high) - BigInt(m.low);
  }
  return Number(n);
}

/**
 * Drops the registry's pledge view and folds `ipfin.loans.v1` again from offset 0 with the
 * service's own consumer code, until its group has caught up (`npm run registry:rebuild-pledges`).
 *
 * 1. The service must be stopped: waits up to `membersWaitMs` for the group to have no members,
 *    then refuses (changing nothing) if it still has some. Refuses too when the topic no longer
 *    starts at offset 0.
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
  const { dataSource, bus, log } = opts;
  const schema = `"${assertSchemaName(opts.schema)}"`;
  const topic = opts.topic ?? TOPICS.loans;
  const groupId = opts.groupId ?? LOAN_PLEDGES_GROUP;
  const started = Date.now();

  await awaitIdleGroups(bus, [groupId], { waitMs: opts.membersWaitMs ?? 45_000, log: (line) => log(`rebuild: ${line}`) });
  // One admin connection for the size check and the progress polls.
  const admin = bus.admin();
  await admin.connect();
  let consumer: ValidatingConsumer | undefined;
  try {
    const total = await wholeTopicSize(admin, topic);
    await resetConsumerOffsets(bus, groupId, [topic], 'earliest');
    log(`rebuild: consumer group ${groupId} reset to the beginning of ${topic}`);

    await dataSource.transaction(async (manager) => {
      const [view] = await manager.query<{ loans: number; pledges: number }[]>(
        `select (select count(*)::int from ${schema}.pledge_loans) as loans, (select count(*)::int from ${schema}.patent_pledges) as pledges`,
      );
      await manager.query(`truncate ${PLEDGE_VIEW_TABLES.map((t) => `${schema}.${t}`).join(', ')}`);
      await manager.query(
        `insert into ${schema}.pledge_view_state (all_loans_known) values (true)
         on conflict (singleton) do update set all_loans_known = true, updated_at = now()`,
      );
      const forgotten = await clearInbox(manager, opts.schema, groupId);
      log(`rebuild: pledge view emptied (${view.loans} loans, ${view.pledges} pledges), ${forgotten} inbox entries of ${groupId} forgotten, all_loans_known set to true`);
    });
    log(`rebuild: replaying ${total} events of ${topic}`);

    const logger: MessagingLogger = opts.logger ?? { log: () => undefined, warn: (m) => log(`rebuild: ${m}`), error: (m) => log(`rebuild: ${m}`) };
    const handler = opts.handler ?? new LoanPledgesConsumer(new PledgeRepository());
    consumer = new ValidatingConsumer({
      maxBatchSize: 1000,
      ...opts.tuning,
      fromBeginning: true,
      bus, dataSource, schema: opts.schema, logger, groupId,
      topics: [topic],
      handle: (events, manager, withCommit, ahead) => handler.handle(events, manager, withCommit, ahead),
    });
    const deadline = started + (opts.timeoutMs ?? 3_600_000);
    let lastProgress = 0;
    await consumer.start();
    for (;;) {
      const [lag] = await groupLags(admin, [{ groupId, topics: [topic] }]);
      if (lag === 0) break;
      if (Date.now() > deadline) throw new Error(`rebuild: not caught up after ${Math.round((Date.now() - started) / 1000)} s (lag ${lag})`);
      if (Date.now() - lastProgress >= (opts.progressEveryMs ?? 2000)) {
        lastProgress = Date.now();
        const s = consumer.stats();
        const done = s.applied + s.duplicates + s.deadLettered;
        const seconds = (Date.now() - started) / 1000;
        log(`rebuild: ${done}/${total} events (${total ? Math.floor((done / total) * 100) : 100}%), ${Math.round(done / Math.max(seconds, 0.001))} events/s, lag ${lag}`);
      }
      await sleep(200);
    }
  } finally {
    await consumer?.stop();
    await admin.disconnect();
  }

  const stats = consumer.stats();
  const [view] = await dataSource.query<{ loans: number; pledges: number }[]>(
    `select (select count(*)::int from ${schema}.pledge_loans) as loans, (select count(*)::int from ${schema}.patent_pledges) as pledges`,
  );
  const seconds = (Date.now() - started) / 1000;
  if (stats.deadLettered > 0) {
    log(`rebuild: ${stats.deadLettered} events dead-lettered again to ${topic}.dlq (they failed in the first fold too, or their loan's registration did: see ipfin_dlq_reason)`);
  }
  log(`rebuild: done, ${stats.applied} events folded (${stats.duplicates} duplicates skipped, ${stats.deadLettered} dead-lettered) in ${seconds.toFixed(1)} s: ${view.loans} loans, ${view.pledges} pledges; ${groupId} is at the end of ${topic}`);
  return { applied: stats.applied, duplicates: stats.duplicates, deadLettered: stats.deadLettered, loans: view.loans, pledges: view.pledges, seconds };
}
