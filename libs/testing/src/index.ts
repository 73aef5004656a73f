// @ipfin/testing: what integration and system tests share.
export * from './infra';
export * from './database/test-schema';
export * from './prng';
export * from './messaging/dead-letter-kit';
export * from './commands/store-command';
