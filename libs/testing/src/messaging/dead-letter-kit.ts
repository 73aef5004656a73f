/**
 * Integration-test kit: a projection handler behind a real validating consumer on fresh topics of
 * the test broker, and its dead letters read back and re-driven — what the services' orphan tests
 * need. Each topic has one partition, so the events of every aggregate share it (the partition
 * must keep moving).
 */
import { randomBytes } from 'node:crypto';
import { CE_HEADERS, DLQ_GROUP_HEADER, DLQ_ORIGIN_HEADER, DLQ_REASON_HEADER, type EventEnvelope } from '@ipfin/contracts';
import {
  consumerLag, createKafkaBus, encodeEvent, headerText, ValidatingConsumer, type ConsumerStats, type HandleEvents,
  type IncomingRecord, type MessageBus, type MessagingLogger, type OutgoingRecord,
} from '@ipfin/messaging';
import type { DataSource } from 'typeorm';

const FAST = {
  sessionTimeoutMs: 6000, rebalanceTimeoutMs: 6000, heartbeatIntervalMs: 500, maxWaitTimeMs: 200,
  retryBackoffMs: 20, maxRetryBackoffMs: 100, maxRetries: 1,
} as const;

const quiet: MessagingLogger = {
  log: () => undefined,
  warn: (m) => (process.env.DLQTEST_VERBOSE ? process.stderr.write(`warn ${m}\n`) : undefined),
  error: (m) => (process.env.DLQTEST_VERBOSE ? process.stderr.write(`error ${m}\n`) : undefined),
};

export interface DeadLetter {
  ceId: string | undefined;
  type: string | undefined;
  reason: string | undefined;
  origin: string | undefined;
  record: IncomingRecord;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `consumer`, waits (up to `timeoutMs`) until its group has consumed everything on `topics`,
 * stops it and returns its counts.
 */
export async function consumeUntilCaughtUp(bus: MessageBus, consumer: ValidatingConsumer, topics: string[], timeoutMs = 60_000): Promise<ConsumerStats> {
  await consumer.start();
  try {
    const deadline = Date.now() + timeoutMs;
    while ((await consumerLag(bus, consumer.groupId, topics)) > 0) {
      if (Date.now() > deadline) throw new Error(`${consumer.groupId} still lags on ${topics.join(', ')}`);
      await sleep(100);
    }
  } finally {
    await consumer.stop();
  }
  return consumer.stats();
}

export class DeadLetterKit {
  private readonly suffix = randomBytes(4).toString('hex');
  private readonly topics: string[] = [];
  readonly bus: MessageBus = createKafkaBus({ brokers: process.env.KAFKA_BROKERS!, clientId: `dlq-test-${this.suffix}`, logger: quiet });

  /** A fresh topic (one partition) and its `.dlq`. */
  async topic(name: string): Promise<string> {
    const topic = `dlqtest.${name}.${this.suffix}`;
    const admin = this.bus.admin();
    await admin.connect();
    try {
      await admin.createTopics([{ topic, partitions: 1 }, { topic: `${topic}.dlq`, partitions: 1 }]);
    } finally {
      await admin.disconnect();
    }
    this.topics.push(topic);
    return topic;
  }

  groupId(name: string): string {
    return `dlq-test-${name}-${this.suffix}`;
  }

  async publish(topic: string, envelopes: readonly { key: string; envelope: EventEnvelope }[]): Promise<void> {
    await this.send(envelopes.map((e) => encodeEvent({ topic, key: e.key, envelope: e.envelope })));
  }

  /**
   * Runs a validating consumer (2 attempts per batch and per event) until the group has consumed
   * everything on `topic`, then stops it; returns its counts.
   */
  async consume(target: { dataSource: DataSource; schema: string; groupId: string; topic: string; handle: HandleEvents }): Promise<ConsumerStats> {
    const consumer = new ValidatingConsumer({
      ...FAST, bus: this.bus, dataSource: target.dataSource, schema: target.schema, groupId: target.groupId,
      topics: [target.topic], handle: target.handle, logger: quiet,
    });
    return consumeUntilCaughtUp(this.bus, consumer, [target.topic]);
  }

  /** Every record of `<topic>.dlq`, in order. */
  async deadLetters(topic: string): Promise<DeadLetter[]> {
    const dlq = `${topic}.dlq`;
    const admin = this.bus.admin();
    await admin.connect();
    let count: number;
    try {
      count = (await admin.topicWatermarks(dlq)).reduce((n, m) => n + Number(BigInt(m.high) - BigInt(m.low)), 0);
    } finally {
      await admin.disconnect();
    }
    if (count === 0) return [];
    const records: IncomingRecord[] = [];
    const reader = this.bus.consumer({ groupId: `dlq-reader-${randomBytes(4).toString('hex')}`, ...FAST });
    await reader.connect();
    try {
      await reader.subscribe({ topics: [dlq], fromBeginning: true });
      await reader.run(async (batch, control) => {
        records.push(...batch.records);
        control.resolveOffset(batch.records[batch.records.length - 1].offset);
      });
      const deadline = Date.now() + 30_000;
      while (records.length < count) {
        if (Date.now() > deadline) throw new Error(`read ${records.length} of ${count} records of ${dlq}`);
        await sleep(100);
      }
    } finally {
      await reader.disconnect();
    }
    return records.map((record) => ({
      ceId: headerText(record.headers[CE_HEADERS.id]),
      type: headerText(record.headers[CE_HEADERS.type]),
      reason: headerText(record.headers[DLQ_REASON_HEADER]),
      origin: headerText(record.headers[DLQ_ORIGIN_HEADER]),
      record,
    }));
  }

  /** Publishes dead letters to `topic` again, in their order, as they came (without the DLQ headers). */
  async redrive(topic: string, letters: readonly DeadLetter[]): Promise<void> {
    await this.send(letters.map(({ record }) => {
      const { [DLQ_REASON_HEADER]: _reason, [DLQ_ORIGIN_HEADER]: _origin, [DLQ_GROUP_HEADER]: _group, ...headers } = record.headers;
      return { topic, key: record.key, value: record.value, headers };
    }));
  }

  async close(): Promise<void> {
    const admin = this.bus.admin();
    await admin.connect();
    try {
      await admin.deleteTopics(this.topics.flatMap((t) => [t, `${t}.dlq`]));
    } catch {
      // unique names: leaving them is harmless
    } finally {
      await admin.disconnect();
    }
  }

  private async send(records: OutgoingRecord[]): Promise<void> {
    const producer = this.bus.producer({ idempotent: true });
    await producer.connect();
    try {
      await producer.send(records);
    } finally {
      await producer.disconnect();
    }
  }
}
