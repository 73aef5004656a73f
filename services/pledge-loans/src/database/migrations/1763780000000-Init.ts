import { MigrationInterface, QueryRunner } from 'typeorm';
import { idempotencyTableSql } from '@ipfin/http';
import { messagingTablesSql } from '@ipfin/messaging';

/**
 * pledge-loans' schema: loans (current state, for reads and locking), their accepted events
 * (history, eventId dedupe), the pledge locks on rights and registration numbers, plus outbox,
 * inbox and Idempotency-Key storage.
 */
export class Init1763780000000 implements MigrationInterface {
  name = 'Init1763780000000';

  async up(q: QueryRunner): Promise<void> {
    const schema = (q.connection.options as { schema?: string }).schema ?? 'pledge_loans';
    for (const statement of [...messagingTablesSql(schema), ...idempotencyTableSql(schema)]) await q.query(statement);
    await q.query(`
      create table loans (
        bank text not null,
        loan_ref text not null,
        -- null while no registration is in force (never registered, or voided by a reversal)
        status text,
        borrower_uscc text,
        borrower_region text,
        registered_on date,
        principal_fen bigint,
        outstanding_fen bigint,
        state json,
        last_sequence int not null,
        updated_at timestamptz not null default now(),
        primary key (bank, loan_ref))`);
    await q.query('create index loans_region_idx on loans (borrower_region, registered_on)');
    await q.query('create index loans_bank_status_idx on loans (bank, status, registered_on)');
    await q.query(`
      create table loan_events (
        bank text not null,
        event_id text not null,
        loan_ref text not null,
        sequence int not null,
        type text not null,
        occurred_on date not null,
        content_hash text not null,
        event jsonb not null,
        recorded_at timestamptz not null,
        reversed_by text,
        primary key (bank, event_id),
        unique (bank, loan_ref, sequence))`);
    // A right is pledged by at most one loan in force; the primary key enforces it under concurrency.
    await q.query(`
      create table pledged_rights (
        right_key text primary key,
        bank text not null,
        loan_ref text not null)`);
    await q.query('create index pledged_rights_loan_idx on pledged_rights (bank, loan_ref)');
    await q.query(`
      create table pledge_registrations (
        registration_no text primary key,
        bank text not null,
        loan_ref text not null)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table pledge_registrations, pledged_rights, loan_events, loans, idempotency_keys, inbox, outbox');
  }
}
