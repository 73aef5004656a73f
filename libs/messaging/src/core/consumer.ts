import { dlqTopic, EventEnvelope } from '@ipfin/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { chunk, firstOfEachId } from './batching';
import { BatchControl, BusConsumer, BusProducer, IncomingBatch, IncomingRecord, MessageBus } from './bus';
import { readEvent } from './cloudevents';
import { deadLetter } from './dead-letter';
import { inboxStatement } from './inbox';
import { errorMessage, MessagingLogger } from './logger';
import { assertSchemaName } from './schema';
import { backoffMs, sleep, withTimeout } from './timing';
import type { Statement } from './prepared';
import { pipelinedTransaction, type AheadRows, type SendWithCommit } from './transaction';

/** A validated event as a handler sees it. */
export interface ConsumedEvent<T = unknown> {
  envelope: EventEnvelope<T>;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
}

/** The consumers this process has running (started, not stopped), for `runningConsumerStats`. */
const running = new Set<ValidatingConsumer>();

/** Each running consumer's group and counts since it started: what Prometheus exports. */
export function runningConsumerStats(): { groupId: string; stats: ConsumerStats }[] {
  return [...running].map((consumer) => ({ groupId: consumer.groupId, stats: consumer.stats() }));
}

/**
 * Thrown by a handler for an event that cannot be applied as the projection stands, so that no
 * retry can help: typically a later event of an aggregate whose first event this projection never
 * applied (it was dead-lettered, or never published), or an event that contradicts the projection.
 * The consumer then rolls the transaction back, applies the events before this one, sends this
 * one to `<topic>.dlq` at once (no retries, no backoff) with `message` as the reason, and goes on
 * with the events after it. The event is not recorded in the inbox: re-driving it later (after the
 * events it depends on) applies it.
 */
export class UnappliableEvent extends Error {
  constructor(
    /** The event as the handler got it (its topic, partition and offset identify it in the batch). */
    readonly event: ConsumedEvent,
    reason: string,
  ) {
    super(reason);
    this.name = 'UnappliableEvent';
  }
}

/**
 * Applies events inside the given transaction. Gets only events this consumer has not applied
 * before, of one partition, in offset order. Throwing rolls the whole transaction back.
 * `withCommit`, when given, takes the handler's last statement and sends it together with the
 * COMMIT (one round trip for both, `pipelinedTransaction`); without it, the handler runs it itself.
 */
export type HandleEvents = (events: ConsumedEvent[], manager: EntityManager, withCommit?: SendWithCommit, ahead?: AheadRows) => Promise<void>;

/**
 * The reads a handler wants sent in the inbox statement's round trip (`pipelinedTransaction`'s
 * `ahead`), made from the batch's events before the inbox has filtered them: they may cover events
 * the inbox then drops as duplicates. Their rows reach the handler as `ahead`, in their order.
 */
export type ReadAhead = (events: readonly ConsumedEvent[]) => Statement[];

export interface ConsumerTuning {
  /** Attempts after the first, for a batch and then for each of its events alone (default 3). */
  maxRetries?: number;
  /** Where a group without committed offsets starts (default true: the whole topic). */
  fromBeginning?: boolean;
  /** Events per transaction (default 500). */
  maxBatchSize?: number;
  /** First retry delay, doubling (default 100 ms, at most 2 s). */
  retryBackoffMs?: number;
  maxRetryBackoffMs?: number;
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  maxWaitTimeMs?: number;
  partitionsConsumedConcurrently?: number;
  /**
   * Members of the group this consumer runs (default 1). The bus client fetches again only when
   * every batch of its last fetch is applied, so within one member a slow batch of one partition
   * holds back the others'; members split the partitions and fetch independently.
   */
  members?: number;
  /** Create missing `<topic>.dlq` topics at start (default true). */
  ensureDeadLetterTopics?: boolean;
}

export interface ValidatingConsumerOptions extends ConsumerTuning {
  bus: MessageBus;
  dataSource: DataSource;
  /** The service schema holding the `inbox` table. */
  schema: string;
  /** The consumer group, also the inbox's `consumer` column: one per projection. */
  groupId: string;
  topics: readonly string[];
  handle: HandleEvents;
  readAhead?: ReadAhead;
  logger: MessagingLogger;
}

