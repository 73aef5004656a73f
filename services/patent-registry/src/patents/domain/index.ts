/**
 * The patent registry's pure domain: rules over plain data, no database, Nest or Kafka. The service
 * loads the patents involved (row-locked), calls one of these functions inside a transaction, stores
 * the returned state and puts the returned events in the outbox.
 */
export * from './patent-vocabulary';
export * from './patent-number-facts';
export * from './patent-problems';
export * from './patent-state';
export * from './patent-events';
export * from './listing';
export * from './transfer';
export * from './licence';
export * from './open-licence';
export * from './pledge-index';
export * from './search/search-text';
export * from './search/search-query';
export * from './search/search-ranking';
