import type { DataSource } from 'typeorm';
import { serviceDataSource } from '@ipfin/http';
import { Init1763780000000 } from './migrations/1763780000000-Init';

export const MIGRATIONS = [Init1763780000000];

/** The pledge_loans schema's data source; `tools/migrate.ts` runs its migrations, the service never does. */
export function createDataSource(opts: { url: string; schema: string }): DataSource {
  return serviceDataSource('pledge-loans', MIGRATIONS, opts);
}
