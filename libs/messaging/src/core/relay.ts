import { CE_SPECVERSION } from '@ipfin/contracts';
import { DataSource, QueryRunner } from 'typeorm';
import { BusProducer, MessageBus, OutgoingRecord } from './bus';
import { chunkBySize } from './batching';
import { encodeHeaders } from './cloudevents';
import { errorMessage, MessagingLogger } from './logger';
import { preparedQuery } from './prepared';
import { assertSchemaName, outboxChannel } from './schema';
import { backoffMs, sleep, Waker } from './timing';

export interface OutboxRelayOptions {
  dataSource: DataSource;
  bus: MessageBus;
  /** The service schema holding the `outbox` table. */
  schema: string;
  logger: MessagingLogger;
  /** Rows read per round (default 500). */
  batchSize?: number;
  /** Payload bytes per produce request, kept under the broker's limit (default 512 KiB). */
  maxSendBytes?: number;
  /** Poll fallback when no notification arrives (default 250 ms). */
  pollIntervalMs?: number;
  /** How often a standby relay tries to become the leader (default 2 s). */
  standbyRetryMs?: number;
  /** First backoff after a failed publish or database error (default 200 ms, doubling to 5 s). */
  retryBackoffMs?: number;
  maxRetryBackoffMs?: number;
  /** Published rows older than this are deleted (default 7 days). */
  retentionMs?: number;
  /** How often the leader deletes expired rows (default 10 minutes). */
  cleanupIntervalMs?: number;
  /** Test-only: crash points for the "killed between commit and publish" tests. */
  testHooks?: RelayTestHooks;
}

export interface RelayTestHooks {
  beforeSend?(outboxIds: string[]): void | Promise<void>;
  afterAck?(outboxIds: string[]): void | Promise<void>;
}

export interface RelayStats {
  /** Whether this instance holds the schema's relay lock right now. */
  leader: boolean;
  /** Events this instance published since it started. */
  published: number;
  lastPublishedAt: Date | null;
  /** Outbox rows not yet acknowledged by the broker (all instances). */
  backlog: number;
}

export interface OutboxRow {
  id: string;
  ce_id: string;
  topic: string;
  key: string;
  ce_type: string;
  ce_source: string;
  ce_subject: string | null;
  ce_time: Date;
  traceparent: string | null;
  payload: string;
}

interface Notification {
  channel: string;
}

/** The part of a `pg` client the relay listens on. */
interface ListeningConnection {
  on(event: 'notification', listener: (n: Notification) => void): unknown;
  on(event: 'error', listener: (e: Error) => void): unknown;
  removeListener(event: 'notification' | 'error', listener: (...args: never[]) => void): unknown;
}

function isListeningConnection(value: unknown): value is ListeningConnection {
  const c = value as Partial<ListeningConnection> | null;
  return typeof c?.on === 'function' && typeof c.removeListener === 'function';
}

interface Leadership {
  runner: QueryRunner;
  connection: ListeningConnection;
  producer: BusProducer;
  lost: Error | null;
  detach(): void;
}

const CLEANUP_CHUNK = 10000;

/** A prepared statement on the runner's connection; the caller names the row shape of its own SQL. */
const queryRows = <T>(runner: QueryRunner, sql: string, parameters?: unknown[]): Promise<T[]> =>
  preparedQuery<T>(runner.manager, sql, parameters);

const rowBytes = (row: OutboxRow): number => Buffer.byteLength(row.payload) + row.key.length + 512;

/** The row as a CloudEvents record; the stored JSON text goes out as is. */
export function outboxRowToRecord(row: OutboxRow): OutgoingRecord {
  const headers = encodeHeaders({
    id: row.ce_id,
    type: row.ce_type,
    source: row.ce_source,
    time: row.ce_time.toISOString(),
    specversion: CE_SPECVERSION,
    ...(row.ce_subject === null ? {} : { subject: row.ce_subject }),
    ...(row.traceparent === null ? {} : { traceparent: row.traceparent }),
  });
  return { topic: row.topic, key: row.key, value: row.payload, headers };
}

/**
 * Publishes a service's outbox to the bus. Run one per process; across processes only the one
 * holding the schema's advisory lock publishes, the others stand by and take over when its
 * session ends (crash, kill, network loss).
 *
 * Each round reads the oldest unpublished rows (`published_at IS NULL ORDER BY id`, never "after
 * the last id seen": ids of concurrent transactions become visible out of order), publishes them
 * with the idempotent producer in id order and only then marks them published — in the statement
 * of the next round's read (and on the way out), so a round is one database round trip and one
 * produce request. A crash between the broker's ack and the mark publishes those rows again:
 * consumers' inboxes absorb that.
 */
