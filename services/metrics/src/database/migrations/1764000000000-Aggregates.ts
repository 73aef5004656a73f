import { MigrationInterface, QueryRunner } from 'typeorm';
import { REWARD_POLICY_SEEDS, TARGET_SEEDS } from '../seeds';

/**
 * Everything beyond the financing facts (issue 7): monthly roll-ups of the financing facts, the
 * generic counter and member-set facts of the risk, patents and products topics, the small
 * per-object states the folds need (coverage and losses per loan, claim status, open-licence
 * declarations), reward policies as data per region, and the plan targets. The seeds are
 * inserted idempotently: running this on a database that has them changes nothing.
 */
export class Aggregates1764000000000 implements MigrationInterface {
  name = 'Aggregates1764000000000';

  async up(q: QueryRunner): Promise<void> {
    // Monthly roll-ups: same keys as the daily rows, `day` is the first day of the month. A range
    // reads whole months here and only its ragged ends from the daily rows.
    await q.query(`
      create table financing_monthly (
        day date not null, region text not null, bank text not null, right_kind text not null, borrower_size text not null,
        loans int not null default 0, inclusive_loans int not null default 0, contracted_fen bigint not null default 0,
        disbursed_fen bigint not null default 0, repaid_fen bigint not null default 0, loss_fen bigint not null default 0,
        defaults int not null default 0,
        primary key (region, day, bank, right_kind, borrower_size))`);
    await q.query(`
      insert into financing_monthly
      select date_trunc('month', day)::date, region, bank, right_kind, borrower_size, sum(loans), sum(inclusive_loans),
             sum(contracted_fen), sum(disbursed_fen), sum(repaid_fen), sum(loss_fen), sum(defaults)
        from financing_daily group by 1, 2, 3, 4, 5`);
    await q.query(`
      create table financing_borrowers_monthly (
        day date not null, region text not null, bank text not null, right_kind text not null, borrower_size text not null,
        borrower_uscc text not null, loans int not null,
        primary key (region, day, bank, right_kind, borrower_size, borrower_uscc))`);
    await q.query(`
      insert into financing_borrowers_monthly
      select date_trunc('month', day)::date, region, bank, right_kind, borrower_size, borrower_uscc, sum(loans)
        from financing_borrowers where loans > 0 group by 1, 2, 3, 4, 5, 6`);

    // asOf per projection and partition: each partition's batches advance their own row, so
    // consumers of different partitions (or replicas) never queue on one hot row.
    await q.query('alter table projection_state add column part int not null default -1');
    await q.query('alter table projection_state drop constraint projection_state_pkey');
    await q.query('alter table projection_state add primary key (name, part)');

    // Generic facts: a count and an amount per measure × region × breakdown × day.
    for (const table of ['counter_daily', 'counter_monthly']) {
      await q.query(`
        create table ${table} (
          measure text not null, region text not null, day date not null, dim text not null default '',
          n bigint not null default 0, amount_fen bigint not null default 0,
          primary key (measure, region, day, dim))`);
    }
    // Exact member sets behind distinct counts (a member counts while n > 0; rows at 0 are deleted).
    for (const table of ['member_daily', 'member_monthly']) {
      await q.query(`
        create table ${table} (
          measure text not null, region text not null, day date not null, dim text not null default '',
          member text not null, n int not null,
          primary key (measure, region, day, dim, member))`);
    }

    // Where the loans and risk topics meet: each loan's coverage (risk consumer) and its principal
    // losses by day (loans consumer). Both consumers lock the coverage row before reading the
    // other side, so the covered-loss facts are right whichever topic is folded first.
    await q.query(`
      create table loan_coverage (
        bank text not null, loan_ref text not null, fund_region text, covered boolean not null default false,
        principal_fen bigint not null default 0, registered_on date,
        primary key (bank, loan_ref))`);
    await q.query(`
      create table loan_loss (
        bank text not null, loan_ref text not null, day date not null, loss_fen bigint not null,
        primary key (bank, loan_ref, day))`);
    await q.query(`
      create table claim_state (
        claim_id text primary key, fund_region text not null, bank text not null, loan_ref text not null,
        status text not null, filed_on date not null)`);
    await q.query(`
      create table open_licence_declaration (
        number text not null, declared_on date not null, owner_region text not null, expires_on date not null,
        withdrawn_on date, primary key (number, declared_on))`);

    // Reward rules as data per region (kind, effective period, parameters).
    await q.query(`
      create table reward_policies (
        region text not null, kind text not null, effective_from date not null, effective_to date, params jsonb not null,
        primary key (region, kind, effective_from))`);
    await q.query(`
      create table targets (
        id text primary key, region text not null, indicator text not null, unit text not null,
        baseline bigint, target bigint not null, due_on date not null, source text, created_by text,
        created_at timestamptz not null default now(),
        unique (region, indicator, due_on))`);
    await q.query('create index targets_region_idx on targets (region, due_on, id)');

    for (const p of REWARD_POLICY_SEEDS) {
      await q.query(
        `insert into reward_policies (region, kind, effective_from, effective_to, params) values ($1, $2, $3, $4, $5)
         on conflict do nothing`,
        [p.region, p.kind, p.effectiveFrom, p.effectiveTo, JSON.stringify(p.params)],
      );
    }
    for (const t of TARGET_SEEDS) {
      await q.query(
        `insert into targets (id, region, indicator, unit, baseline, target, due_on, source, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, 'seed') on conflict do nothing`,
        [t.id, t.region, t.indicator, t.unit, t.baseline?.toString() ?? null, t.target.toString(), t.dueOn, t.source],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table targets, reward_policies, open_licence_declaration, claim_state, loan_loss, loan_coverage,
      member_monthly, member_daily, counter_monthly, counter_daily, financing_borrowers_monthly, financing_monthly`);
    await q.query('delete from projection_state where part <> -1');
    await q.query('alter table projection_state drop constraint projection_state_pkey');
    await q.query('alter table projection_state drop column part');
    await q.query('alter table projection_state add primary key (name)');
  }
}
