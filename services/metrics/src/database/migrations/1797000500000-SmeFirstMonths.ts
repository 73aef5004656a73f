import { MigrationInterface, QueryRunner } from 'typeorm';
import { FILL_SME_FIRST_MONTHS, FIRST_MONTHS } from '../../financing/sme-counts';

/**
 * The all-banks SME count rows again per month of their first day (`FIRST_MONTHS` in
 * `financing/sme-counts.ts`): a year to date, or the `A` rows of a range from a year start, sum
 * ≤ 11 of these and the `''` rows of `to`'s month instead of one row per day with a first loan.
 * Derived from the `''` rows while folds wait (SHARE ROW EXCLUSIVE: reads go on); the loans fold
 * keeps them from then on, per partition shard like the rows they sum.
 */
export class SmeFirstMonths1797000500000 implements MigrationInterface {
  name = 'SmeFirstMonths1797000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('lock table financing_smes in share row exclusive mode');
    await q.query(FILL_SME_FIRST_MONTHS);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`delete from financing_smes where bank = '${FIRST_MONTHS}'`);
  }
}
