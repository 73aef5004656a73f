/**
 * The pledge-loan domain: pure functions over plain data (no Nest, no database, no Kafka).
 * The service loads the loans a batch names, calls `applyBatch`, and writes what it returns.
 */
export * from './loan-event';
export * from './loan-problems';
export * from './loan-state';
export * from './loan';
export * from './loan-messages';
export * from './loan-batch';
