/**
 * A service is ready only once every migration it is built with is applied to its schema (the
 * Kubernetes Job or compose's `migrate` runs them; pods must not take traffic before).
 */
import { randomBytes } from 'node:crypto';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { migrationsReadinessCheck } from '../src/health/readiness-check';

class CreateNotes1700000000000 implements MigrationInterface {
  name = 'CreateNotes1700000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query('create table notes (id int primary key)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table notes');
  }
}

class AddText1700000000001 implements MigrationInterface {
  name = 'AddText1700000000001';
  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table notes add column text text');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table notes drop column text');
  }
}

const schema = `http_migr_${randomBytes(4).toString('hex')}`;
let admin: DataSource;
let service: DataSource;

beforeAll(async () => {
  const url = process.env.DATABASE_URL;
  if (url === undefined) throw new Error('DATABASE_URL is not set: run with -c jest.integration.config.js');
  admin = await new DataSource({ type: 'postgres', url }).initialize();
  await admin.query(`create schema ${schema}`);
  service = await new DataSource({
    type: 'postgres', url, schema, migrations: [CreateNotes1700000000000, AddText1700000000001], migrationsTableName: 'migrations',
    extra: { options: `-c search_path=${schema}` },
  }).initialize();
});

afterAll(async () => {
  await service?.destroy();
  await admin?.query(`drop schema if exists ${schema} cascade`);
  await admin?.destroy();
});

it('is down until every migration is applied, naming what is missing, then up', async () => {
  const check = migrationsReadinessCheck(service);
  expect(check.name).toBe('migrations');
  // No migrations table yet: the schema was never migrated.
  await expect(check.check()).rejects.toThrow();
  await service.query('create table migrations (id serial primary key, "timestamp" bigint not null, name varchar not null)');
  await expect(check.check()).rejects.toThrow('2 migration(s) not applied yet (CreateNotes1700000000000, AddText1700000000001): run npm run migrate');
  await service.query(`insert into migrations ("timestamp", name) values (1700000000000, 'CreateNotes1700000000000')`);
  await expect(check.check()).rejects.toThrow('1 migration(s) not applied yet (AddText1700000000001)');
  await service.query('drop table migrations');
  await service.runMigrations();
  await expect(check.check()).resolves.toBeUndefined();
});
