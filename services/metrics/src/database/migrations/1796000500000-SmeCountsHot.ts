import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The SME count rows (`financing_smes`) are updated by every fold that moves a borrower — 48 rows
 * for a new SME borrower — and none of those updates was a HOT update: the bucket index carried
 * `n`, the column every update changes, so each one wrote a new entry into both indexes and left
 * the old ones for vacuum. Without `n` in that index, and with room left on each page
 * (fillfactor 80), PostgreSQL updates the row in place on its page and touches no index: the
 * loans fold's write statement went from 2.0–2.3 ms to 1.0 ms at p50 (p90 6.3–7.6 → 2.5–2.9 ms;
 * docs/benchmarks.md). Reports still find a bucket's rows through this index and read `n` from the
 * row.
 *
 * Pages written before this migration are full; their rows become HOT-updatable as vacuum frees
 * room, or at once after `VACUUM (FULL) metrics.financing_smes` (locks the table while it runs).
 */
export class SmeCountsHot1796000500000 implements MigrationInterface {
  name = 'SmeCountsHot1796000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('create index financing_smes_bucket_first_idx on financing_smes (period, day, bank, region) include (first_day)');
    await q.query('drop index financing_smes_bucket_idx');
    await q.query('alter table financing_smes set (fillfactor = 80)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table financing_smes reset (fillfactor)');
    await q.query('create index financing_smes_bucket_idx on financing_smes (period, day, bank, region) include (first_day, n)');
    await q.query('drop index financing_smes_bucket_first_idx');
  }
}
