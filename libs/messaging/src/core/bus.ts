/**
 * The message bus as messaging needs it: a producer, a group consumer working in per-partition
 * batches, and a few admin calls. `createKafkaBus` implements it with kafkajs; nothing else in
 * the code base talks to the Kafka client directly, so the client can be swapped.
 */

export type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;
export type BusHeaders = Record<string, HeaderValue>;

/** A record to publish. Records with the same key land on the same partition, in order. */
export interface OutgoingRecord {
  topic: string;
  key: string | Buffer | null;
  value: string | Buffer | null;
  headers?: BusHeaders;
}

export interface BusProducerOptions {
  /**
   * Exactly-once per partition for the producer's own retries, acks from all in-sync replicas
   * and one request in flight, so that a retried request cannot overtake the next one.
   */
  idempotent?: boolean;
}

export interface BusProducer {
  connect(): Promise<void>;
  /**
   * Publishes the records and resolves once the broker acknowledged all of them. Records of one
   * topic and key keep their array order. Rejects if any record was not acknowledged (some may
   * have been written: callers retry and consumers deduplicate).
   */
  send(records: OutgoingRecord[]): Promise<void>;
  disconnect(): Promise<void>;
}

/** A record as consumed. Offsets are decimal strings (64-bit). */
export interface IncomingRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: BusHeaders;
  offset: string;
  timestamp: string;
}

export interface IncomingBatch {
  topic: string;
  partition: number;
  /** In offset order. */
  records: IncomingRecord[];
}

export interface BatchControl {
  /** Marks the record at `offset` (and all before it in the partition) as processed. */
  resolveOffset(offset: string): void;
  /** Commits the resolved offsets to the group now. */
  commitOffsets(): Promise<void>;
  /** Keeps the group membership alive during long work; cheap when called often. */
  heartbeat(): Promise<void>;
  /** False once `stop()` was requested: finish the current unit of work and return. */
  isRunning(): boolean;
  /** True if the partition was reassigned or seeked: drop the rest of the batch. */
  isStale(): boolean;
}

export interface BusConsumerOptions {
  groupId: string;
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** How long the broker holds an empty fetch; bounds how long `stop()` waits when idle. */
  maxWaitTimeMs?: number;
  partitionsConsumedConcurrently?: number;
}

export interface BusConsumer {
  connect(): Promise<void>;
  subscribe(options: { topics: readonly string[]; fromBeginning: boolean }): Promise<void>;
  /**
   * Starts consuming in the background; `eachBatch` is called per partition with offsets not
   * resolved automatically. Throwing from it makes the bus redeliver from the last resolved
   * offset.
   */
  run(eachBatch: (batch: IncomingBatch, control: BatchControl) => Promise<void>): Promise<void>;
  /** Lets the in-flight batch finish, commits resolved offsets, leaves the group. */
  stop(): Promise<void>;
  disconnect(): Promise<void>;
  /** Called when the consumer gave up for good (after the bus's own restarts). */
  onCrash(listener: (error: Error) => void): void;
}

export interface PartitionWatermarks {
  partition: number;
  low: string;
  high: string;
}

export interface GroupOffset {
  topic: string;
  partition: number;
  /** The next offset the group will read; `-1` if it never committed. */
  offset: string;
}

export interface TopicToCreate {
  topic: string;
  partitions: number;
  replicationFactor?: number;
}

export interface BusAdmin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  describeCluster(): Promise<{ brokers: number; controller: number | null; clusterId: string }>;
  listTopics(): Promise<string[]>;
  /** Creates the missing ones; existing topics are left as they are. */
  createTopics(topics: readonly TopicToCreate[]): Promise<void>;
  deleteTopics(topics: readonly string[]): Promise<void>;
  topicWatermarks(topic: string): Promise<PartitionWatermarks[]>;
  /** The group's committed offsets on `topics`, in one request. */
  groupOffsets(groupId: string, topics: readonly string[]): Promise<GroupOffset[]>;
  /** The group's state (`Empty`, `Stable`, `PreparingRebalance`, `Dead`, …) and how many members it has. */
  describeGroup(groupId: string): Promise<{ state: string; members: number }>;
  /** Moves a group (which must have no active members) to the start or end of a topic. */
  resetGroupOffsets(groupId: string, topic: string, to: 'earliest' | 'latest'): Promise<void>;
}

export interface MessageBus {
  producer(options?: BusProducerOptions): BusProducer;
  consumer(options: BusConsumerOptions): BusConsumer;
  admin(): BusAdmin;
}
