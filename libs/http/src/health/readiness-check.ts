import type { InjectionToken } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { pendingMigrations } from '@ipfin/messaging';

/**
 * One dependency the service needs to serve traffic. `check` reports down by throwing, returning
 * `false`, or returning `{ ok: false, detail }` (the shape of @ipfin/messaging's `MessagingHealth.check()`).
 */
export interface ReadinessCheck {
  readonly name: string;
  check(): unknown;
}

/** A check built from providers of the app: `{ inject: [DataSource], useFactory: (ds) => databaseReadinessCheck(ds) }`. */
export interface ReadinessCheckFactory {
  inject?: InjectionToken[];
  useFactory: (...deps: never[]) => ReadinessCheck | Promise<ReadinessCheck>;
}

/** A check object, a factory, or the token of a provider that is a `ReadinessCheck`. */
export type ReadinessCheckSource = ReadinessCheck | ReadinessCheckFactory | InjectionToken;

export function isReadinessCheck(value: unknown): value is ReadinessCheck {
  return typeof value === 'object' && value !== null && typeof (value as ReadinessCheck).name === 'string' && typeof (value as ReadinessCheck).check === 'function';
}

export function isReadinessCheckFactory(value: unknown): value is ReadinessCheckFactory {
  return typeof value === 'object' && value !== null && typeof (value as ReadinessCheckFactory).useFactory === 'function';
}

/** PostgreSQL answers `select 1` through the service's DataSource. */
export function databaseReadinessCheck(dataSource: DataSource, name = 'postgres'): ReadinessCheck {
  return {
    name,
    check: async () => {
      if (!dataSource.isInitialized) throw new Error('DataSource is not initialised');
      await dataSource.query('select 1');
    },
  };
}

/**
 * Every migration the service is built with is applied to its schema (`npm run migrate`, a
 * Kubernetes Job, compose's `migrate`): until then the service is not ready, and its consumers
 * wait too (`EventConsumers`: they would dead-letter events whose tables or columns are not there
 * yet). Once all are in, it stays up without asking again (migrations are never taken back under
 * a running service).
 */
export function migrationsReadinessCheck(dataSource: DataSource, name = 'migrations'): ReadinessCheck {
  let applied = false;
  return {
    name,
    check: async () => {
      if (applied) return;
      const pending = await pendingMigrations(dataSource);
      if (pending.length > 0) {
        throw new Error(`${pending.length} migration(s) not applied yet (${pending.slice(0, 3).join(', ')}${pending.length > 3 ? ', …' : ''}): run npm run migrate`);
      }
      applied = true;
    },
  };
}

