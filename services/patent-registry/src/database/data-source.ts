import { DataSource } from 'typeorm';
import { Init1763780200000 } from './migrations/1763780200000-Init';

export const MIGRATIONS = [Init1763780200000];

/** The patent_registry schema's data source; `tools/migrate.ts` runs its migrations, the service never does. */
export function createDataSource(opts: { url: string; schema: string }): DataSource {
  return new DataSource({
    type: 'postgres', url: opts.url, schema: opts.schema, migrations: MIGRATIONS, migrationsTableName: 'migrations',
    synchronize: false, migrationsRun: false, extra: { max: 5, application_name: 'ipfin-patent-registry-migrate' },
  });
}
