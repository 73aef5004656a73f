import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A loan's coverage per fund (audit finding 1). `ipfin.risk.v1` is keyed by the fund region and
 * ordered per key only, so when a policy change moves a loan from one fund to another the old
 * fund's `covered: false` and the new fund's `covered: true` may be folded in either order. One
 * coverage per loan ("the last event folded") could leave the loan in neither fund; now each fund's
 * own events decide its entry: `covered_by` maps every fund whose latest `LoanCovered` said
 * covered to the principal and registration day it counts (usually one entry, none when
 * uncovered). It lives in the locked row itself, so both consumers read it under their lock.
 *
 * The existing coverage is carried over as it stands; a moved loan that an earlier fold left in
 * neither fund is restated by a rebuild (`npm run metrics:rebuild`).
 */
export class CoverageByFund1796000700000 implements MigrationInterface {
  name = 'CoverageByFund1796000700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table loan_coverage add column covered_by jsonb not null default '{}'::jsonb`);
    await q.query(`
      update loan_coverage
         set covered_by = jsonb_build_object(fund_region, jsonb_build_object('principalFen', principal_fen::text, 'registeredOn', registered_on::text))
       where covered and fund_region is not null and registered_on is not null`);
    await q.query('alter table loan_coverage drop column fund_region, drop column covered, drop column principal_fen, drop column registered_on');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table loan_coverage add column fund_region text, add column covered boolean not null default false,
        add column principal_fen bigint not null default 0, add column registered_on date`);
    await q.query(`
      update loan_coverage c
         set fund_region = f.fund, covered = true, principal_fen = (f.entry->>'principalFen')::bigint, registered_on = (f.entry->>'registeredOn')::date
        from (select distinct on (bank, loan_ref) bank, loan_ref, e.key as fund, e.value as entry
                from loan_coverage, jsonb_each(covered_by) e order by bank, loan_ref, e.key) f
       where c.bank = f.bank and c.loan_ref = f.loan_ref`);
    await q.query('alter table loan_coverage drop column covered_by');
  }
}
