/**
 * Shared set-up of the messaging integration tests: the real PostgreSQL and Kafka from the
 * infra globalSetup, a fresh schema and fresh topics per test, and a tiny loan projection.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { CE_SPECVERSION, EventEnvelope, loanCeType } from '@ipfin/contracts';
import { DataSource, EntityManager } from 'typeorm';
import {
  ConsumedEvent,
  consumerLag,
  createKafkaBus,
  encodeEvent,
  IncomingRecord,
  MessageBus,
  MessagingLogger,
  messagingTablesSql,
  OutboxMessage,
  OutgoingRecord,
  ValidatingConsumer,
  ValidatingConsumerOptions,
} from '../../src';

export const SOURCE = '/ipfin/msgtest';

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through jest.integration.config.js (infra globalSetup)`);
  return value;
}

/** Warnings and errors reach the test output; a test may collect them too. */
export function testLogger(lines: string[] = []): MessagingLogger & { lines: string[] } {
  return {
    lines,
    log: () => undefined,
    debug: () => undefined,
    warn: (m) => {
      lines.push(`warn ${m}`);
      if (process.env['MSGTEST_VERBOSE']) process.stderr.write(`warn ${m}\n`);
    },
    error: (m) => {
      lines.push(`error ${m}`);
      if (process.env['MSGTEST_VERBOSE']) process.stderr.write(`error ${m}\n`);
    },
  };
}

export const unique = (prefix: string): string => `${prefix}_${randomBytes(5).toString('hex')}`;

export async function openDataSource(poolSize = 10): Promise<DataSource> {
  const dataSource = new DataSource({ type: 'postgres', url: requireEnv('DATABASE_URL'), poolSize, entities: [] });
  return dataSource.initialize();
}

/** A fresh schema with the messaging tables and the test projection. */
export async function createSchema(dataSource: DataSource): Promise<string> {
  const schema = unique('msgtest');
  for (const sql of messagingTablesSql(schema)) await dataSource.query(sql);
  await dataSource.query(
    `CREATE TABLE "${schema}".loans (key text PRIMARY KEY, sequence int NOT NULL, repaid bigint NOT NULL DEFAULT 0)`,
  );
  // Consumer side: one row per applied event, in apply order, plus running totals.
  await dataSource.query(
    `CREATE TABLE "${schema}".applied (position bigserial PRIMARY KEY, key text NOT NULL, ce_id text NOT NULL, sequence int NOT NULL, principal_fen bigint NOT NULL)`,
  );
  return schema;
}

