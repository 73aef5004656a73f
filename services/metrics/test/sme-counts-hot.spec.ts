/**
 * The SME count rows are updated in place (HOT): no index holds `n`, and pages keep room for the
 * new row version (migration 1796000500000-SmeCountsHot). Counted with PostgreSQL's own
 * per-transaction statistics, so the test sees exactly its own updates. The gap cells
 * (1797000400000-SmeGaps) likewise.
 */
import { serviceDataSource } from '@ipfin/http';
import { migratedTestSchema, type TestSchema } from '@ipfin/testing';
import { MIGRATIONS } from '../src/database/data-source';

let db: TestSchema;

beforeAll(async () => {
  db = await migratedTestSchema((opts) => serviceDataSource('metrics', MIGRATIONS, opts), 'metrics_hot');
});

afterAll(async () => {
  await db?.drop();
});

const bump = `insert into financing_smes as t (region, period, day, bank, first_day, n, shard)
  values ('350602', 'M', '2026-03-01', '', '2026-03-05', 1, 0)
  on conflict (region, period, day, bank, first_day, shard) do update set n = t.n + excluded.n`;

/** Runs `upsert` five times in one transaction: how many of its row updates were, and were HOT. */
async function updatesOf(table: string, upsert: string): Promise<{ updated: string; hot: string }> {
  return db.dataSource.transaction(async (m) => {
    for (let i = 0; i < 5; i++) await m.query(upsert);
    const [row] = await m.query<{ updated: string; hot: string }[]>(
      `select pg_stat_get_xact_tuples_updated('${table}'::regclass)::text as updated,
              pg_stat_get_xact_tuples_hot_updated('${table}'::regclass)::text as hot`,
    );
    return row;
  });
}

describe('financing_smes count rows', () => {
  it('are updated without touching an index (HOT), and reports still find them', async () => {
    expect(await updatesOf('financing_smes', bump)).toEqual({ updated: '4', hot: '4' });
    const [sum] = await db.dataSource.query<{ n: number }[]>(
      `select sum(n)::int as n from financing_smes where period = 'M' and day = '2026-03-01' and bank = '' and region = '350602'`,
    );
    expect(sum.n).toBe(5);
  });

  it('keep a bucket index without n, on a table with room on its pages', async () => {
    const indexes = await db.dataSource.query<{ indexdef: string }[]>(
      `select indexdef from pg_indexes where schemaname = $1 and tablename = 'financing_smes' order by indexname`, [db.schema]);
    expect(indexes.map((i) => i.indexdef.replace(`${db.schema}.`, ''))).toEqual([
      'CREATE INDEX financing_smes_bucket_first_idx ON financing_smes USING btree (period, day, bank, region) INCLUDE (first_day)',
      'CREATE UNIQUE INDEX financing_smes_pkey ON financing_smes USING btree (region, period, day, bank, first_day, shard)',
    ]);
    const [options] = await db.dataSource.query<{ reloptions: string[] | null }[]>(
      `select c.reloptions from pg_class c join pg_namespace s on s.oid = c.relnamespace where s.nspname = $1 and c.relname = 'financing_smes'`, [db.schema]);
    expect(options.reloptions).toEqual(['fillfactor=80']);
  });
});

// The gap cells (1797000400000-SmeGaps): the cells of today's first loans move with nearly every batch.
const bumpCell = `insert into financing_sme_gaps as t (region, dim, p, d, n, shard)
  values ('V35', '', '-', 'D2026-03-05', 1, 0)
  on conflict (region, dim, p, d, shard) do update set n = t.n + excluded.n`;

describe('financing_sme_gaps cells', () => {
  it('are updated without touching an index (HOT), on a table with room on its pages', async () => {
    expect(await updatesOf('financing_sme_gaps', bumpCell)).toEqual({ updated: '4', hot: '4' });
    const [cell] = await db.dataSource.query<{ n: number }[]>(`select sum(n)::int as n from financing_sme_gaps where region = 'V35' and p = '-'`);
    expect(cell.n).toBe(5);
    const [options] = await db.dataSource.query<{ reloptions: string[] | null }[]>(
      `select c.reloptions from pg_class c join pg_namespace s on s.oid = c.relnamespace where s.nspname = $1 and c.relname = 'financing_sme_gaps'`, [db.schema]);
    expect(options.reloptions).toEqual(['fillfactor=80']);
  });
});
