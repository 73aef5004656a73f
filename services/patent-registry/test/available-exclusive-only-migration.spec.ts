/**
 * The AvailableExclusiveOnly migration on a schema that already holds licensed listings: the days
 * the `available` filter excludes (`exclusive_days`) become those of the exclusive licences alone,
 * as the service now writes them; `down` gives back the days of the exclusive and sole licences.
 */
import { randomBytes } from 'node:crypto';
import { serviceDataSource } from '@ipfin/http';
import type { DataSource } from 'typeorm';
import { MIGRATIONS } from '../src/database/data-source';
import { rankKey } from '../src/patents/patent-search';
import { invention } from './support';

let ds: DataSource;
const schema = `patents_avail_${randomBytes(4).toString('hex')}`;
const MIGRATION = 'AvailableExclusiveOnly1797000500000';

afterAll(async () => {
  if (ds?.isInitialized) {
    await ds.query(`drop schema if exists "${schema}" cascade`);
    await ds.destroy();
  }
});

const licence = (kind: string, startsOn: string, endsOn: string, n: number) => ({
  id: `L${n}`, kind, licensee: { uscc: '91350600MA2Y000001', name: '漳州光电', regionCode: '350602' },
  royalty: '1000.00', contractDate: startsOn, startsOn, endsOn, viaOpenLicence: false,
});

/** Patent → its licences and the `exclusive_days` the previous release wrote (exclusive and sole). */
const PATENTS: { number: string; licences: ReturnType<typeof licence>[]; before: string; after: string }[] = [
  {
    number: invention(11),
    licences: [licence('exclusive', '2024-01-01', '2024-12-31', 1), licence('sole', '2025-01-01', '2025-06-30', 2)],
    before: '{[2024-01-01,2025-07-01)}',
    after: '{[2024-01-01,2025-01-01)}',
  },
  { number: invention(12), licences: [licence('sole', '2024-03-01', '2026-02-28', 1)], before: '{[2024-03-01,2026-03-01)}', after: '{}' },
  {
    number: invention(13),
    licences: [licence('ordinary', '2024-01-01', '2026-12-31', 1), licence('sole', '2024-05-01', '2024-05-31', 2), licence('exclusive', '2027-01-01', '2027-12-31', 3)],
    before: '{[2024-05-01,2024-06-01),[2027-01-01,2028-01-01)}',
    after: '{[2027-01-01,2028-01-01)}',
  },
  { number: invention(14), licences: [licence('exclusive', '2024-01-01', '2024-12-31', 1)], before: '{[2024-01-01,2025-01-01)}', after: '{[2024-01-01,2025-01-01)}' },
  { number: invention(15), licences: [licence('ordinary', '2024-01-01', '2024-12-31', 1)], before: '{}', after: '{}' },
];

const days = async (): Promise<Record<string, string>> =>
  Object.fromEntries((await ds.query('select number, exclusive_days::text as days from patents order by number')).map((r: { number: string; days: string }) => [r.number, r.days]));

it('restates exclusive_days to the exclusive licences alone, and back', async () => {
  const before = MIGRATIONS.filter((m) => m.name !== MIGRATION);
  expect(before).toHaveLength(MIGRATIONS.length - 1);
  ds = serviceDataSource('patent-registry', before, { url: process.env.DATABASE_URL!, schema });
  await ds.initialize();
  await ds.query(`create schema "${schema}"`);
  await ds.runMigrations({ transaction: 'each' });
  for (const p of PATENTS) {
    await ds.query(
      `insert into patents (number, kind, status, title, owner_region, listed_on, updated_on, state, search_title, title_grams, search_text, search_grams, rank_key, exclusive_days)
       values ($1, 'invention', 'valid', 't', '350600', '2024-01-01', '2024-01-01', $2::jsonb, 't', '{}', 't', '{}', $3, $4::datemultirange)`,
      [p.number, JSON.stringify({ licences: p.licences, transfers: [] }), rankKey(p.number), p.before],
    );
  }
  expect(await days()).toEqual(Object.fromEntries(PATENTS.map((p) => [p.number, p.before])));
  await ds.destroy();

  ds = serviceDataSource('patent-registry', MIGRATIONS, { url: process.env.DATABASE_URL!, schema });
  await ds.initialize();
  expect((await ds.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual([MIGRATION]);
  expect(await days()).toEqual(Object.fromEntries(PATENTS.map((p) => [p.number, p.after])));

  await ds.undoLastMigration({ transaction: 'each' });
  expect(await days()).toEqual(Object.fromEntries(PATENTS.map((p) => [p.number, p.before])));
});
