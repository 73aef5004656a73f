import { MigrationInterface, QueryRunner } from 'typeorm';

const MEASURE = 'loans.agency-inclusive-patent-borrowers';

/** The region keys of `loan_dim.region`, as `rollUpRegions` (src/common/range.ts) makes them. */
const REGION_KEYS = `unnest(array[d.region, 'P' || left(d.region, 4), 'V' || left(d.region, 2), 'N'])`;

/**
 * The Zhangzhou service-agency subsidy (zhangzhou-2024 §13) asks for inclusive **patent** pledge
 * registrations benefiting ≥ 5 enterprises (audit finding 3); the agencies' borrower sets held
 * every inclusive loan, trademark-only ones too. A second member set,
 * `loans.agency-inclusive-patent-borrowers`, holds the borrowers of inclusive loans pledging at
 * least one patent (the fold keeps it from now on). Built here from the loans' dimensions
 * (`loan_dim`: live registrations, their agency, right kind and borrower), in the three grains,
 * under every roll-up key, with its count rows — exactly the rows the fold would have written.
 */
export class AgencyPatentBorrowers1796000800000 implements MigrationInterface {
  name = 'AgencyPatentBorrowers1796000800000';

  async up(q: QueryRunner): Promise<void> {
    for (const [table, day] of [['member_daily', 'd.registered_on'], ['member_monthly', `date_trunc('month', d.registered_on)::date`], ['member_yearly', `date_trunc('year', d.registered_on)::date`]]) {
      await q.query(`
        insert into ${table} (measure, region, day, dim, member, n)
        select '${MEASURE}', k.region, ${day}, d.agency_id, d.borrower_uscc, count(*)
          from loan_dim d, ${REGION_KEYS} as k(region)
         where d.live and d.inclusive and d.agency_id is not null and d.right_kind = 'patent'
         group by 2, 3, 4, 5 order by 2, 3, 4, 5`);
    }
    for (const [table, sets] of [['member_count_monthly', 'member_monthly'], ['member_count_yearly', 'member_yearly']]) {
      await q.query(`
        insert into ${table} (measure, region, day, dim, n)
        select measure, region, day, dim, count(*) from ${sets} where measure = '${MEASURE}' and n > 0
         group by 1, 2, 3, 4 order by 1, 2, 3, 4`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['member_count_yearly', 'member_count_monthly', 'member_yearly', 'member_monthly', 'member_daily']) {
      await q.query(`delete from ${table} where measure = '${MEASURE}'`);
    }
  }
}
