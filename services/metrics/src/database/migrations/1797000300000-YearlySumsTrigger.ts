import { MigrationInterface, QueryRunner } from 'typeorm';
import { FILL_YEARLY_SUMS } from './1797000200000-YearlySums';

const COLUMNS = 'day, region, bank, shard, loans, inclusive_loans, contracted_fen, disbursed_fen, repaid_fen, loss_fen, defaults, patent_fen, trademark_fen';

const ADD = `loans = t.loans + excluded.loans, inclusive_loans = t.inclusive_loans + excluded.inclusive_loans,
             contracted_fen = t.contracted_fen + excluded.contracted_fen, disbursed_fen = t.disbursed_fen + excluded.disbursed_fen,
             repaid_fen = t.repaid_fen + excluded.repaid_fen, loss_fen = t.loss_fen + excluded.loss_fen,
             defaults = t.defaults + excluded.defaults, patent_fen = t.patent_fen + excluded.patent_fen,
             trademark_fen = t.trademark_fen + excluded.trademark_fen`;

/** The sums row of yearly row `r` moved by `s` (1: add its facts, -1: take them away). */
const moved = (r: string, s: string): string => `values (${r}.day, ${r}.region, ${r}.bank, ${r}.shard,
    ${s} * ${r}.loans, ${s} * ${r}.inclusive_loans, ${s} * ${r}.contracted_fen, ${s} * ${r}.disbursed_fen, ${s} * ${r}.repaid_fen,
    ${s} * ${r}.loss_fen, ${s} * ${r}.defaults,
    case when ${r}.right_kind = 'patent' then ${s} * ${r}.contracted_fen else 0 end,
    case when ${r}.right_kind = 'trademark' then ${s} * ${r}.contracted_fen else 0 end)`;

/**
 * `financing_yearly_sums` kept by PostgreSQL from `financing_yearly` (a row trigger) instead of by
 * the fold. Every change of a yearly row — the fold's upserts, whatever a later migration restates
 * (as DefaultedLoans did) — moves its sums row by the difference in the same transaction, so the
 * two tables cannot drift apart; and a metrics process of the previous release still folding
 * during a rolling upgrade keeps the sums right, where a fold-written table would miss its events.
 *
 * `financing_yearly` is locked against writes (SHARE ROW EXCLUSIVE: folds wait, reads go on) while
 * the trigger is created and the sums derived from it again, so no change falls between the two.
 * TRUNCATE (the rebuild's) fires no row trigger: the rebuild empties both tables.
 */
export class YearlySumsTrigger1797000300000 implements MigrationInterface {
  name = 'YearlySumsTrigger1797000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('lock table financing_yearly in share row exclusive mode');
    await q.query(`
      create function financing_yearly_sums_apply() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' and (new.day, new.region, new.bank, new.shard) = (old.day, old.region, old.bank, old.shard) then
          -- The fold's upserts (same key): one statement, the difference.
          insert into financing_yearly_sums as t (${COLUMNS})
          values (new.day, new.region, new.bank, new.shard,
            new.loans - old.loans, new.inclusive_loans - old.inclusive_loans, new.contracted_fen - old.contracted_fen,
            new.disbursed_fen - old.disbursed_fen, new.repaid_fen - old.repaid_fen, new.loss_fen - old.loss_fen,
            new.defaults - old.defaults,
            (case when new.right_kind = 'patent' then new.contracted_fen else 0 end) - (case when old.right_kind = 'patent' then old.contracted_fen else 0 end),
            (case when new.right_kind = 'trademark' then new.contracted_fen else 0 end) - (case when old.right_kind = 'trademark' then old.contracted_fen else 0 end))
          on conflict (region, day, bank, shard) do update set ${ADD};
          return null;
        end if;
        if tg_op in ('UPDATE', 'DELETE') then
          insert into financing_yearly_sums as t (${COLUMNS}) ${moved('old', '-1')}
          on conflict (region, day, bank, shard) do update set ${ADD};
        end if;
        if tg_op in ('INSERT', 'UPDATE') then
          insert into financing_yearly_sums as t (${COLUMNS}) ${moved('new', '1')}
          on conflict (region, day, bank, shard) do update set ${ADD};
        end if;
        return null;
      end $$`);
    await q.query(`create trigger financing_yearly_sums after insert or update or delete on financing_yearly
                   for each row execute function financing_yearly_sums_apply()`);
    await q.query('truncate financing_yearly_sums');
    await q.query(FILL_YEARLY_SUMS);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop trigger financing_yearly_sums on financing_yearly');
    await q.query('drop function financing_yearly_sums_apply()');
  }
}
