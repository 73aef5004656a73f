import { preparedQuery } from '@ipfin/messaging';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  foldHistory, outstanding, rightKey, type ApplyBatchResult, type LoanAggregate, type LoanEventJson, type LoanHistoryEntry,
  type PledgeHolder,
} from './domain';
import { eventToJson, historyEntryFromRow } from './loan-event.codec';
import { loanView } from './loan-view';

interface HistoryRow {
  bank: string;
  loan_ref: string;
  sequence: number;
  recorded_at: Date;
  content_hash: string;
  reversed_by: string | null;
  event: LoanEventJson;
}

export interface LoanListRow {
  bank: string;
  loan_ref: string;
  state: Record<string, unknown>;
}

export interface LoanListFilter {
  bank?: string;
  regionFrom?: string;
  regionTo?: string;
  status?: string;
  from?: string;
  to?: string;
  after?: { bank: string; loanRef: string };
  limit: number;
}

/** SQL of the loans: every batch is a fixed handful of statements, whatever its size. */
@Injectable()
export class LoanRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Locks the bank's named loans that exist (`for update`) and loads their whole history.
   * Loans that do not exist yet are protected by the primary key when they are inserted.
   */
  async lockAndLoad(m: EntityManager, bank: string, loanRefs: string[]): Promise<Map<string, LoanAggregate>> {
    const loans = new Map<string, LoanAggregate>();
    if (loanRefs.length === 0) return loans;
    const locked: { loan_ref: string }[] = await preparedQuery(m,
      'select loan_ref from loans where bank = $1 and loan_ref = any($2::text[]) order by loan_ref for update',
      [bank, loanRefs],
    );
    if (locked.length === 0) return loans;
    const rows: HistoryRow[] = await preparedQuery(m,
      `select bank, loan_ref, sequence, recorded_at, content_hash, reversed_by, event from loan_events
        where bank = $1 and loan_ref = any($2::text[]) order by loan_ref, sequence`,
      [bank, locked.map((l) => l.loan_ref)],
    );
    const histories = new Map<string, LoanHistoryEntry[]>();
    for (const row of rows) {
      const list = histories.get(row.loan_ref) ?? [];
      list.push(historyEntryFromRow(row));
      histories.set(row.loan_ref, list);
    }
    for (const [loanRef, history] of histories) {
      const folded = foldHistory(history);
      if (!folded.ok) throw new Error(`stored history of ${bank}:${loanRef} no longer folds: ${folded.problem.detail}`);
      loans.set(loanRef, { bank, loanRef, state: folded.state, history });
    }
    return loans;
  }

  async knownEvents(m: EntityManager, bank: string, eventIds: string[]): Promise<Map<string, string>> {
    if (eventIds.length === 0) return new Map();
    const rows: { event_id: string; content_hash: string }[] = await preparedQuery(m,
      'select event_id, content_hash from loan_events where bank = $1 and event_id = any($2::text[])',
      [bank, eventIds],
    );
    return new Map(rows.map((r) => [r.event_id, r.content_hash]));
  }

  async pledgedRights(m: EntityManager, keys: string[]): Promise<Map<string, PledgeHolder>> {
    if (keys.length === 0) return new Map();
    const rows: { right_key: string; bank: string; loan_ref: string }[] = await preparedQuery(m,
      'select right_key, bank, loan_ref from pledged_rights where right_key = any($1::text[])',
      [keys],
    );
    return new Map(rows.map((r) => [r.right_key, { bank: r.bank, loanRef: r.loan_ref }]));
  }

  async registrationNumbers(m: EntityManager, numbers: string[]): Promise<Map<string, PledgeHolder>> {
    if (numbers.length === 0) return new Map();
    const rows: { registration_no: string; bank: string; loan_ref: string }[] = await preparedQuery(m,
      'select registration_no, bank, loan_ref from pledge_registrations where registration_no = any($1::text[])',
      [numbers],
    );
    return new Map(rows.map((r) => [r.registration_no, { bank: r.bank, loanRef: r.loan_ref }]));
  }

  /** Writes everything a batch changed: loans, events, reversal marks and pledge locks. */
  async write(m: EntityManager, bank: string, existing: ReadonlySet<string>, result: ApplyBatchResult): Promise<void> {
    const changed = [...result.loans.values()];
    const rowOf = (a: LoanAggregate) => ({
      loanRef: a.loanRef,
      status: a.state?.status ?? null,
      uscc: a.state?.borrower.uscc ?? null,
      region: a.state?.borrower.regionCode ?? null,
      registeredOn: a.state?.registeredOn ?? null,
      principal: a.state ? a.state.principal.toString() : null,
      outstanding: a.state ? outstanding(a.state).toString() : null,
      state: a.state ? JSON.stringify(loanView(a.state)) : null,
      lastSequence: a.history.length === 0 ? 0 : a.history[a.history.length - 1].sequence,
    });
    const inserts = changed.filter((a) => !existing.has(a.loanRef)).map(rowOf);
    const updates = changed.filter((a) => existing.has(a.loanRef)).map(rowOf);
    const cols = (rows: ReturnType<typeof rowOf>[]) => [
      rows.map((r) => r.loanRef), rows.map((r) => r.status), rows.map((r) => r.uscc), rows.map((r) => r.region),
      rows.map((r) => r.registeredOn), rows.map((r) => r.principal), rows.map((r) => r.outstanding), rows.map((r) => r.state),
      rows.map((r) => r.lastSequence),
    ];
    if (inserts.length) {
      await preparedQuery(m,
        `insert into loans (bank, loan_ref, status, borrower_uscc, borrower_region, registered_on, principal_fen,
                            outstanding_fen, state, last_sequence)
         select $1, * from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::bigint[], $8::bigint[],
                                  $9::json[], $10::int[])`,
        [bank, ...cols(inserts)],
      );
    }
    if (updates.length) {
      await preparedQuery(m,
        `update loans l set status = u.status, borrower_uscc = u.uscc, borrower_region = u.region,
                registered_on = u.registered_on, principal_fen = u.principal, outstanding_fen = u.outstanding,
                state = u.state, last_sequence = u.last_sequence, updated_at = now()
           from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::bigint[], $8::bigint[], $9::json[], $10::int[])
                as u(loan_ref, status, uscc, region, registered_on, principal, outstanding, state, last_sequence)
          where l.bank = $1 and l.loan_ref = u.loan_ref`,
        [bank, ...cols(updates)],
      );
    }
    const events = result.newEvents;
    if (events.length) {
      await preparedQuery(m,
        `insert into loan_events (bank, event_id, loan_ref, sequence, type, occurred_on, content_hash, event, recorded_at, reversed_by)
         select $1, * from unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::date[], $7::text[], $8::jsonb[],
                                  $9::timestamptz[], $10::text[])`,
        [
          bank, events.map((e) => e.eventId), events.map((e) => e.loanRef), events.map((e) => e.sequence),
          events.map((e) => e.type), events.map((e) => e.occurredOn), events.map((e) => e.contentHash),
          events.map((e) => JSON.stringify(eventToJson(e))), events.map((e) => e.recordedAt),
          events.map((e) => e.reversedBy ?? null),
        ],
      );
    }
    const marks = result.reversedEarlierEvents;
    if (marks.length) {
      await preparedQuery(m,
        `update loan_events e set reversed_by = u.reversed_by
           from unnest($2::text[], $3::text[]) as u(event_id, reversed_by)
          where e.bank = $1 and e.event_id = u.event_id`,
        [bank, marks.map((r) => r.eventId), marks.map((r) => r.reversedBy)],
      );
    }
    const { rights, registrationNumbers } = result.pledgeChanges;
    if (rights.released.length) await preparedQuery(m, 'delete from pledged_rights where right_key = any($1::text[])', [rights.released]);
    if (rights.acquired.length) {
      await preparedQuery(m,
        'insert into pledged_rights (right_key, bank, loan_ref) select * from unnest($1::text[], $2::text[], $3::text[])',
        [rights.acquired.map((a) => a.key), rights.acquired.map((a) => a.holder.bank), rights.acquired.map((a) => a.holder.loanRef)],
      );
    }
    if (registrationNumbers.released.length) {
      await preparedQuery(m, 'delete from pledge_registrations where registration_no = any($1::text[])', [registrationNumbers.released]);
    }
    if (registrationNumbers.acquired.length) {
      const acq = registrationNumbers.acquired;
      await preparedQuery(m,
        'insert into pledge_registrations (registration_no, bank, loan_ref) select * from unnest($1::text[], $2::text[], $3::text[])',
        [acq.map((a) => a.key), acq.map((a) => a.holder.bank), acq.map((a) => a.holder.loanRef)],
      );
    }
  }

  /** The loan's stored view and history, or null. */
  async findLoan(bank: string, loanRef: string): Promise<{ state: Record<string, unknown>; history: LoanHistoryEntry[]; region: string } | null> {
    const loans: { state: Record<string, unknown> | null; borrower_region: string | null }[] = await preparedQuery(this.dataSource,
      'select state, borrower_region from loans where bank = $1 and loan_ref = $2', [bank, loanRef],
    );
    const loan = loans[0];
    if (!loan?.state || !loan.borrower_region) return null;
    const rows: HistoryRow[] = await preparedQuery(this.dataSource,
      `select bank, loan_ref, sequence, recorded_at, content_hash, reversed_by, event from loan_events
        where bank = $1 and loan_ref = $2 order by sequence`,
      [bank, loanRef],
    );
    return { state: loan.state, history: rows.map(historyEntryFromRow), region: loan.borrower_region };
  }

  /** Banks holding a live loan under this loanRef among borrowers of a region range (regulators' reads). */
  async banksWithLoanRef(loanRef: string, regionFrom: string, regionTo: string): Promise<string[]> {
    const rows: { bank: string }[] = await preparedQuery(this.dataSource,
      `select bank from loans where loan_ref = $1 and state is not null and borrower_region between $2 and $3 order by bank`,
      [loanRef, regionFrom, regionTo],
    );
    return rows.map((r) => r.bank);
  }

  async list(f: LoanListFilter): Promise<LoanListRow[]> {
    const where: string[] = ['state is not null'];
    const params: unknown[] = [];
    const p = (v: unknown): string => `$${params.push(v)}`;
    if (f.bank) where.push(`bank = ${p(f.bank)}`);
    if (f.regionFrom && f.regionTo) where.push(`borrower_region between ${p(f.regionFrom)} and ${p(f.regionTo)}`);
    if (f.status) where.push(`status = ${p(f.status)}`);
    if (f.from) where.push(`registered_on >= ${p(f.from)}`);
    if (f.to) where.push(`registered_on <= ${p(f.to)}`);
    if (f.after) where.push(`(bank, loan_ref) > (${p(f.after.bank)}, ${p(f.after.loanRef)})`);
    return preparedQuery(this.dataSource,
      `select bank, loan_ref, state from loans where ${where.join(' and ')} order by bank, loan_ref limit ${p(f.limit + 1)}`,
      params,
    );
  }
}

export { rightKey };
