import { MigrationInterface, QueryRunner } from 'typeorm';

const KEY = 'region, period, day, bank, first_day';

/**
 * A `shard` in the key of the exact SME count rows, as the facts got in 1796000200000: each
 * consumer partition moves its own row of a count key (shard = the partition), so batches of
 * different partitions never wait on one another for the day's prefecture, province and nation
 * count rows. Every read sums `n` over its rows already, so it sums the shards. Rows already
 * there become shard 0.
 */
export class SmeShards1796000300000 implements MigrationInterface {
  name = 'SmeShards1796000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table financing_smes add column shard smallint not null default 0');
    await q.query(`alter table financing_smes drop constraint financing_smes_pkey, add primary key (${KEY}, shard)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`create temporary table merged on commit drop as
      select ${KEY}, sum(n)::int as n from financing_smes group by ${KEY} having sum(n) <> 0`);
    await q.query('delete from financing_smes');
    await q.query(`alter table financing_smes drop constraint financing_smes_pkey, drop column shard, add primary key (${KEY})`);
    await q.query(`insert into financing_smes (${KEY}, n) select * from merged`);
    await q.query('drop table merged');
  }
}
