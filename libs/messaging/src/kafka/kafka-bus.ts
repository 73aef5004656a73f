import {
  Admin,
  Consumer,
  EachBatchPayload,
  Kafka,
  KafkaMessage,
  LogEntry,
  logLevel,
  Message,
  Partitioners,
  Producer,
  TopicMessages,
} from 'kafkajs';
import {
  BatchControl,
  BusAdmin,
  BusConsumer,
  BusConsumerOptions,
  BusProducer,
  BusProducerOptions,
  IncomingBatch,
  MessageBus,
  OutgoingRecord,
} from '../core/bus';
import { MessagingLogger } from '../core/logger';
import { fixIdleRequestQueueTimer } from './request-queue-fix';

export interface KafkaBusOptions {
  /** `host:port` list, or one comma-separated string (as in `KAFKA_BROKERS`). */
  brokers: string | readonly string[];
  clientId: string;
  logger: MessagingLogger;
  connectionTimeoutMs?: number;
}

/** kafkajs messages that are part of normal operation, not worth a warning. */
const ROUTINE = ['The group is rebalancing, re-joining', 'Limiting retries for the idempotent producer'];

/** Forwards kafkajs warnings and errors to our logger; everything else is noise. */
export function kafkaLogCreator(logger: MessagingLogger) {
  return (_level: logLevel) =>
    ({ namespace, level, log }: LogEntry): void => {
      const { message, error } = log as { message: string; error?: unknown };
      const detail = typeof error === 'string' && !message.includes(error) ? `: ${error}` : '';
      const line = `kafkajs ${namespace}: ${message}${detail}`;
      if (ROUTINE.some((r) => message.startsWith(r))) logger.debug?.(line);
      else if (level === logLevel.ERROR) logger.error(line);
      else if (level === logLevel.WARN) logger.warn(line);
    };
}

export function parseBrokers(brokers: string | readonly string[]): string[] {
  const list = typeof brokers === 'string' ? brokers.split(',') : [...brokers];
  const trimmed = list.map((b) => b.trim()).filter((b) => b.length > 0);
  if (trimmed.length === 0) throw new Error('no Kafka brokers configured');
  return trimmed;
}

/** The kafkajs implementation of `MessageBus`. */
export function createKafkaBus(options: KafkaBusOptions): MessageBus {
  fixIdleRequestQueueTimer(); // kafkajs 2.2.4 spins a 1 ms timer per idle connection (request-queue-fix.ts)
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: parseBrokers(options.brokers),
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(options.logger),
    retry: { initialRetryTime: 200, retries: 6, maxRetryTime: 5000 },
  });
  return {
    producer: (producerOptions) => new KafkaBusProducer(kafka, producerOptions ?? {}),
    consumer: (consumerOptions) => new KafkaBusConsumer(kafka, consumerOptions),
    admin: () => new KafkaBusAdmin(kafka),
  };
}