export interface ConsumerStats {
  /** Events applied (their transaction committed). */
  applied: number;
  /** Events skipped because the inbox had them already. */
  duplicates: number;
  deadLettered: number;
  lastAppliedAt: Date | null;
}

interface Pending {
  event: ConsumedEvent;
  record: IncomingRecord;
}

/**
 * Consumes topics for one projection: validates each event against the contracts, sends what
 * cannot be read or applied to `<topic>.dlq`, and applies the rest exactly once through the
 * inbox, one transaction per batch, committing offsets only after the transaction.
 */
export class ValidatingConsumer {
  private readonly schema: string;
  private readonly maxRetries: number;
  private readonly maxBatchSize: number;
  private readonly retryBackoffMs: number;
  private readonly maxRetryBackoffMs: number;
  private readonly heartbeatIntervalMs: number;
  private readonly consumers: BusConsumer[] = [];
  private readonly members: number;
  private deadLetters: BusProducer | null = null;
  private readonly counters: ConsumerStats = { applied: 0, duplicates: 0, deadLettered: 0, lastAppliedAt: null };

  constructor(private readonly options: ValidatingConsumerOptions) {
    this.schema = assertSchemaName(options.schema);
    if (options.topics.length === 0) throw new Error(`consumer ${options.groupId} has no topics`);
    this.maxRetries = options.maxRetries ?? 3;
    this.maxBatchSize = options.maxBatchSize ?? 500;
    this.retryBackoffMs = options.retryBackoffMs ?? 100;
    this.maxRetryBackoffMs = options.maxRetryBackoffMs ?? 2000;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 3000;
    this.members = options.members ?? 1;
    if (!Number.isSafeInteger(this.members) || this.members < 1) throw new Error(`consumer ${options.groupId}: members must be a positive integer`);
  }

  get groupId(): string {
    return this.options.groupId;
  }

  stats(): ConsumerStats {
    return { ...this.counters };
  }

  /** Joins the group and starts consuming in the background. */
  async start(): Promise<void> {
    if (this.consumers.length > 0) return;
    const { bus, groupId, topics, logger } = this.options;
    if (this.options.ensureDeadLetterTopics !== false) {
      const admin = bus.admin();
      await admin.connect();
      try {
        await admin.createTopics(topics.map((t) => ({ topic: dlqTopic(t), partitions: 1 })));
      } finally {
        await admin.disconnect();
      }
    }
    const deadLetters = bus.producer();
    await deadLetters.connect();
    this.deadLetters = deadLetters;
    try {
      // All members join at once: one after the other, each join would wait for a rebalance of
      // the ones before (a heartbeat interval each).
      await Promise.all(Array.from({ length: this.members }, async () => {
        const consumer = bus.consumer({
          groupId,
          sessionTimeoutMs: this.options.sessionTimeoutMs,
          rebalanceTimeoutMs: this.options.rebalanceTimeoutMs,
          heartbeatIntervalMs: this.heartbeatIntervalMs,
          maxWaitTimeMs: this.options.maxWaitTimeMs,
          partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
        });
        consumer.onCrash((error) => logger.error(`consumer ${groupId} stopped: ${error.message}`));
        this.consumers.push(consumer);
        await consumer.connect();
        await consumer.subscribe({ topics, fromBeginning: this.options.fromBeginning ?? true });
        await consumer.run((batch, control) => this.consumeBatch(batch, control));
      }));
    } catch (error) {
      await this.stop();
      throw error;
    }
    running.add(this);
  }

  /** Finishes the in-flight transactions, commits their offsets, leaves the group. */
  async stop(): Promise<void> {
    running.delete(this);
    const consumers = this.consumers.splice(0);
    const { deadLetters } = this;
    this.deadLetters = null;
    try {
      await Promise.all(consumers.map(async (consumer) => {
        await consumer.stop();
        await consumer.disconnect();
      }));
    } finally {
      await deadLetters?.disconnect();
    }
  }

