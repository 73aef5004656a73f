import { ModuleMetadata } from '@nestjs/common';
import { ConsumerTuning } from '../core/consumer';
import { OutboxRelayOptions } from '../core/relay';

export type RelayTuning = Omit<OutboxRelayOptions, 'dataSource' | 'bus' | 'schema' | 'logger'>;

export interface MessagingModuleOptions {
  /** The service's PostgreSQL schema, holding its `outbox` and `inbox` tables. */
  schema: string;
  /** `ce_source` of the events this service writes, e.g. `/ipfin/pledge-loans`. */
  source: string;
  clientId: string;
  /** `host:port` list or the comma-separated `KAFKA_BROKERS`. */
  brokers: string | readonly string[];
  /** The outbox relay runs with the app unless `false` (a process that never writes events). */
  relay?: false | RelayTuning;
  /** Defaults for every consumer of the app; a handler's own `tuning` wins. */
  consumer?: ConsumerTuning;
  /** Check outgoing `data` against the contracts catalogue (default true). */
  validateOutbox?: boolean;
  /** While the schema lacks migrations of the data source, how often the consumers look again (default 2000 ms). */
  migrationsPollMs?: number;
}

export interface MessagingModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: (string | symbol | (abstract new (...args: never[]) => unknown))[];
  useFactory: (...args: never[]) => MessagingModuleOptions | Promise<MessagingModuleOptions>;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
/** The `MessageBus` (kafkajs behind it); inject it for admin work such as `consumerLag`. */
export const MESSAGE_BUS = Symbol('MESSAGE_BUS');
export const EVENT_HANDLER_TYPES = Symbol('EVENT_HANDLER_TYPES');