function toTopicMessages(records: readonly OutgoingRecord[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const r of records) {
    let messages = byTopic.get(r.topic);
    if (!messages) byTopic.set(r.topic, (messages = []));
    messages.push({ key: r.key, value: r.value, headers: r.headers });
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

class KafkaBusProducer implements BusProducer {
  private readonly producer: Producer;

  constructor(kafka: Kafka, options: BusProducerOptions) {
    this.producer = kafka.producer({
      idempotent: options.idempotent ?? false,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      // Finite, so that a relay can stop while the broker is away; its own loop retries and the
      // consumers' inbox absorbs the duplicates a fresh attempt may write.
      retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5000 },
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  async send(records: OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.producer.sendBatch({ acks: -1, topicMessages: toTopicMessages(records) });
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}

function toIncoming(m: KafkaMessage): IncomingBatch['records'][number] {
  return { key: m.key, value: m.value, headers: m.headers ?? {}, offset: m.offset, timestamp: m.timestamp };
}

class KafkaBusConsumer implements BusConsumer {
  private readonly consumer: Consumer;
  private readonly concurrency: number;

  constructor(kafka: Kafka, options: BusConsumerOptions) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs ?? 30000,
      rebalanceTimeout: options.rebalanceTimeoutMs ?? 30000,
      heartbeatInterval: options.heartbeatIntervalMs ?? 3000,
      maxWaitTimeInMs: options.maxWaitTimeMs ?? 1000,
      allowAutoTopicCreation: false,
    });
    this.concurrency = options.partitionsConsumedConcurrently ?? 1;
  }

  connect(): Promise<void> {
    return this.consumer.connect();
  }

  subscribe(options: { topics: readonly string[]; fromBeginning: boolean }): Promise<void> {
    return this.consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning });
  }

  run(eachBatch: (batch: IncomingBatch, control: BatchControl) => Promise<void>): Promise<void> {
    return this.consumer.run({
      eachBatchAutoResolve: false,
      autoCommit: true,
      partitionsConsumedConcurrently: this.concurrency,
      eachBatch: async (payload: EachBatchPayload) => {
        const { batch } = payload;
        const control: BatchControl = {
          resolveOffset: (offset) => payload.resolveOffset(offset),
          commitOffsets: async () => {
            const pending = payload.uncommittedOffsets();
            if (pending.topics.length > 0) await payload.commitOffsetsIfNecessary(pending);
          },
          heartbeat: () => payload.heartbeat(),
          isRunning: () => payload.isRunning(),
          isStale: () => payload.isStale(),
        };
        await eachBatch(
          { topic: batch.topic, partition: batch.partition, records: batch.messages.map(toIncoming) },
          control,
        );
      },
    });
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  disconnect(): Promise<void> {
    return this.consumer.disconnect();
  }

  onCrash(listener: (error: Error) => void): void {
    this.consumer.on(this.consumer.events.CRASH, (event) => {
      if (!event.payload.restart) listener(event.payload.error);
    });
  }
}

class KafkaBusAdmin implements BusAdmin {
  private readonly admin: Admin;

  constructor(private readonly kafka: Kafka) {
    this.admin = kafka.admin();
  }

  connect(): Promise<void> {
    return this.admin.connect();
  }

  disconnect(): Promise<void> {
    return this.admin.disconnect();
  }

  async describeCluster(): Promise<{ brokers: number; controller: number | null; clusterId: string }> {
    const cluster = await this.admin.describeCluster();
    return { brokers: cluster.brokers.length, controller: cluster.controller, clusterId: cluster.clusterId };
  }

  listTopics(): Promise<string[]> {
    return this.admin.listTopics();
  }

  async createTopics(
    topics: readonly { topic: string; partitions: number; replicationFactor?: number }[],
  ): Promise<void> {
    const existing = new Set(await this.admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length === 0) return;
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((t) => ({
        topic: t.topic,
        numPartitions: t.partitions,
        replicationFactor: t.replicationFactor,
      })),
    });
  }

  async deleteTopics(topics: readonly string[]): Promise<void> {
    if (topics.length > 0) await this.admin.deleteTopics({ topics: [...topics] });
  }

  async topicWatermarks(topic: string): Promise<{ partition: number; low: string; high: string }[]> {
    const offsets = await this.admin.fetchTopicOffsets(topic);
    return offsets.map((o) => ({ partition: o.partition, low: o.low, high: o.high }));
  }

  async groupOffsets(groupId: string, topics: readonly string[]): Promise<{ topic: string; partition: number; offset: string }[]> {
    const entries = await this.admin.fetchOffsets({ groupId, topics: [...topics] });
    return entries.flatMap((e) => e.partitions.map((p) => ({ topic: e.topic, partition: p.partition, offset: p.offset })));
  }

  async describeGroup(groupId: string): Promise<{ state: string; members: number }> {
    const [group] = (await this.admin.describeGroups([groupId])).groups;
    return { state: group?.state ?? 'Dead', members: group?.members.length ?? 0 };
  }

  /**
   * What kafkajs's `admin.resetOffsets` does — join the group with a paused consumer, seek, let
   * one fetch commit the seeks, leave — but with a short fetch wait: it takes ~5 s otherwise.
   */
  async resetGroupOffsets(groupId: string, topic: string, to: 'earliest' | 'latest'): Promise<void> {
    const [group] = (await this.admin.describeGroups([groupId])).groups;
    if (group && !['Empty', 'Dead'].includes(group.state)) {
      throw new Error(
        `consumer group ${groupId} must have no running members to reset its offsets (state ${group.state})`,
      );
    }
    const marks = await this.admin.fetchTopicOffsets(topic);
    const consumer = this.kafka.consumer({
      groupId,
      maxWaitTimeInMs: 100,
      sessionTimeout: 10000,
      heartbeatInterval: 1000,
    });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer.on(consumer.events.FETCH, () => resolve());
        consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
        consumer.run({ eachBatchAutoResolve: false, eachBatch: async () => undefined }).catch(reject);
        consumer.pause([{ topic }]);
        for (const m of marks)
          consumer.seek({ topic, partition: m.partition, offset: to === 'earliest' ? m.low : m.high });
      });
    } finally {
      await consumer.disconnect();
    }
  }
}