  private async consumeBatch(batch: IncomingBatch, control: BatchControl): Promise<void> {
    for (const records of chunk(batch.records, this.maxBatchSize)) {
      // Whatever is left is redelivered to whoever owns the partition next; the inbox makes that harmless.
      if (!control.isRunning() || control.isStale()) return;
      await this.consumeChunk(batch.topic, batch.partition, records, control);
      control.resolveOffset(records[records.length - 1].offset);
      await control.commitOffsets();
      await control.heartbeat();
    }
  }

  private async consumeChunk(
    topic: string,
    partition: number,
    records: IncomingRecord[],
    control: BatchControl,
  ): Promise<void> {
    const valid: Pending[] = [];
    const invalid: { record: IncomingRecord; reason: string }[] = [];
    for (const record of records) {
      const read = readEvent(record, topic);
      if (read.ok) {
        valid.push({
          record,
          event: {
            envelope: read.envelope,
            topic,
            partition,
            offset: record.offset,
            key: record.key?.toString('utf8') ?? null,
          },
        });
      } else {
        invalid.push({ record, reason: read.reason });
      }
    }
    if (invalid.length > 0) {
      await this.sendToDeadLetters(topic, partition, invalid);
    }
    if (valid.length === 0) return;
    await this.applyInOrder(valid, control);
  }

  /**
   * Applies `pending` (one partition, offset order) as one batch if it can. An event the handler
   * declares unappliable (`UnappliableEvent`) is cut out at once: the events before it are applied,
   * it goes to the DLQ, then the events after it follow. A batch that keeps failing otherwise is
   * applied event by event.
   */
  private async applyInOrder(pending: Pending[], control: BatchControl): Promise<void> {
    let rest = pending;
    while (rest.length > 0) {
      const failure = await this.attempt(rest, control);
      if (failure === null) return;
      const at = unappliableAt(failure.error, rest);
      if (at < 0) {
        await this.oneByOne(rest, control);
        return;
      }
      // The handler may have named a later event first; the events before it go through the same steps.
      if (at > 0) await this.applyInOrder(rest.slice(0, at), control);
      await this.deadLetterUnappliable(rest[at], failure.error as UnappliableEvent, control);
      rest = rest.slice(at + 1);
    }
  }

  private async oneByOne(pending: Pending[], control: BatchControl): Promise<void> {
    const { topic, partition } = pending[0].event;
    this.options.logger.warn(
      `consumer ${this.options.groupId}: batch of ${pending.length} from ${topic}/${partition} keeps failing, applying one by one`,
    );
    for (const p of pending) {
      const failure = await this.attempt([p], control);
      if (failure !== null) {
        if (unappliableAt(failure.error, [p]) === 0) await this.deadLetterUnappliable(p, failure.error as UnappliableEvent, control);
        else await this.giveUp(p, failure.error, control);
      }
      control.resolveOffset(p.record.offset);
    }
  }

  /**
   * Applies with bounded retries; returns null once committed, else the last error. An
   * `UnappliableEvent` about one of `pending` is returned at once: retrying cannot help.
   */
  private async attempt(pending: Pending[], control: BatchControl): Promise<{ error: unknown } | null> {
    let last: unknown = null;
    for (let attempt = 0; attempt <= this.maxRetries; attempt++) {
      if (attempt > 0) {
        await sleep(backoffMs(attempt, this.retryBackoffMs, this.maxRetryBackoffMs));
        await control.heartbeat();
      }
      try {
        await this.keepingAlive(control, () => this.apply(pending.map((p) => p.event)));
        return null;
      } catch (error) {
        if (unappliableAt(error, pending) >= 0) return { error };
        const what = pending.length === 1 ? `event ${describe(pending[0].event)}` : `batch of ${pending.length}`;
        this.options.logger.warn(
          `consumer ${this.options.groupId}: ${what} failed (attempt ${attempt + 1}): ${errorMessage(error)}`,
        );
        last = error;
      }
    }
    return { error: last };
  }

  private async apply(events: ConsumedEvent[]): Promise<void> {
    const fresh = await applyOnce(this.options, events);
    this.counters.applied += fresh;
    this.counters.duplicates += events.length - fresh;
    if (fresh > 0) this.counters.lastAppliedAt = new Date();
  }

