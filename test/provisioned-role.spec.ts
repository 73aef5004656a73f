/**
 * The role `npm run migrate` (and `npm start`) provisions for a service (tools/migrate.ts): CONNECT on the database
 * and its own schema, nothing more — no CREATE on the database, so no other schemas, and one
 * provisioned before (with CREATE) loses it. patent-registry's migrations, which need pg_trgm, all
 * run as that role, the trigram index included.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrateService, serviceDatabaseUrl } from '../tools/migrate';
import { SERVICES, serviceRole } from '../tools/services';
import { MIGRATIONS } from '../services/patent-registry/src/database/data-source';

describe('a provisioned service role', () => {
  // The stack's own server (system-setup), as its admin role.
  const adminUrl = process.env.IPFIN_TEST_DATABASE_URL as string;
  const spec = { ...SERVICES.find((s) => s.name === 'patent-registry')!, schema: `zz_role_${randomBytes(4).toString('hex')}` };
  const role = serviceRole(spec);
  let admin: Client;

  beforeAll(async () => {
    admin = new Client({ connectionString: adminUrl });
    await admin.connect();
  });
  afterAll(async () => {
    const [{ db }] = (await admin.query<{ db: string }>('select current_database() as db')).rows;
    await admin.query(`drop schema if exists "${spec.schema}" cascade`);
    await admin.query(`revoke all on database "${db}" from "${role}"`).catch(() => undefined);
    await admin.query(`drop role if exists "${role}"`);
    await admin.end();
  });

  const mayCreate = async (r = role): Promise<boolean> =>
    (await admin.query<{ ok: boolean }>(`select has_database_privilege($1, current_database(), 'CREATE') as ok`, [r])).rows[0].ok;

  it('is what every service of the running stack connects as', async () => {
    for (const s of SERVICES) expect({ role: serviceRole(s), mayCreate: await mayCreate(serviceRole(s)) }).toEqual({ role: serviceRole(s), mayCreate: false });
  });

  it('has no CREATE on the database, yet runs every migration of patent-registry, pg_trgm index included', async () => {
    expect(await migrateService(adminUrl, spec)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await mayCreate()).toBe(false);

    const trigram = await admin.query(`select indexname from pg_indexes where schemaname = $1 and indexdef like '%gin_trgm_ops%'`, [spec.schema]);
    expect(trigram.rowCount).toBeGreaterThan(0);

    const own = new Client({ connectionString: serviceDatabaseUrl(adminUrl, spec) });
    await own.connect();
    try {
      await expect(own.query(`create schema "${spec.schema}_other"`)).rejects.toThrow(/permission denied for database/);
      // Its own schema is its to use.
      await own.query(`create table "${spec.schema}".scratch (id int)`);
    } finally {
      await own.end();
    }

    // A role provisioned by an earlier version had CREATE: provisioning again takes it back.
    const [{ db }] = (await admin.query<{ db: string }>('select current_database() as db')).rows;
    await admin.query(`grant create on database "${db}" to "${role}"`);
    expect(await mayCreate()).toBe(true);
    expect(await migrateService(adminUrl, spec)).toEqual([]);
    expect(await mayCreate()).toBe(false);
  });
});
