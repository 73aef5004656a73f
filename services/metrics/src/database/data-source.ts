import type { DataSource } from 'typeorm';
import { serviceDataSource } from '@ipfin/http';
import { Init1763780400000 } from './migrations/1763780400000-Init';

export const MIGRATIONS = [Init1763780400000];

/** The metrics schema's data source; `tools/migrate.ts` runs its migrations, the service never does. */
export function createDataSource(opts: { url: string; schema: string }): DataSource {
  return serviceDataSource('metrics', MIGRATIONS, opts);
}
