/**
 * What the operators' commands against a service's stores share (`npm run metrics:rebuild`,
 * `risk:rebuild-coverage`, `registry:rebuild-pledges`): where they connect, the data source and
 * bus they open, that all of it is closed again whatever happens, and how a failure is reported.
 */
import { createKafkaBus, type MessageBus } from '@ipfin/messaging';
import type { DataSource } from 'typeorm';
import { commandConnection, type CommandConnection } from '../infra';

export interface StoreCommandContext {
  dataSource: DataSource;
  bus: MessageBus;
  log: (line: string) => void;
}

export interface StoreCommandOptions {
  /** The Kafka client id the command's consumers and admin use. */
  clientId: string;
  /** The service's data source on `databaseUrl` (not yet initialised). */
  dataSource: (databaseUrl: string) => DataSource;
  /** Progress lines, and the bus's warnings and errors (default: stdout). */
  log?: (line: string) => void;
  /** Default `commandConnection` (tests pass their own). */
  connect?: (log: (line: string) => void) => Promise<CommandConnection>;
}

/**
 * Connects as `commandConnection` does (`DATABASE_URL` and `KAFKA_BROKERS`, or the local stack,
 * started for the command if none runs), opens the data source and a bus, runs `work`, and then
 * destroys the data source and releases the connection — also when opening the data source fails,
 * so a stack started for the command does not outlive it.
 */
export async function withStoreCommand<T>(opts: StoreCommandOptions, work: (ctx: StoreCommandContext) => Promise<T>): Promise<T> {
  const log = opts.log ?? ((line: string): void => console.log(line));
  const conn = await (opts.connect ?? commandConnection)(log);
  try {
    const dataSource = opts.dataSource(conn.databaseUrl);
    await dataSource.initialize();
    try {
      const bus = createKafkaBus({ brokers: conn.kafkaBrokers, clientId: opts.clientId, logger: { log: () => undefined, warn: log, error: log } });
      return await work({ dataSource, bus, log });
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await conn.release();
  }
}

/** A positive integer from the environment variable `name` (`fallback` when unset); anything else throws naming it. */
export function positiveIntegerEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer (got ${JSON.stringify(raw)})`);
  return value;
}

/** Runs a command's `main`: a failure is printed as its message and ends the process with status 1. */
export function runCommand(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
