import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pledge view keeps every registered loan from now on, a trademark-only one with no patents, so
 * that an event of a loan it does not know is dead-lettered as an orphan (its registration was
 * dead-lettered) instead of dropped. Loans folded before did not keep trademark-only loans, and
 * their events cannot be told from orphans: `pledge_view_state.all_loans_known` records whether the
 * view may hold such gaps — true when the loan consumer has applied nothing yet (a new registry, a
 * test schema), false otherwise. While false, only a reversed registration that pledged a patent
 * counts as an orphan. Rebuilding the view from the beginning of `ipfin.loans.v1` (service README)
 * sets it to true.
 */
export class PledgeViewState1796001000000 implements MigrationInterface {
  name = 'PledgeViewState1796001000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table pledge_view_state (
        singleton boolean primary key default true check (singleton),
        all_loans_known boolean not null,
        updated_at timestamptz not null default now())`);
    await q.query(`
      insert into pledge_view_state (all_loans_known)
      select not exists (select 1 from inbox where consumer = 'patent-registry.loans')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table if exists pledge_view_state');
  }
}