export async function dropSchema(dataSource: DataSource, schema: string): Promise<void> {
  await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

export function openBus(logger: MessagingLogger = testLogger()): MessageBus {
  return createKafkaBus({ brokers: requireEnv('KAFKA_BROKERS'), clientId: unique('msgtest'), logger });
}

/** Produces `records` with an idempotent producer of its own, as the relay does. */
export async function produce(bus: MessageBus, records: OutgoingRecord[]): Promise<void> {
  const producer = bus.producer({ idempotent: true });
  await producer.connect();
  try {
    await producer.send(records);
  } finally {
    await producer.disconnect();
  }
}

/** Creates `<name>` with its `.dlq` and returns the topic name. */
export async function createTopic(bus: MessageBus, partitions: number): Promise<string> {
  const topic = `msgtest.${unique('t')}`;
  const admin = bus.admin();
  await admin.connect();
  try {
    await admin.createTopics([
      { topic, partitions },
      { topic: `${topic}.dlq`, partitions: 1 },
    ]);
  } finally {
    await admin.disconnect();
  }
  return topic;
}

export async function deleteTopics(bus: MessageBus, topics: string[]): Promise<void> {
  const admin = bus.admin();
  await admin.connect();
  try {
    await admin.deleteTopics(topics.flatMap((t) => [t, `${t}.dlq`]));
  } catch {
    // Leaving them is fine: names are unique.
  } finally {
    await admin.disconnect();
  }
}

export async function topicSize(bus: MessageBus, topic: string): Promise<number> {
  const admin = bus.admin();
  await admin.connect();
  try {
    const marks = await admin.topicWatermarks(topic);
    return marks.reduce((n, m) => n + Number(BigInt(m.high) - BigInt(m.low)), 0);
  } finally {
    await admin.disconnect();
  }
}

/** What most messaging tests set up per test: a data source, the bus, a fresh schema and topic. */
export interface MessagingFixture {
  dataSource: DataSource;
  bus: MessageBus;
  schema: string;
  topic: string;
}

/** Registers the `beforeEach` / `afterEach` of a `MessagingFixture`; read its fields inside a test. */
export function messagingFixture(partitions: number, poolSize?: number): MessagingFixture {
  const f = {} as MessagingFixture;
  beforeEach(async () => {
    f.dataSource = await openDataSource(poolSize);
    f.bus = openBus();
    f.schema = await createSchema(f.dataSource);
    f.topic = await createTopic(f.bus, partitions);
  });
  afterEach(async () => {
    await dropSchema(f.dataSource, f.schema);
    await deleteTopics(f.bus, [f.topic]);
    await f.dataSource.destroy();
  });
  return f;
}

let loanSeq = 0;

/** A valid `RepaymentReceived` for loan `key`, the `sequence`-th event of that loan. */
export function repayment(topic: string, key: string, sequence: number, principal = '100.00'): OutboxMessage {
  loanSeq += 1;
  return {
    topic,
    key,
    type: loanCeType('RepaymentReceived'),
    subject: key,
    data: {
      bank: key.split(':')[0],
      loanRef: key.split(':')[1],
      eventId: `evt-${loanSeq}-${sequence}`,
      sequence,
      occurredOn: '2024-05-20',
      recordedAt: '2024-05-20T09:30:00+08:00',
      principal,
      interest: '1.25',
    },
  };
}

/** The same message as a ready-to-produce record (bypassing the outbox). */
export function asRecord(message: OutboxMessage, id: string = randomUUID()) {
  const envelope: EventEnvelope<unknown> = {
    id,
    type: message.type,
    source: SOURCE,
    subject: message.subject,
    time: new Date().toISOString(),
    specversion: CE_SPECVERSION,
    data: message.data,
  };
  return encodeEvent({ topic: message.topic, key: message.key, envelope });
}

interface RepaymentData {
  sequence: number;
  principal: string;
}

export const toFen = (amount: string): bigint => {
  const [yuan, fen = ''] = amount.split('.');
  return BigInt(yuan) * 100n + BigInt(fen.padEnd(2, '0'));
};

/** The test projection: one `applied` row per event, in the order the handler saw them. */
export function projectionHandler(schema: string, hook?: (events: ConsumedEvent[]) => void | Promise<void>) {
  return async (events: ConsumedEvent[], manager: EntityManager): Promise<void> => {
    await hook?.(events);
    for (const e of events) {
      const data = e.envelope.data as RepaymentData;
      await manager.query(
        `INSERT INTO "${schema}".applied (key, ce_id, sequence, principal_fen) VALUES ($1, $2, $3, $4)`,
        [e.key, e.envelope.id, data.sequence, toFen(data.principal).toString()],
      );
    }
  };
}

export async function projection(dataSource: DataSource, schema: string) {
  const rows = await dataSource.query<{ key: string; ce_id: string; sequence: number; principal_fen: string }[]>(
    `SELECT key, ce_id, sequence, principal_fen FROM "${schema}".applied ORDER BY position`,
  );
  const total = rows.reduce((n, r) => n + BigInt(r.principal_fen), 0n);
  return { rows, count: rows.length, totalFen: total, distinctIds: new Set(rows.map((r) => r.ce_id)).size };
}

/** Consumer settings that join fast on the single test broker. */
export const FAST_GROUP = {
  sessionTimeoutMs: 6000,
  rebalanceTimeoutMs: 6000,
  heartbeatIntervalMs: 500,
  maxWaitTimeMs: 200,
  retryBackoffMs: 20,
  maxRetryBackoffMs: 200,
} as const;

export function consumer(
  options: Pick<ValidatingConsumerOptions, 'bus' | 'dataSource' | 'schema' | 'topics' | 'handle'> &
    Partial<ValidatingConsumerOptions>,
): ValidatingConsumer {
  return new ValidatingConsumer({ groupId: unique('group'), logger: testLogger(), ...FAST_GROUP, ...options });
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}; last: ${JSON.stringify(last, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`,
      );
    await new Promise((r) => setTimeout(r, 100));
    last = await probe();
  }
  return last;
}

/** Waits until the group has consumed everything on its topics. */
export function waitForNoLag(bus: MessageBus, groupId: string, topics: string[], timeoutMs = 30_000): Promise<number> {
  return waitFor(
    `no lag for ${groupId}`,
    () => consumerLag(bus, groupId, topics),
    (lag) => lag === 0,
    timeoutMs,
  );
}

/** Reads a whole topic (e.g. a DLQ) with a throw-away group until `count` records arrived. */
export async function readTopic(
  bus: MessageBus,
  topic: string,
  count: number,
  timeoutMs = 30_000,
): Promise<IncomingRecord[]> {
  const records: IncomingRecord[] = [];
  const reader = bus.consumer({ groupId: unique('reader'), ...FAST_GROUP });
  await reader.connect();
  try {
    await reader.subscribe({ topics: [topic], fromBeginning: true });
    await reader.run(async (batch, control) => {
      records.push(...batch.records);
      control.resolveOffset(batch.records[batch.records.length - 1].offset);
    });
    await waitFor(
      `${count} records on ${topic}`,
      async () => records.length,
      (n) => n >= count,
      timeoutMs,
    );
    return records;
  } finally {
    await reader.disconnect();
  }
}
