import { MigrationInterface, QueryRunner } from 'typeorm';

/** The roll-up keys of a 6-digit region column, as `rollUpRegions` (src/common/range.ts) makes them. */
const ROLL_UP_KEYS = `unnest(array['P' || left(region, 4), 'V' || left(region, 2), 'N'])`;

/**
 * Reads of the generic facts in O(rows of the answer) (issue 7 speed target):
 * - every counter and member row also under its region's roll-up keys (`P3506` prefecture,
 *   `V35` province, `N` nation), so a prefecture, province or nation query reads one key;
 * - yearly roll-ups `counter_yearly`, `member_yearly` (`day` = 1 January), so stocks from the
 *   beginning read a row per year;
 * - `member_count_monthly`, `member_count_yearly`: how many members each set has (per measure,
 *   region key, month / year, dim), kept by the fold as members enter and leave, so a distinct
 *   count over a whole month or year is one row per dim.
 * Built here from the rows already folded (which are all under 6-digit codes); the fold keeps
 * them from then on.
 */
export class CounterRollUps1796000100000 implements MigrationInterface {
  name = 'CounterRollUps1796000100000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['counter_daily', 'counter_monthly']) {
      await q.query(`
        insert into ${table} (measure, region, day, dim, n, amount_fen)
        select measure, k.region, day, dim, sum(n), sum(amount_fen)
          from ${table}, ${ROLL_UP_KEYS} as k(region)
         where ${table}.region ~ '^[0-9]'
         group by 1, 2, 3, 4 order by 1, 2, 3, 4`);
    }
    for (const table of ['member_daily', 'member_monthly']) {
      await q.query(`
        insert into ${table} (measure, region, day, dim, member, n)
        select measure, k.region, day, dim, member, sum(n)
          from ${table}, ${ROLL_UP_KEYS} as k(region)
         where ${table}.region ~ '^[0-9]' and n > 0
         group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5`);
    }
    await q.query(`
      create table counter_yearly (
        measure text not null, region text not null, day date not null, dim text not null default '',
        n bigint not null default 0, amount_fen bigint not null default 0,
        primary key (measure, region, day, dim))`);
    await q.query(`
      insert into counter_yearly (measure, region, day, dim, n, amount_fen)
      select measure, region, date_trunc('year', day)::date, dim, sum(n), sum(amount_fen)
        from counter_monthly group by 1, 2, 3, 4 order by 1, 2, 3, 4`);
    await q.query(`
      create table member_yearly (
        measure text not null, region text not null, day date not null, dim text not null default '',
        member text not null, n int not null,
        primary key (measure, region, day, dim, member))`);
    await q.query(`
      insert into member_yearly (measure, region, day, dim, member, n)
      select measure, region, date_trunc('year', day)::date, dim, member, sum(n)
        from member_monthly where n > 0 group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5`);
    for (const [table, sets] of [['member_count_monthly', 'member_monthly'], ['member_count_yearly', 'member_yearly']]) {
      await q.query(`
        create table ${table} (
          measure text not null, region text not null, day date not null, dim text not null default '',
          n int not null,
          primary key (measure, region, day, dim))`);
      await q.query(`
        insert into ${table} (measure, region, day, dim, n)
        select measure, region, day, dim, count(*) from ${sets} where n > 0 group by 1, 2, 3, 4 order by 1, 2, 3, 4`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table member_count_yearly, member_count_monthly, member_yearly, counter_yearly');
    for (const table of ['counter_daily', 'counter_monthly', 'member_daily', 'member_monthly']) {
      await q.query(`delete from ${table} where region !~ '^[0-9]'`);
    }
  }
}
