import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The risk-compensation tables:
 *
 * - `fund_policies`: versioned policy per fund region (`effective_from` identifies a version);
 * - `funds`: one row per fund region — the ledger's account balances and the approval counter.
 *   It is also the row every fund operation locks (`select … for update`), so approvals,
 *   contributions, recoveries and filings of one fund are serialised in the database;
 * - `ledger_entries` / `ledger_lines`: the double-entry ledger (append-only; every entry balances,
 *   checked by a statement trigger); `funds` must always equal the sum of its lines;
 * - `covered_loans`: the coverage view folded from `ipfin.loans.v1`;
 * - `claims`, `recoveries`.
 */
export class FundsClaimsLedger1795319091248 implements MigrationInterface {
  name = 'FundsClaimsLedger1795319091248';

  async up(q: QueryRunner): Promise<void> {
    const schema = (q.connection.options as { schema?: string }).schema ?? 'risk_compensation';
    const s = `"${schema}"`;
    await q.query(`
      create table ${s}.fund_policies (
        region text not null check (region ~ '^[0-9]{6}$'),
        effective_from date not null,
        effective_to date,
        -- the version as PolicySet carries it (without "change"); parsed by the domain on load
        policy jsonb not null,
        updated_at timestamptz not null default now(),
        primary key (region, effective_from),
        check (effective_to is null or effective_to >= effective_from))`);

    await q.query(`
      create table ${s}.funds (
        region text primary key check (region ~ '^[0-9]{6}$'),
        capital_fen bigint not null default 0 check (capital_fen >= 0),
        balance_fen bigint not null default 0,
        paid_out_fen bigint not null default 0 check (paid_out_fen >= 0),
        recovered_fen bigint not null default 0 check (recovered_fen >= 0),
        last_approval_sequence int not null default 0 check (last_approval_sequence >= 0),
        updated_at timestamptz not null default now(),
        -- money out never exceeds money in
        constraint funds_balance_never_negative check (balance_fen >= 0),
        -- the ledger identity: balance + paidOut = capital + recoveredToFund
        constraint funds_ledger_identity check (balance_fen + paid_out_fen = capital_fen + recovered_fen))`);

    await q.query(`
      create table ${s}.ledger_entries (
        entry_id bigserial primary key,
        region text not null references ${s}.funds (region),
        kind text not null check (kind in ('contribution', 'payout', 'recovery')),
        -- the contribution, claim (payout) or recovery id
        reference text not null,
        posted_on date not null,
        recorded_at timestamptz not null default now(),
        unique (region, kind, reference))`);
    await q.query(`
      create table ${s}.ledger_lines (
        entry_id bigint not null references ${s}.ledger_entries (entry_id),
        line_no smallint not null,
        account text not null check (account in ('capital', 'balance', 'paid_out', 'recovered')),
        side text not null check (side in ('debit', 'credit')),
        amount_fen bigint not null check (amount_fen > 0),
        primary key (entry_id, line_no))`);
    await q.query(`
      create function ${s}.ledger_entries_balance() returns trigger language plpgsql as $$
      begin
        if exists (
          select 1 from ${s}.ledger_lines l
           where l.entry_id in (select entry_id from inserted)
           group by l.entry_id
          having sum(case l.side when 'debit' then l.amount_fen else -l.amount_fen end) <> 0 or count(*) < 2) then
          raise exception 'a ledger entry does not balance (debits must equal credits)' using errcode = '23514';
        end if;
        return null;
      end $$`);
    await q.query(`
      create trigger ledger_lines_balance after insert on ${s}.ledger_lines
        referencing new table as inserted for each statement execute function ${s}.ledger_entries_balance()`);
    await q.query(`
      create function ${s}.ledger_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'the fund ledger is append-only: post a new entry instead' using errcode = '42501';
      end $$`);
    await q.query(`
      create trigger ledger_entries_append_only before update or delete on ${s}.ledger_entries
        for each statement execute function ${s}.ledger_append_only()`);
    await q.query(`
      create trigger ledger_lines_append_only before update or delete on ${s}.ledger_lines
        for each statement execute function ${s}.ledger_append_only()`);

    await q.query(`
      create table ${s}.covered_loans (
        bank text not null,
        loan_ref text not null,
        -- the fund region that judged the loan; null when no fund is concerned
        fund_region text,
        covered boolean not null,
        policy_version date,
        borrower_region text not null,
        registered_on date not null,
        status text not null,
        -- the domain's CoveredLoan, money as decimal strings
        view jsonb not null,
        updated_at timestamptz not null default now(),
        primary key (bank, loan_ref))`);
    await q.query(`create index covered_loans_fund_idx on ${s}.covered_loans (fund_region, registered_on)`);
    await q.query(`create index covered_loans_borrower_region_idx on ${s}.covered_loans (borrower_region, registered_on)`);

    await q.query(`
      create table ${s}.claims (
        id uuid primary key,
        seq bigserial not null unique,
        region text not null,
        bank text not null,
        loan_ref text not null,
        status text not null check (status in ('filed', 'waiting', 'paid', 'rejected')),
        principal_loss_fen bigint not null check (principal_loss_fen > 0),
        defaulted_on date not null,
        filed_on date not null,
        policy_version date not null,
        evidence jsonb not null default '[]',
        fund_share_percent text,
        per_loan_cap_fen bigint,
        capped boolean,
        fund_share_fen bigint check (fund_share_fen >= 0),
        bank_share_fen bigint check (bank_share_fen >= 0),
        approved_on date,
        approval_sequence int check (approval_sequence >= 1),
        paid_on date,
        recovered_to_fund_fen bigint not null default 0,
        recovered_to_bank_fen bigint not null default 0,
        rejected_on date,
        rejection_reason text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (region, approval_sequence),
        check ((status in ('waiting', 'paid')) = (approval_sequence is not null and fund_share_fen is not null)),
        check ((status = 'paid') = (paid_on is not null)),
        check (fund_share_fen is null or fund_share_fen + bank_share_fen = principal_loss_fen))`);
    // One claim per loan that is not rejected: filed, waiting or paid.
    await q.query(`create unique index claims_one_open_per_loan on ${s}.claims (bank, loan_ref) where status <> 'rejected'`);
    await q.query(`create index claims_region_idx on ${s}.claims (region, status, seq)`);
    await q.query(`create index claims_bank_idx on ${s}.claims (bank, status, seq)`);
    await q.query(`create index claims_payout_queue_idx on ${s}.claims (region, approval_sequence) where status = 'waiting'`);

    await q.query(`
      create table ${s}.recoveries (
        id uuid primary key,
        claim_id uuid not null references ${s}.claims (id),
        region text not null,
        amount_fen bigint not null check (amount_fen > 0),
        fund_part_fen bigint not null check (fund_part_fen >= 0),
        bank_part_fen bigint not null check (bank_part_fen >= 0),
        capped boolean not null,
        recovered_on date not null,
        created_at timestamptz not null default now(),
        check (fund_part_fen + bank_part_fen = amount_fen))`);
    await q.query(`create index recoveries_claim_idx on ${s}.recoveries (claim_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    const schema = (q.connection.options as { schema?: string }).schema ?? 'risk_compensation';
    const s = `"${schema}"`;
    await q.query(
      `drop table if exists ${s}.recoveries, ${s}.claims, ${s}.covered_loans, ${s}.ledger_lines, ${s}.ledger_entries, ${s}.funds, ${s}.fund_policies`,
    );
    await q.query(`drop function if exists ${s}.ledger_entries_balance(), ${s}.ledger_append_only()`);
  }
}
