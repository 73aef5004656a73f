import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The monthly and yearly financing roll-ups are keyed (region, day, bank, …): a report on one region
 * key reads a tight range of it. A report grouped by region reads a range of 6-digit own codes for
 * the all-banks rows (`bank = ''`) — and through that key it walked every bank's entries of every
 * county to keep the few of `''` (province by region, 2025: 2 625 rows of the stock came from
 * ≈ 30 000 index entries, 2.4 ms). Keyed (bank, region, day), the same rows are one range: the
 * statement went from 4.2–5.0 to 1.9 ms (docs/benchmarks.md). Only key columns that an upsert
 * never changes, so the folds' updates stay HOT.
 */
export class RollUpsBankRegionIndex1796000600000 implements MigrationInterface {
  name = 'RollUpsBankRegionIndex1796000600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('create index financing_monthly_bank_region_idx on financing_monthly (bank, region, day)');
    await q.query('create index financing_yearly_bank_region_idx on financing_yearly (bank, region, day)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop index financing_yearly_bank_region_idx');
    await q.query('drop index financing_monthly_bank_region_idx');
  }
}
