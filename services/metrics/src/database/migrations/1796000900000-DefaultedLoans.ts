import { MigrationInterface, QueryRunner } from 'typeorm';

/** The region keys of `loan_dim.region`, as `rollUpRegions` (src/common/range.ts) makes them. */
const REGION_KEYS = `unnest(array[d.region, 'P' || left(d.region, 4), 'V' || left(d.region, 2), 'N'])`;

const FACT_TABLES = [
  ['financing_daily', 'f.day'],
  ['financing_monthly', `date_trunc('month', f.day)::date`],
  ['financing_yearly', `date_trunc('year', f.day)::date`],
] as const;

/**
 * `defaults` counts defaulted **loans**, not `LoanDefaulted` events: pledge-loans lets a loan
 * default several times (losses add up) and reports its earliest live default as `defaultedOn`;
 * a loan now counts once, on that day (`addDefaultedLoans` in src/financing/financing-fold.ts).
 *
 * `loan_loss` gets the count of each day's live defaults, which the fold keeps from now on (a
 * zero-loss default has no loss to show it). Rows already there become 1 — each stands for at
 * least one live default — and a day counts as defaulted while its count or its loss is above
 * zero, so a second same-day default folded before this migration is still right when one of the
 * two is reversed. Then the `defaults` column of the facts is restated from `loan_loss` and
 * `loan_dim`: each loan +1 on its earliest day under every roll-up key × (its bank, all banks),
 * in the three grains (into shard 0; reads sum the shards), exactly the rows the fold would hold.
 * Not restated: a loan whose only live defaults lost nothing (it was never in `loan_loss`);
 * `npm run metrics:rebuild` counts those too.
 */
export class DefaultedLoans1796000900000 implements MigrationInterface {
  name = 'DefaultedLoans1796000900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table loan_loss add column defaults int not null default 0`);
    await q.query(`update loan_loss set defaults = 1 where loss_fen > 0`);
    for (const [table, bucket] of FACT_TABLES) {
      await q.query(`update ${table} set defaults = 0 where defaults <> 0`);
      await q.query(`
        insert into ${table} as t (region, day, bank, right_kind, borrower_size, defaults, shard)
        select k.region, ${bucket}, b.bank, d.right_kind, d.borrower_size, count(*)::int, 0
          from (select bank, loan_ref, min(day) as day from loan_loss where defaults > 0 or loss_fen > 0 group by bank, loan_ref) f
          join loan_dim d on d.bank = f.bank and d.loan_ref = f.loan_ref
          cross join ${REGION_KEYS} as k(region)
          cross join unnest(array[d.bank, '']) as b(bank)
         group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
        on conflict (region, day, bank, right_kind, borrower_size, shard) do update set defaults = t.defaults + excluded.defaults`);
    }
  }

  /** Drops the count; the facts keep counting loans until a rebuild under the older code. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table loan_loss drop column defaults`);
  }
}
