/**
 * The explicit migration step (`npm run migrate`): gives each service its own role and schema in
 * the one database, then runs that service's TypeORM migrations as that role. Services never
 * migrate on boot, so many replicas can start at once.
 */
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { LOCAL_DB_PASSWORD } from './local-env';
import { ServiceSpec, SERVICES, serviceRole } from './services';
import { EXTENSIONS_SCHEMA } from '../services/patent-registry/src/database/migrations/1795319100000-PatentsAndPledges';

type DataSourceFactory = (opts: { url: string; schema: string }) => DataSource;

function loadDataSourceFactory(spec: ServiceSpec): DataSourceFactory {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(`../services/${spec.name}/src/database/data-source`) as { createDataSource: DataSourceFactory };
  return mod.createDataSource;
}

/** The service's own connection string: same server and database, the service's role. */
export function serviceDatabaseUrl(adminUrl: string, spec: ServiceSpec): string {
  const url = new URL(adminUrl);
  url.username = serviceRole(spec);
  url.password = servicePassword(spec);
  return url.toString();
}

/** `IPFIN_DB_PASSWORD_<SCHEMA>` (e.g. `IPFIN_DB_PASSWORD_PLEDGE_LOANS`), else `IPFIN_DB_PASSWORD`, else the local default. */
export function servicePassword(spec: ServiceSpec): string {
  return process.env[`IPFIN_DB_PASSWORD_${spec.schema.toUpperCase()}`] ?? process.env.IPFIN_DB_PASSWORD ?? LOCAL_DB_PASSWORD;
}

const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;
const literal = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/**
 * Creates the service's role and schema if missing (idempotent). Needs a role that may create roles.
 * The role gets CONNECT on the database and owns its schema — nothing else: no CREATE on the
 * database (taken back from roles provisioned before), so it cannot create other schemas.
 */
export async function provisionService(adminUrl: string, spec: ServiceSpec, log: (line: string) => void = () => undefined): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const role = serviceRole(spec);
    const password = servicePassword(spec);
    // Role creation races when two migrators start together; an advisory lock serialises them.
    await client.query('select pg_advisory_lock(hashtext($1))', ['ipfin-provision']);
    const exists = await client.query('select 1 from pg_roles where rolname = $1', [role]);
    if (exists.rowCount === 0) await client.query(`create role ${ident(role)} login password ${literal(password)}`);
    await client.query(`create schema if not exists ${ident(spec.schema)} authorization ${ident(role)}`);
    await client.query(`alter role ${ident(role)} set search_path = ${ident(spec.schema)}`);
    const db = (await client.query<{ db: string }>('select current_database() as db')).rows[0].db;
    await client.query(`grant connect on database ${ident(db)} to ${ident(role)}`);
    await client.query(`revoke create on database ${ident(db)} from ${ident(role)}`);
    await installSharedExtensions(client, log);
    await client.query('select pg_advisory_unlock(hashtext($1))', ['ipfin-provision']);
  } finally {
    await client.end();
  }
}

/**
 * pg_trgm (patent-registry's title search) in the shared `EXTENSIONS_SCHEMA`, usable by every
 * role, unless it is installed already (wherever it is, patent-registry's migration finds it).
 * Installed here, as the admin role, because the service roles may not create schemas or
 * extensions (a trusted extension needs CREATE on the database). A server without pg_trgm leaves
 * the title search on its fallback index, as before — and says so in the migration log.
 */
async function installSharedExtensions(client: Client, log: (line: string) => void): Promise<void> {
  const installed = await client.query(`select 1 from pg_extension where extname = 'pg_trgm'`);
  if (installed.rowCount !== 0) return;
  try {
    await client.query('begin');
    await client.query(`create schema if not exists ${ident(EXTENSIONS_SCHEMA)}`);
    await client.query(`create extension if not exists pg_trgm schema ${ident(EXTENSIONS_SCHEMA)}`);
    await client.query(`grant usage on schema ${ident(EXTENSIONS_SCHEMA)} to public`);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    log(`migrate: pg_trgm not installed (${(error as Error).message}); patent title search uses its fallback index`);
  }
}

export async function migrateService(adminUrl: string, spec: ServiceSpec, log: (line: string) => void = () => undefined): Promise<string[]> {
  if (process.env.IPFIN_DB_PROVISION !== 'false') await provisionService(adminUrl, spec, log);
  const dataSource = loadDataSourceFactory(spec)({ url: serviceDatabaseUrl(adminUrl, spec), schema: spec.schema });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const m of applied) log(`migrate: ${spec.name} ${m.name}`);
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}

export async function migrateAll(adminUrl: string, log: (line: string) => void = () => undefined): Promise<void> {
  for (const spec of SERVICES) await migrateService(adminUrl, spec, log);
  log(`migrate: ${SERVICES.length} schemas up to date`);
}

if (require.main === module) {
  const adminUrl = process.env.DATABASE_URL;
  const run = async (): Promise<void> => {
    if (adminUrl) return migrateAll(adminUrl, console.log);
    // No external server: migrate the local embedded one (started if needed, left as it was).
    const { startInfra } = await import('@ipfin/testing');
    const infra = await startInfra({ log: console.log });
    try {
      await migrateAll(infra.databaseUrl, console.log);
    } finally {
      await infra.stop();
    }
  };
  run().catch((err: unknown) => { console.error(err); process.exit(1); });
}
