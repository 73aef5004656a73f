import type { DataSource } from 'typeorm';
import { serviceDataSource } from '@ipfin/http';
import { Init1763780100000 } from './migrations/1763780100000-Init';
import { FundsClaimsLedger1795319091248 } from './migrations/1795319091248-FundsClaimsLedger';

export const MIGRATIONS = [Init1763780100000, FundsClaimsLedger1795319091248];

/** The risk_compensation schema's data source; `tools/migrate.ts` runs its migrations, the service never does. */
export function createDataSource(opts: { url: string; schema: string }): DataSource {
  return serviceDataSource('risk-compensation', MIGRATIONS, opts);
}