export class OutboxRelay {
  private readonly schema: string;
  private readonly channel: string;
  private readonly batchSize: number;
  private readonly maxSendBytes: number;
  private readonly pollIntervalMs: number;
  private readonly standbyRetryMs: number;
  private readonly retryBackoffMs: number;
  private readonly maxRetryBackoffMs: number;
  private readonly retentionMs: number;
  private readonly cleanupIntervalMs: number;
  private readonly waker = new Waker();
  private running = false;
  private loop: Promise<void> | null = null;
  private leadership: Leadership | null = null;
  private published = 0;
  private lastPublishedAt: Date | null = null;

  constructor(private readonly options: OutboxRelayOptions) {
    this.schema = assertSchemaName(options.schema);
    this.channel = outboxChannel(options.schema);
    this.batchSize = options.batchSize ?? 500;
    this.maxSendBytes = options.maxSendBytes ?? 512 * 1024;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.standbyRetryMs = options.standbyRetryMs ?? 2000;
    this.retryBackoffMs = options.retryBackoffMs ?? 200;
    this.maxRetryBackoffMs = options.maxRetryBackoffMs ?? 5000;
    this.retentionMs = options.retentionMs ?? 7 * 24 * 3600 * 1000;
    this.cleanupIntervalMs = options.cleanupIntervalMs ?? 10 * 60 * 1000;
  }

  /** Starts the relay loop in the background; returns at once. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Finishes the in-flight publish (and its mark), releases the lock and the connection. */
  async stop(): Promise<void> {
    this.running = false;
    this.waker.wake();
    await this.loop;
    this.loop = null;
  }

  isLeader(): boolean {
    return this.leadership !== null && this.leadership.lost === null;
  }

