import { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['financing_daily', 'financing_monthly', 'financing_yearly'];

/**
 * A `shard` in the key of the financing facts: each consumer partition writes its own row of a
 * key (shard = the partition), so batches of different partitions folding at once never wait on
 * one row — the prefecture, province and nation roll-ups of a day were such shared rows. Reads
 * sum the facts anyway, so they sum the shards too. Rows already there become shard 0.
 */
export class FactShards1796000200000 implements MigrationInterface {
  name = 'FactShards1796000200000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await q.query(`alter table ${table} add column shard smallint not null default 0`);
      await q.query(`alter table ${table} drop constraint ${table}_pkey, add primary key (region, day, bank, right_kind, borrower_size, shard)`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      const columns = 'region, day, bank, right_kind, borrower_size';
      await q.query(`create temporary table merged on commit drop as
        select ${columns}, sum(loans)::int as loans, sum(inclusive_loans)::int as inclusive_loans, sum(contracted_fen) as contracted_fen,
               sum(disbursed_fen) as disbursed_fen, sum(repaid_fen) as repaid_fen, sum(loss_fen) as loss_fen, sum(defaults)::int as defaults
          from ${table} group by ${columns}`);
      await q.query(`delete from ${table}`);
      await q.query(`alter table ${table} drop constraint ${table}_pkey, drop column shard, add primary key (${columns})`);
      await q.query(`insert into ${table} (${columns}, loans, inclusive_loans, contracted_fen, disbursed_fen, repaid_fen, loss_fen, defaults)
        select * from merged`);
      await q.query('drop table merged');
    }
  }
}
