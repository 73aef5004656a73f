/**
 * Migration 1796000600000-RollUpsBankRegionIndex: the monthly and yearly roll-ups get a
 * (bank, region, day) index for reports grouped by region, and the folds' upserts of those rows
 * still update them in place (HOT) — the index holds no column an upsert changes. The yearly sums
 * (1797000200000-YearlySums) have the same index, and the same holds for them.
 */
import { serviceDataSource } from '@ipfin/http';
import { migratedTestSchema, type TestSchema } from '@ipfin/testing';
import { MIGRATIONS } from '../src/database/data-source';

let db: TestSchema;

beforeAll(async () => {
  db = await migratedTestSchema((opts) => serviceDataSource('metrics', MIGRATIONS, opts), 'metrics_bank_region');
});

afterAll(async () => {
  await db?.drop();
});

const upsert = (table: string): string => table === 'financing_yearly_sums'
  ? `insert into ${table} as t (day, region, bank, loans, inclusive_loans, contracted_fen, disbursed_fen, repaid_fen, loss_fen, defaults, patent_fen, trademark_fen, shard)
     values ('2026-01-01', '350603', '', 1, 1, 100000, 100000, 0, 0, 0, 100000, 0, 0)
     on conflict (region, day, bank, shard) do update set
       loans = t.loans + excluded.loans, contracted_fen = t.contracted_fen + excluded.contracted_fen,
       disbursed_fen = t.disbursed_fen + excluded.disbursed_fen, patent_fen = t.patent_fen + excluded.patent_fen`
  : `insert into ${table} as t
    (day, region, bank, right_kind, borrower_size, loans, inclusive_loans, contracted_fen, disbursed_fen, repaid_fen, loss_fen, defaults, shard)
  values ('2026-01-01', '350602', '', 'patent', 'small', 1, 1, 100000, 100000, 0, 0, 0, 0)
  on conflict (region, day, bank, right_kind, borrower_size, shard) do update set
    loans = t.loans + excluded.loans, contracted_fen = t.contracted_fen + excluded.contracted_fen,
    disbursed_fen = t.disbursed_fen + excluded.disbursed_fen`;

// The yearly rows' trigger writes the sums too (YearlySumsTrigger): the sums' own upserts use another key.
const regionOf = (table: string): string => (table === 'financing_yearly_sums' ? '350603' : '350602');

describe.each(['financing_monthly', 'financing_yearly', 'financing_yearly_sums'])('%s', (table) => {
  it('has the (bank, region, day) index, and the fold upserts still update in place (HOT)', async () => {
    const [index] = await db.dataSource.query<{ indexdef: string }[]>(
      `select indexdef from pg_indexes where schemaname = $1 and indexname = $2`, [db.schema, `${table}_bank_region_idx`]);
    expect(index?.indexdef.replace(`${db.schema}.`, '')).toBe(`CREATE INDEX ${table}_bank_region_idx ON ${table} USING btree (bank, region, day)`);
    const counts = await db.dataSource.transaction(async (m) => {
      // The backend's counts not yet flushed include earlier transactions' (the yearly rows' trigger
      // updated the sums in the test before): the difference is this transaction's.
      const read = async (): Promise<{ updated: number; hot: number }> => {
        const [row] = await m.query<{ updated: number; hot: number }[]>(
          `select pg_stat_get_xact_tuples_updated('${table}'::regclass)::int as updated,
                  pg_stat_get_xact_tuples_hot_updated('${table}'::regclass)::int as hot`,
        );
        return row;
      };
      const before = await read();
      for (let i = 0; i < 5; i++) await m.query(upsert(table));
      const after = await read();
      return { updated: after.updated - before.updated, hot: after.hot - before.hot };
    });
    expect(counts).toEqual({ updated: 4, hot: 4 });
    const [row] = await db.dataSource.query<{ loans: number; contracted: string }[]>(
      `select loans, contracted_fen::text as contracted from ${table} where bank = '' and region = $1 and day = '2026-01-01'`, [regionOf(table)]);
    expect(row).toEqual({ loans: 5, contracted: '500000' });
  });
});
