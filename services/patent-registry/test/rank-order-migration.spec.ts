/**
 * The RankOrder migration on a schema that already holds listings: every row gets the rank key the
 * service computes, and the search's rank index exists.
 */
import { randomBytes } from 'node:crypto';
import { serviceDataSource } from '@ipfin/http';
import type { DataSource } from 'typeorm';
import { MIGRATIONS } from '../src/database/data-source';
import { rankKey } from '../src/patents/patent-search';
import { invention, utilityModel } from './support';

let ds: DataSource;
const schema = `patents_rank_${randomBytes(4).toString('hex')}`;

afterAll(async () => {
  if (ds?.isInitialized) {
    await ds.query(`drop schema if exists "${schema}" cascade`);
    await ds.destroy();
  }
});

it('gives existing listings the rank key the service computes', async () => {
  const before = MIGRATIONS.filter((m) => m.name !== 'RankOrder1795322600000');
  expect(before).toHaveLength(MIGRATIONS.length - 1);
  ds = serviceDataSource('patent-registry', before, { url: process.env.DATABASE_URL!, schema });
  await ds.initialize();
  await ds.query(`create schema "${schema}"`);
  await ds.runMigrations({ transaction: 'each' });
  const numbers = [invention(1), utilityModel(2, 2021), invention(1_234_567, 2019)];
  await ds.query(
    `insert into patents (number, kind, status, title, owner_region, listed_on, updated_on, state, search_title, title_grams, search_text, search_grams)
     select n, 'invention', 'valid', 't', '350600', '2024-10-01', '2024-10-01', '{}', 't', '{}', 't', '{}' from unnest($1::text[]) as n`,
    [numbers],
  );
  await ds.destroy();

  ds = serviceDataSource('patent-registry', MIGRATIONS, { url: process.env.DATABASE_URL!, schema });
  await ds.initialize();
  expect((await ds.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual(['RankOrder1795322600000']);
  const rows: { number: string; rank_key: string }[] = await ds.query('select number, rank_key from patents order by number');
  expect(rows).toEqual([...numbers].sort().map((number) => ({ number, rank_key: rankKey(number) })));
  const indexes: { indexname: string }[] = await ds.query('select indexname from pg_indexes where schemaname = $1', [schema]);
  expect(indexes.map((i) => i.indexname)).toEqual(expect.arrayContaining(['patents_pkey', 'patents_rank_idx']));
});
