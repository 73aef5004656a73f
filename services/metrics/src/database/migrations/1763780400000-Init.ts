import { MigrationInterface, QueryRunner } from 'typeorm';
import { messagingTablesSql } from '@ipfin/messaging';

/** Metrics' own schema: the inbox, loan dimensions and the pre-aggregated financing facts. */
export class Init1763780400000 implements MigrationInterface {
  name = 'Init1763780400000';

  async up(q: QueryRunner): Promise<void> {
    const schema = (q.connection.options as { schema?: string }).schema ?? 'metrics';
    for (const statement of messagingTablesSql(schema)) await q.query(statement);
    await q.query(`
      create table loan_dim (
        bank text not null, loan_ref text not null, borrower_uscc text not null, borrower_size text not null,
        region text not null, registered_on date not null, principal_fen bigint not null, right_kind text not null,
        inclusive boolean not null, agency_id text, live boolean not null,
        primary key (bank, loan_ref))`);
    // One row per day × region × bank × right kind × borrower size: no hot totals row, and every
    // query sums a small key range instead of scanning events.
    await q.query(`
      create table financing_daily (
        day date not null, region text not null, bank text not null, right_kind text not null, borrower_size text not null,
        loans int not null default 0, inclusive_loans int not null default 0, contracted_fen bigint not null default 0,
        disbursed_fen bigint not null default 0, repaid_fen bigint not null default 0, loss_fen bigint not null default 0,
        defaults int not null default 0,
        primary key (region, day, bank, right_kind, borrower_size))`);
    // The exact set of SME borrowers behind each fact key, so distinct counts stay exact across
    // any combination of periods and regions (and restate on reversal).
    await q.query(`
      create table financing_borrowers (
        day date not null, region text not null, bank text not null, right_kind text not null, borrower_size text not null,
        borrower_uscc text not null, loans int not null,
        primary key (region, day, bank, right_kind, borrower_size, borrower_uscc))`);
    await q.query(`
      create table projection_state (name text primary key, as_of timestamptz, events bigint not null default 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table projection_state, financing_borrowers, financing_daily, loan_dim');
  }
}
