import type { DataSource, EntityManager } from 'typeorm';
import type { BusAdmin, MessageBus } from './bus';
import { ValidatingConsumer, type ConsumerStats, type ConsumerTuning, type HandleEvents, type ReadAhead } from './consumer';
import { awaitIdleGroups, groupLags, resetConsumerOffsets } from './consumer-admin';
import { clearInbox } from './inbox';
import type { MessagingLogger } from './logger';
import { sleep } from './timing';

/** One consumer group to fold again from the beginning of its topics, with the service's own handler. */
export interface ReplayGroup {
  /** How progress lines name it. */
  name: string;
  groupId: string;
  topics: readonly string[];
  handler: { handle: HandleEvents; readAhead?: ReadAhead };
}

export interface ReplayOptions {
  dataSource: DataSource;
  bus: MessageBus;
  /** The schema holding the groups' `inbox`. */
  schema: string;
  groups: readonly ReplayGroup[];
  /**
   * Empties what the groups' handlers build. Runs in the transaction that forgets the groups'
   * inbox rows, after their offsets were reset: either both are emptied or neither.
   */
  empty: (manager: EntityManager) => Promise<void>;
  log: (line: string) => void;
  /** Warnings of the consumers (default: `log`). */
  logger?: MessagingLogger;
  tuning?: ConsumerTuning;
  /** How often progress is printed (default 2 s). */
  progressEveryMs?: number;
  /** Gives up when the replay has not caught up by then (default 1 h). */
  timeoutMs?: number;
  /**
   * How long to wait for the groups' members to leave before refusing (default 45 s: a consumer
   * that stopped without leaving its group stays a member for its 30 s session).
   */
  membersWaitMs?: number;
}

export interface ReplayReport {
  /** Per group: what its consumer did during the replay. */
  groups: Record<string, Omit<ConsumerStats, 'lastAppliedAt'>>;
  /** Events on the groups' topics when the replay began. */
  total: number;
  seconds: number;
}

/**
 * The events on `topics`, refusing when a partition no longer starts at offset 0: retention (or a
 * delete-records) has removed events, and a projection rebuilt without them would not be the one
 * the service built — guarantee 4 could not hold.
 */
async function wholeTopicsSize(admin: BusAdmin, topics: readonly string[]): Promise<number> {
  let n = 0n;
  for (const topic of topics) {
    for (const m of await admin.topicWatermarks(topic)) {
      if (BigInt(m.low) > 0n) {
        throw new Error(`${topic} partition ${m.partition} starts at offset ${m.low}, not 0: events before it are gone, and what they made cannot be rebuilt — nothing was changed`);
      }
      n += BigInt(m.high) - BigInt(m.low);
    }
  }
  return Number(n);
}

/**
 * Drops what consumer groups built and folds their topics again from offset 0 with the service's
 * own handlers, until every group has caught up — the loop of every projection rebuild
 * (events.md, guarantee 4).
 *
 * 1. The service must be stopped: waits up to `membersWaitMs` for the groups to have no members,
 *    then refuses, changing nothing. Refuses too when a topic no longer starts at offset 0.
 * 2. Resets the groups to the beginning of their topics (Kafka refuses that to a group with members).
 * 3. In one transaction: `empty`, and the groups' inbox rows forgotten.
 * 4. Replays the topics through validating consumers (validation, inbox, dead letters as in the
 *    service), printing progress every `progressEveryMs`, until every group's lag is 0: the
 *    committed offsets are then the ends of the topics, and the service, started again, goes on
 *    from there.
 *
 * An event that fails again goes to its topic's DLQ again, as in the first fold.
 */
export async function replayFromBeginning(opts: ReplayOptions): Promise<ReplayReport> {
  const { dataSource, bus, schema, groups, log } = opts;
  const started = Date.now();
  await awaitIdleGroups(bus, groups.map((g) => g.groupId), { waitMs: opts.membersWaitMs ?? 45_000, log: (line) => log(`rebuild: ${line}`) });
  // One admin connection for the size checks and the progress polls (not one per poll and group).
  const admin = bus.admin();
  await admin.connect();
  const consumers: { g: ReplayGroup; size: number; consumer: ValidatingConsumer }[] = [];
  try {
    const sizes = new Map<string, number>();
    for (const g of groups) sizes.set(g.name, await wholeTopicsSize(admin, g.topics));
    for (const g of groups) {
      await resetConsumerOffsets(bus, g.groupId, g.topics, 'earliest');
      log(`rebuild: ${g.name}: consumer group ${g.groupId} reset to the beginning of ${g.topics.join(', ')}`);
    }
    await dataSource.transaction(async (manager) => {
      await opts.empty(manager);
      for (const g of groups) {
        const forgotten = await clearInbox(manager, schema, g.groupId);
        log(`rebuild: ${g.name}: ${forgotten} inbox entries of ${g.groupId} forgotten`);
      }
    });
    const total = [...sizes.values()].reduce((a, b) => a + b, 0);
    log(`rebuild: replaying ${total} events of ${[...new Set(groups.flatMap((g) => g.topics))].join(', ')}`);

    const logger: MessagingLogger = opts.logger ?? { log: () => undefined, warn: (m) => log(`rebuild: ${m}`), error: (m) => log(`rebuild: ${m}`) };
    for (const g of groups) {
      consumers.push({
        g,
        size: sizes.get(g.name)!,
        consumer: new ValidatingConsumer({
          maxBatchSize: 1000,
          ...opts.tuning,
          fromBeginning: true,
          bus, dataSource, schema, logger,
          groupId: g.groupId,
          topics: g.topics,
          handle: (events, manager, withCommit, ahead) => g.handler.handle(events, manager, withCommit, ahead),
          readAhead: g.handler.readAhead?.bind(g.handler),
        }),
      });
    }
    const done = (s: ConsumerStats): number => s.applied + s.duplicates + s.deadLettered;
    const deadline = started + (opts.timeoutMs ?? 3_600_000);
    let lastProgress = 0;
    for (const c of consumers) await c.consumer.start();
    for (;;) {
      const lags = await groupLags(admin, groups);
      if (lags.every((l) => l === 0)) break;
      if (Date.now() > deadline) throw new Error(`rebuild: not caught up after ${Math.round((Date.now() - started) / 1000)} s (lag ${lags.join(', ')})`);
      if (Date.now() - lastProgress >= (opts.progressEveryMs ?? 2000)) {
        lastProgress = Date.now();
        const seen = consumers.reduce((n, c) => n + done(c.consumer.stats()), 0);
        const seconds = (Date.now() - started) / 1000;
        const parts = consumers.map((c, i) => `${c.g.name} ${done(c.consumer.stats())}/${c.size} (lag ${lags[i]})`);
        log(`rebuild: ${seen}/${total} events (${total ? Math.floor((seen / total) * 100) : 100}%), ${Math.round(seen / Math.max(seconds, 0.001))} events/s — ${parts.join('; ')}`);
      }
      await sleep(200);
    }
    const stats = Object.fromEntries(consumers.map((c) => {
      const { applied, duplicates, deadLettered } = c.consumer.stats();
      return [c.g.name, { applied, duplicates, deadLettered }];
    }));
    return { groups: stats, total, seconds: (Date.now() - started) / 1000 };
  } finally {
    await Promise.all(consumers.map((c) => c.consumer.stop()));
    await admin.disconnect();
  }
}
