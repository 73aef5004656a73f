import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';

export interface TestSchema {
  schema: string;
  /** Connected, migrated, on the superuser URL of the test database. */
  dataSource: DataSource;
  drop(): Promise<void>;
}

/**
 * A fresh schema with a service's migrations applied, on the real PostgreSQL of the test run
 * (`DATABASE_URL`), so integration tests never share state. Drop it in `afterAll`.
 */
export async function migratedTestSchema(
  createDataSource: (opts: { url: string; schema: string }) => DataSource,
  prefix: string,
): Promise<TestSchema> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run integration tests through jest.integration.config.js');
  const schema = `${prefix}_${randomBytes(4).toString('hex')}`;
  const dataSource = createDataSource({ url, schema });
  await dataSource.initialize();
  await dataSource.query(`create schema if not exists "${schema}"`);
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    schema,
    dataSource,
    drop: async () => {
      await dataSource.query(`drop schema if exists "${schema}" cascade`);
      await dataSource.destroy();
    },
  };
}
