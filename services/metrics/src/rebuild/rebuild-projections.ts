import {
  awaitIdleGroups, clearInbox, groupLags, resetConsumerOffsets, ValidatingConsumer, type ConsumerTuning, type BusAdmin, type EventBatchHandler, type MessageBus,
  type MessagingLogger,
} from '@ipfin/messaging';
import type { DataSource } from 'typeorm';

/** Every table the projections write (reward policies and targets are reference data and stay). */
export const PROJECTION_TABLES = [
  'loan_dim', 'financing_daily', 'financing_monthly', 'financing_yearly', 'financing_borrowers', 'financing_smes',
  'counter_daily', 'counter_monthly', 'counter_yearly', 'member_daily', 'member_monthly', 'member_yearly',
  'member_count_monthly', 'member_count_yearly',
  'loan_coverage', 'loan_loss', 'claim_state', 'open_licence_declaration', 'projection_state',
] as const;

export interface ProjectionToRebuild {
  name: string;
  groupId: string;
  topics: readonly string[];
  handler: Pick<EventBatchHandler, 'handle' | 'readAhead'>;
}

export interface RebuildOptions {
  dataSource: DataSource;
  bus: MessageBus;
  /** The metrics schema (holding the projections and the inbox). */
  schema: string;
  projections: readonly ProjectionToRebuild[];
  log: (line: string) => void;
  /** Warnings of the consumers (default: `log`). */
  logger?: MessagingLogger;
  tuning?: ConsumerTuning;
  /** How often progress is printed (default 2 s). */
  progressEveryMs?: number;
  /** Gives up when the replay has not caught up by then (default 1 h). */
  timeoutMs?: number;
  /**
   * How long to wait for the groups' members to leave before giving up (default 45 s: a consumer
   * that stopped without leaving its group stays a member for its 30 s session).
   */
  membersWaitMs?: number;
}

export interface RebuildReport {
  events: number;
  seconds: number;
  perProjection: Record<string, { applied: number; deadLettered: number }>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function topicSize(admin: BusAdmin, topics: readonly string[]): Promise<number> {
  let n = 0n;
  for (const topic of topics) for (const m of await admin.topicWatermarks(topic)) n += BigInt(m.high) - BigInt(m.low);
  return Number(n);
}

/**
 * Drops every projection and folds the topics again from their first offset, with the service's
 * own handlers, until the consumer groups have caught up.
 *
 * The metrics service must be stopped: the offsets of its consumer groups can only be reset when
 * the groups have no members, and that reset is done first, so a running service makes the
 * rebuild fail before anything is deleted. Members still leaving (a service stopped a moment ago)
 * are waited for, up to `membersWaitMs`. Then, in one transaction, the projection tables and
 * the groups' inbox rows are emptied; then the groups consume from the beginning. Start the
 * service again afterwards: it continues from the offsets the rebuild committed.
 */
export async function rebuildProjections(opts: RebuildOptions): Promise<RebuildReport> {
  const { dataSource, bus, schema, projections, log } = opts;
  const started = Date.now();
  await awaitIdleGroups(bus, projections.map((p) => p.groupId), { waitMs: opts.membersWaitMs ?? 45_000, log: (line) => log(`rebuild: ${line}`) });
  for (const p of projections) {
    await resetConsumerOffsets(bus, p.groupId, p.topics, 'earliest');
    log(`rebuild: ${p.name}: consumer group ${p.groupId} reset to the beginning of ${p.topics.join(', ')}`);
  }
  await dataSource.transaction(async (manager) => {
    await manager.query(`truncate ${PROJECTION_TABLES.map((t) => `"${schema}".${t}`).join(', ')}`);
    for (const p of projections) {
      const forgotten = await clearInbox(manager, schema, p.groupId);
      log(`rebuild: ${p.name}: projection emptied, ${forgotten} inbox entries forgotten`);
    }
  });

  // One admin connection for the sizes and the progress polls (not one per poll and group).
  const admin = bus.admin();
  await admin.connect();
  const totals = new Map<string, number>();
  try {
    for (const p of projections) totals.set(p.name, await topicSize(admin, p.topics));
  } catch (err) {
    await admin.disconnect();
    throw err;
  }
  const total = [...totals.values()].reduce((a, b) => a + b, 0);
  log(`rebuild: replaying ${total} events`);

  const logger: MessagingLogger = opts.logger ?? { log: () => undefined, warn: (m) => log(`rebuild: ${m}`), error: (m) => log(`rebuild: ${m}`) };
  const consumers = projections.map((p) => ({
    p,
    consumer: new ValidatingConsumer({
      maxBatchSize: 1000,
      ...opts.tuning,
      fromBeginning: true,
      bus, dataSource, schema, logger,
      groupId: p.groupId,
      topics: p.topics,
      handle: (events, manager, withCommit, ahead) => p.handler.handle(events, manager, withCommit, ahead),
      readAhead: p.handler.readAhead?.bind(p.handler),
    }),
  }));
  const deadline = started + (opts.timeoutMs ?? 3_600_000);
  let lastProgress = 0;
  try {
    for (const c of consumers) await c.consumer.start();
    for (;;) {
      const lags = await groupLags(admin, projections);
      const applied = consumers.reduce((n, c) => n + c.consumer.stats().applied + c.consumer.stats().deadLettered, 0);
      if (lags.every((l) => l === 0)) break;
      if (Date.now() > deadline) throw new Error(`rebuild: not caught up after ${Math.round((Date.now() - started) / 1000)} s (lag ${lags.join(', ')})`);
      if (Date.now() - lastProgress >= (opts.progressEveryMs ?? 2000)) {
        lastProgress = Date.now();
        const seconds = (Date.now() - started) / 1000;
        const parts = consumers.map((c, i) => `${c.p.name} ${c.consumer.stats().applied}/${totals.get(c.p.name)} (lag ${lags[i]})`);
        log(`rebuild: ${applied}/${total} events (${total ? Math.floor((applied / total) * 100) : 100}%), ${Math.round(applied / Math.max(seconds, 0.001))} events/s — ${parts.join('; ')}`);
      }
      await sleep(200);
    }
  } finally {
    await Promise.all(consumers.map((c) => c.consumer.stop()));
    await admin.disconnect();
  }
  const perProjection = Object.fromEntries(consumers.map((c) => [c.p.name, { applied: c.consumer.stats().applied, deadLettered: c.consumer.stats().deadLettered }]));
  const events = consumers.reduce((n, c) => n + c.consumer.stats().applied, 0);
  const seconds = (Date.now() - started) / 1000;
  log(`rebuild: done, ${events} events folded in ${seconds.toFixed(1)} s`);
  return { events, seconds, perProjection };
}