  async stats(): Promise<RelayStats> {
    const [row] = await this.options.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${this.schema}".outbox WHERE published_at IS NULL`,
    );
    return {
      leader: this.isLeader(),
      published: this.published,
      lastPublishedAt: this.lastPublishedAt,
      backlog: row?.n ?? 0,
    };
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        this.leadership = await this.tryToLead();
        if (!this.leadership) {
          await this.waker.wait(this.standbyRetryMs);
          continue;
        }
        this.options.logger.log(`outbox relay for ${this.schema} is the leader`);
        failures = 0;
        await this.lead(this.leadership);
      } catch (error) {
        failures += 1;
        this.options.logger.warn(`outbox relay for ${this.schema}: ${errorMessage(error)}`);
        await this.waker.wait(backoffMs(failures, this.retryBackoffMs, this.maxRetryBackoffMs));
      } finally {
        if (this.leadership) await this.resign(this.leadership);
        this.leadership = null;
      }
    }
  }

  private async tryToLead(): Promise<Leadership | null> {
    const runner = this.options.dataSource.createQueryRunner('master');
    try {
      const connection: unknown = await runner.connect();
      if (!isListeningConnection(connection)) throw new Error('the outbox relay needs the PostgreSQL driver');
      const [lock] = await queryRows<{ locked: boolean }>(
        runner,
        `SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`,
        [`ipfin.outbox_relay.${this.schema}`],
      );
      if (!lock?.locked) {
        await runner.release();
        return null;
      }
      const leadership: Leadership = {
        runner,
        connection,
        producer: this.options.bus.producer({ idempotent: true }),
        lost: null,
        detach: () => undefined,
      };
      const onNotification = (n: Notification): void => {
        if (n.channel === this.channel) this.waker.wake();
      };
      const onError = (e: Error): void => {
        leadership.lost = e;
        this.waker.wake();
      };
      connection.on('notification', onNotification);
      connection.on('error', onError);
      leadership.detach = () => {
        connection.removeListener('notification', onNotification);
        connection.removeListener('error', onError);
      };
      try {
        await runner.query(`LISTEN "${this.channel}"`);
        await leadership.producer.connect();
      } catch (error) {
        await this.resign(leadership);
        throw error;
      }
      return leadership;
    } catch (error) {
      if (!runner.isReleased) await runner.release();
      throw error;
    }
  }

  private async lead(leadership: Leadership): Promise<void> {
    let lastCleanup = 0;
    // Acknowledged by the broker, not yet marked: the next read marks them in its own statement,
    // which saves a round trip per round; whatever is left is marked on the way out.
    let acked: string[] = [];
    try {
      while (this.running) {
        if (leadership.lost) throw leadership.lost;
        if (Date.now() - lastCleanup >= this.cleanupIntervalMs) {
          await this.deleteExpired(leadership.runner);
          lastCleanup = Date.now();
        }
        const rows = await this.markAndRead(leadership.runner, acked);
        acked = [];
        if (rows.length === 0) {
          await this.waker.wait(this.pollIntervalMs);
          continue;
        }
        // One request per chunk, each acknowledged before the next: ids stay in order per key.
        for (const sendable of chunkBySize(rows, rowBytes, this.maxSendBytes)) {
          const ids = sendable.map((r) => r.id);
          await this.options.testHooks?.beforeSend?.(ids);
          if (!(await this.publish(leadership, sendable.map(outboxRowToRecord)))) return;
          await this.options.testHooks?.afterAck?.(ids);
          acked.push(...ids);
          this.published += sendable.length;
          this.lastPublishedAt = new Date();
        }
      }
    } finally {
      if (acked.length > 0 && !leadership.lost) {
        try {
          await queryRows(leadership.runner, this.markPublishedSql('$1'), [acked]);
        } catch (error) {
          // Unmarked rows are published again by the next leader; the consumers' inboxes absorb that.
          this.options.logger.warn(`outbox relay for ${this.schema}: marking published rows: ${errorMessage(error)}`);
        }
      }
    }
  }

  /** Marks the rows whose ids are the parameter `ids` (a bigint array) published. */
  private markPublishedSql(ids: string): string {
    return `UPDATE "${this.schema}".outbox SET published_at = now() WHERE id = ANY(${ids}::bigint[])`;
  }

  /**
   * The oldest unpublished rows, after marking `acked` published in the same statement. The read
   * does not see that statement's own update (one snapshot), so it leaves those ids out itself.
   */
  private markAndRead(runner: QueryRunner, acked: readonly string[]): Promise<OutboxRow[]> {
    const columns = 'id, ce_id, topic, key, ce_type, ce_source, ce_subject, ce_time, traceparent, payload::text AS payload';
    if (acked.length === 0) {
      return queryRows<OutboxRow>(runner,
        `SELECT ${columns} FROM "${this.schema}".outbox WHERE published_at IS NULL ORDER BY id LIMIT $1`,
        [this.batchSize],
      );
    }
    return queryRows<OutboxRow>(runner,
      `WITH marked AS (${this.markPublishedSql('$2')})
       SELECT ${columns} FROM "${this.schema}".outbox WHERE published_at IS NULL AND id <> ALL($2::bigint[]) ORDER BY id LIMIT $1`,
      [this.batchSize, acked],
    );
  }

  /** Sends until the broker acknowledges; gives up only when asked to stop or the lock is lost. */
  private async publish(leadership: Leadership, records: OutgoingRecord[]): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await leadership.producer.send(records);
        return true;
      } catch (error) {
        this.options.logger.warn(
          `outbox relay for ${this.schema}: publish failed (attempt ${attempt}): ${errorMessage(error)}`,
        );
        if (!this.running || leadership.lost) return false;
        await sleep(backoffMs(attempt, this.retryBackoffMs, this.maxRetryBackoffMs));
      }
    }
  }

  private async deleteExpired(runner: QueryRunner): Promise<void> {
    for (;;) {
      // Counted in a CTE: TypeORM returns DELETE results as [rows, count], a SELECT as rows.
      const [result] = await queryRows<{ n: number }>(
        runner,
        `WITH expired AS (
           DELETE FROM "${this.schema}".outbox WHERE id IN (
             SELECT id FROM "${this.schema}".outbox
             WHERE published_at < now() - $1::bigint * interval '1 millisecond' LIMIT ${CLEANUP_CHUNK})
           RETURNING 1)
         SELECT count(*)::int AS n FROM expired`,
        [this.retentionMs],
      );
      if ((result?.n ?? 0) < CLEANUP_CHUNK) return;
    }
  }

  private async resign(leadership: Leadership): Promise<void> {
    const { runner } = leadership;
    leadership.detach();
    try {
      await leadership.producer.disconnect();
    } catch (error) {
      this.options.logger.warn(`outbox relay for ${this.schema}: producer disconnect: ${errorMessage(error)}`);
    }
    if (runner.isReleased) return;
    if (!leadership.lost) {
      try {
        await runner.query(`UNLISTEN "${this.channel}"`);
        await runner.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [`ipfin.outbox_relay.${this.schema}`]);
      } catch (error) {
        this.options.logger.warn(`outbox relay for ${this.schema}: releasing the lock: ${errorMessage(error)}`);
      }
    }
    // The pool drops a broken connection, which ends its session and so the lock.
    await runner.release();
  }
}
