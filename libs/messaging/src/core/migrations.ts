import type { DataSource } from 'typeorm';

/**
 * The migrations `dataSource` is built with that its schema has not applied yet, in order (all of
 * them while its migrations table does not exist). A service's consumers start only once this is
 * empty (`EventConsumers`), and its readiness waits for the same.
 */
export async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  const expected = dataSource.migrations.map((m) => m.name ?? m.constructor.name);
  if (expected.length === 0) return [];
  const schema = (dataSource.options as { schema?: string }).schema;
  const table = `${schema ? `"${schema}".` : ''}"${dataSource.options.migrationsTableName ?? 'migrations'}"`;
  let rows: { name: string }[];
  try {
    rows = await dataSource.query(`select name from ${table}`);
  } catch (error: unknown) {
    if ((error as { code?: string; driverError?: { code?: string } }).driverError?.code === '42P01') return expected;
    throw error;
  }
  const done = new Set(rows.map((r) => r.name));
  return expected.filter((m) => !done.has(m));
}
