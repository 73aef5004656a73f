import type { InjectionToken } from '@nestjs/common';
import type { DataSource } from 'typeorm';

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
