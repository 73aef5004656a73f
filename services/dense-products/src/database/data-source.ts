import type { DataSource } from 'typeorm';
import { serviceDataSource } from '@ipfin/http';
import { Init1763780300000 } from './migrations/1763780300000-Init';
import { ProductsRewardsOwnership1795318900000 } from './migrations/1795318900000-ProductsRewardsOwnership';

export const MIGRATIONS = [Init1763780300000, ProductsRewardsOwnership1795318900000];

/** The dense_products schema's data source; `tools/migrate.ts` runs its migrations, the service never does. */
export function createDataSource(opts: { url: string; schema: string }): DataSource {
  return serviceDataSource('dense-products', MIGRATIONS, opts);
}