  /**
   * The event failed every attempt on its own. If the database itself is unreachable that is
   * not the event's fault: throw, and the bus redelivers once it is back. Otherwise dead-letter it.
   */
  private async giveUp(pending: Pending, error: unknown, control: BatchControl): Promise<void> {
    try {
      await withTimeout(this.options.dataSource.query('SELECT 1'), 5000, 'database did not answer within 5 s');
    } catch (unreachable) {
      throw new Error(
        `consumer ${this.options.groupId}: database unavailable, will retry: ${errorMessage(unreachable)}`,
      );
    }
    const reason = `handler failed after ${this.maxRetries + 1} attempts: ${errorMessage(error)}`;
    await this.sendToDeadLetters(pending.event.topic, pending.event.partition, [{ record: pending.record, reason }]);
    await control.heartbeat();
  }

  /** The handler said the event cannot be applied: no database check, no retries, its reason as is. */
  private async deadLetterUnappliable(pending: Pending, error: UnappliableEvent, control: BatchControl): Promise<void> {
    await this.sendToDeadLetters(pending.event.topic, pending.event.partition, [{ record: pending.record, reason: error.message }]);
    control.resolveOffset(pending.record.offset);
    await control.heartbeat();
  }

  private async sendToDeadLetters(
    topic: string,
    partition: number,
    dead: { record: IncomingRecord; reason: string }[],
  ): Promise<void> {
    if (!this.deadLetters) throw new Error(`consumer ${this.options.groupId} is stopped`);
    await this.deadLetters.send(dead.map((d) => deadLetter(topic, partition, d.record, d.reason, this.options.groupId)));
    this.counters.deadLettered += dead.length;
    for (const d of dead) {
      this.options.logger.error(
        `consumer ${this.options.groupId}: ${topic}/${partition}/${d.record.offset} sent to ${dlqTopic(topic)}: ${d.reason}`,
      );
    }
  }

  /** Heartbeats while a long transaction runs, so the group does not evict this member. */
  private async keepingAlive<T>(control: BatchControl, work: () => Promise<T>): Promise<T> {
    const timer = setInterval(() => {
      control.heartbeat().catch(() => undefined); // a rebalance shows again at the next awaited heartbeat
    }, this.heartbeatIntervalMs);
    try {
      return await work();
    } finally {
      clearInterval(timer);
    }
  }
}

/**
 * Applies a batch of one partition (in offset order) exactly once for `groupId`, as the validating
 * consumer applies every batch: one transaction that records the events' ids in `schema`'s inbox
 * and hands only the new ones (the first of each id) to `handle`. `BEGIN` goes with the inbox
 * statement and `COMMIT` with the handler's last statement (`pipelinedTransaction`). Returns how
 * many events were new. Tests that feed a handler without Kafka call it too.
 */
export async function applyOnce(
  target: { dataSource: DataSource; schema: string; groupId: string; handle: HandleEvents; readAhead?: ReadAhead },
  events: readonly ConsumedEvent[],
): Promise<number> {
  if (events.length === 0) return 0;
  const { topic, partition } = events[0];
  const unique = firstOfEachId(events, (e) => e.envelope.id);
  const inbox = inboxStatement(target.schema, target.groupId, { topic, partition },
    unique.map((e) => ({ ceId: e.envelope.id, offset: e.offset })));
  const ahead = target.readAhead?.(unique) ?? [];
  return pipelinedTransaction<{ ce_id: string }, number>(target.dataSource, inbox, async (rows, manager, withCommit, aheadRows) => {
    const inserted = new Set(rows.map((r) => r.ce_id));
    const news = unique.filter((e) => inserted.has(e.envelope.id));
    if (news.length > 0) await target.handle(news, manager, withCommit, ahead.length > 0 ? aheadRows : undefined);
    return news.length;
  }, ahead);
}

/** Where in `pending` the event an `UnappliableEvent` names is; -1 for any other error. */
function unappliableAt(error: unknown, pending: readonly Pending[]): number {
  if (!(error instanceof UnappliableEvent)) return -1;
  const { topic, partition, offset } = error.event;
  return pending.findIndex((p) => p.event.topic === topic && p.event.partition === partition && p.event.offset === offset);
}

function describe(event: ConsumedEvent): string {
  return `${event.envelope.type} ${event.envelope.id} (${event.topic}/${event.partition}/${event.offset})`;
}
