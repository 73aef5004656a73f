// Framework-free core
export * from './core/bus';
export * from './core/logger';
export * from './core/schema';
export * from './core/cloudevents';
export * from './core/dead-letter';
export * from './core/outbox';
export * from './core/trace-context';
export * from './core/relay';
export * from './core/inbox';
export * from './core/prepared';
export * from './core/transaction';
export * from './core/consumer';
export * from './core/consumer-admin';
export * from './core/replay';
export * from './core/migrations';
export { backoffMs } from './core/timing';
export { chunk, chunkBySize, firstOfEachId } from './core/batching';
// The kafkajs implementation of the bus
export { createKafkaBus, kafkaLogCreator, parseBrokers } from './kafka/kafka-bus';
export type { KafkaBusOptions } from './kafka/kafka-bus';
// Nest wrapper
export * from './nest/messaging.module';
export * from './nest/messaging.options';
export * from './nest/outbox';
export * from './nest/outbox-relay.service';
export * from './nest/event-batch-handler';
export * from './nest/event-consumers.service';
export * from './nest/messaging-health';
export * from './nest/messaging-metrics';
