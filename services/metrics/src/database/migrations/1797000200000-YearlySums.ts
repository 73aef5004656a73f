import { MigrationInterface, QueryRunner } from 'typeorm';

/** Fills the (empty) sums from the yearly rows. */
export const FILL_YEARLY_SUMS = `
  insert into financing_yearly_sums (day, region, bank, shard, loans, inclusive_loans, contracted_fen, disbursed_fen, repaid_fen,
                                     loss_fen, defaults, patent_fen, trademark_fen)
  select day, region, bank, shard, sum(loans), sum(inclusive_loans), sum(contracted_fen), sum(disbursed_fen), sum(repaid_fen),
         sum(loss_fen), sum(defaults), coalesce(sum(contracted_fen) filter (where right_kind = 'patent'), 0),
         coalesce(sum(contracted_fen) filter (where right_kind = 'trademark'), 0)
    from financing_yearly group by region, day, bank, shard`;

/**
 * `financing_yearly_sums`: the yearly roll-up summed over right kinds and borrower sizes, per
 * (region key, year, bank, shard), with the contracted principal of patent and of trademark
 * pledges as columns of their own. Whole years of a report not grouped by right kind or size —
 * every report's stock from the beginning, by bank, by region, the banks ranking — read one row
 * per year and bank here instead of one per right kind × size (eight) in `financing_yearly`.
 * Filled from `financing_yearly` (the same facts, so the same figures); YearlySumsTrigger keeps it.
 * The (bank, region, day) index serves groupBy=region, as on the other roll-ups.
 */
export class YearlySums1797000200000 implements MigrationInterface {
  name = 'YearlySums1797000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table financing_yearly_sums (
        day date not null, region text not null, bank text not null, shard smallint not null default 0,
        loans int not null default 0, inclusive_loans int not null default 0, contracted_fen bigint not null default 0,
        disbursed_fen bigint not null default 0, repaid_fen bigint not null default 0, loss_fen bigint not null default 0,
        defaults int not null default 0, patent_fen bigint not null default 0, trademark_fen bigint not null default 0,
        primary key (region, day, bank, shard))`);
    await q.query('create index financing_yearly_sums_bank_region_idx on financing_yearly_sums (bank, region, day)');
    await q.query(FILL_YEARLY_SUMS);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table financing_yearly_sums');
  }
}
