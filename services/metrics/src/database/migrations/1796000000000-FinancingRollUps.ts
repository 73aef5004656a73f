import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Financing reads proportional to the answer, not to the region's history (issue 7):
 *
 * - every financing fact is also kept under its roll-up region keys (`P3506`, `V35`, `N`, see
 *   `rollUpRegions`) and, for each region key, under the all-banks dimension `bank = ''`;
 * - `financing_yearly` (first day of the year) next to the monthly roll-up;
 * - the SME borrower sets are kept per region key too, keyed by member first
 *   (`region, borrower_uscc, day, …`) so the fold finds a member's rows of a year at once, with a
 *   covering `(region, day)` index for the exact `count(distinct)` fallback; the monthly set copy
 *   (as large as the daily one) is dropped;
 * - `financing_smes`: per region key, period bucket (A/Y/Q/M), bank ('' or one) and first day, how
 *   many SMEs had their first loan of the bucket on that day (see `src/financing/sme-counts.ts`).
 *
 * On a populated schema everything is derived from the existing own-code rows, exactly as the
 * fold would have written it.
 */
export class FinancingRollUps1796000000000 implements MigrationInterface {
  name = 'FinancingRollUps1796000000000';

  async up(q: QueryRunner): Promise<void> {
    const sums = `sum(loans), sum(inclusive_loans), sum(contracted_fen), sum(disbursed_fen), sum(repaid_fen), sum(loss_fen), sum(defaults)`;
    await q.query(`
      insert into financing_daily (region, day, bank, right_kind, borrower_size, loans, inclusive_loans, contracted_fen, disbursed_fen, repaid_fen, loss_fen, defaults)
      select k.region, f.day, b.bank, f.right_kind, f.borrower_size, ${sums}
        from financing_daily f
        cross join lateral (values (f.region), ('P' || left(f.region, 4)), ('V' || left(f.region, 2)), ('N')) k(region)
        cross join lateral (values (f.bank), ('')) b(bank)
       where not (k.region = f.region and b.bank = f.bank)
       group by 1, 2, 3, 4, 5`);
    await q.query('truncate financing_monthly');
    await q.query(`
      insert into financing_monthly (day, region, bank, right_kind, borrower_size, loans, inclusive_loans, contracted_fen, disbursed_fen, repaid_fen, loss_fen, defaults)
      select date_trunc('month', day)::date, region, bank, right_kind, borrower_size, ${sums}
        from financing_daily group by 1, 2, 3, 4, 5`);
    await q.query(`
      create table financing_yearly (
        day date not null, region text not null, bank text not null, right_kind text not null, borrower_size text not null,
        loans int not null default 0, inclusive_loans int not null default 0, contracted_fen bigint not null default 0,
        disbursed_fen bigint not null default 0, repaid_fen bigint not null default 0, loss_fen bigint not null default 0,
        defaults int not null default 0,
        primary key (region, day, bank, right_kind, borrower_size))`);
    await q.query(`
      insert into financing_yearly (day, region, bank, right_kind, borrower_size, loans, inclusive_loans, contracted_fen, disbursed_fen, repaid_fen, loss_fen, defaults)
      select date_trunc('year', day)::date, region, bank, right_kind, borrower_size, ${sums}
        from financing_monthly group by 1, 2, 3, 4, 5`);

    await q.query('delete from financing_borrowers where loans <= 0');
    await q.query('alter table financing_borrowers drop constraint financing_borrowers_pkey');
    await q.query(`
      insert into financing_borrowers (region, day, bank, right_kind, borrower_size, borrower_uscc, loans)
      select k.region, f.day, f.bank, f.right_kind, f.borrower_size, f.borrower_uscc, sum(f.loans)
        from financing_borrowers f
        cross join lateral (values ('P' || left(f.region, 4)), ('V' || left(f.region, 2)), ('N')) k(region)
       group by 1, 2, 3, 4, 5, 6`);
    await q.query('alter table financing_borrowers add primary key (region, borrower_uscc, day, bank, right_kind, borrower_size)');
    await q.query(`create index financing_borrowers_day_idx on financing_borrowers (region, day)
                   include (bank, right_kind, borrower_size, borrower_uscc, loans)`);
    await q.query('drop table financing_borrowers_monthly');

    await q.query(`
      create table financing_smes (
        region text not null, period text not null, day date not null, bank text not null, first_day date not null,
        n int not null,
        primary key (region, period, day, bank, first_day))`);
    // groupBy=region: one bucket's rows of all the own codes of a region, contiguous.
    await q.query('create index financing_smes_bucket_idx on financing_smes (period, day, bank, region) include (first_day, n)');
    await q.query(`
      insert into financing_smes (region, period, day, bank, first_day, n)
      select region, p.period, p.bucket, dim, case when dim = '' then day else p.bucket end, count(*)
        from (select region, dim, day, lag(day) over (partition by region, dim, uscc order by day) as prev
                from (select distinct b.region, d.dim, b.borrower_uscc as uscc, b.day
                        from financing_borrowers b cross join lateral (values (b.bank), ('')) d(dim)) s) w
        cross join lateral (values
          ('A', date '0001-01-01', prev is null),
          ('Y', date_trunc('year', day)::date, prev is null or date_trunc('year', prev) <> date_trunc('year', day)),
          ('Q', date_trunc('quarter', day)::date, prev is null or date_trunc('quarter', prev) <> date_trunc('quarter', day)),
          ('M', date_trunc('month', day)::date, prev is null or date_trunc('month', prev) <> date_trunc('month', day))
          union all
          select 'S', make_date(y, 1, 1), true from generate_series(extract(year from prev)::int + 1, extract(year from day)::int) y
           where dim = '' and prev is not null) p(period, bucket, is_first)
       where p.is_first
       group by 1, 2, 3, 4, 5`);
    await q.query(`
      insert into financing_smes (region, period, day, bank, first_day, n)
      select region, period, day, '*', day, sum(n) from financing_smes where bank = '' and period <> 'S' group by 1, 2, 3`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table financing_smes, financing_yearly');
    await q.query('drop index financing_borrowers_day_idx');
    await q.query(`delete from financing_borrowers where region !~ '^[0-9]'`);
    await q.query('alter table financing_borrowers drop constraint financing_borrowers_pkey');
    await q.query('alter table financing_borrowers add primary key (region, day, bank, right_kind, borrower_size, borrower_uscc)');
    await q.query(`
      create table financing_borrowers_monthly (
        day date not null, region text not null, bank text not null, right_kind text not null, borrower_size text not null,
        borrower_uscc text not null, loans int not null,
        primary key (region, day, bank, right_kind, borrower_size, borrower_uscc))`);
    await q.query(`
      insert into financing_borrowers_monthly
      select date_trunc('month', day)::date, region, bank, right_kind, borrower_size, borrower_uscc, sum(loans)
        from financing_borrowers group by 1, 2, 3, 4, 5, 6`);
    await q.query(`delete from financing_daily where region !~ '^[0-9]' or bank = ''`);
    await q.query(`delete from financing_monthly where region !~ '^[0-9]' or bank = ''`);
  }
}
