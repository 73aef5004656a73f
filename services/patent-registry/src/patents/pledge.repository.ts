import { preparedQuery } from '@ipfin/messaging';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { LoanPledge } from './domain';

/** SQL of the pledge index folded from `ipfin.loans.v1`: a fixed handful of statements per batch. */
@Injectable()
export class PledgeRepository {
  /** The known loans among `keys` (`{bank}:{loanRef}`). */
  async loadLoans(m: EntityManager, loans: readonly { bank: string; loanRef: string }[]): Promise<LoanPledge[]> {
    if (loans.length === 0) return [];
    const rows = await preparedQuery<{ bank: string; loan_ref: string; patents: string[]; settled: boolean }>(m,
      `select l.bank, l.loan_ref, l.patents, l.settled
         from pledge_loans l join unnest($1::text[], $2::text[]) as k(bank, loan_ref)
           on l.bank = k.bank and l.loan_ref = k.loan_ref`,
      [loans.map((l) => l.bank), loans.map((l) => l.loanRef)],
    );
    return rows.map((r) => ({ bank: r.bank, loanRef: r.loan_ref, patents: r.patents, settled: r.settled }));
  }

  /**
   * Whether the pledge view holds every loan registered so far (`pledge_view_state`): false on a
   * registry upgraded with loans folded before trademark-only loans were kept.
   */
  async allLoansKnown(m: EntityManager): Promise<boolean> {
    const rows = await preparedQuery<{ all_loans_known: boolean }>(m, 'select all_loans_known from pledge_view_state', []);
    return rows[0]?.all_loans_known ?? true;
  }

  /**
   * Row-locks the listed patents among `numbers` (in number order, as every writer does), so a
   * lock or release never interleaves with a transfer or licence deciding on the same patent.
   */
  async lockPatents(m: EntityManager, numbers: readonly string[]): Promise<void> {
    if (numbers.length === 0) return;
    await preparedQuery(m, 'select number from patents where number = any($1::text[]) order by number for update', [[...numbers].sort()]);
  }

  /** Stores the loans' entries after the batch: `null` forgets the loan. */
  async saveLoans(m: EntityManager, loans: readonly { bank: string; loanRef: string; entry: LoanPledge | null }[]): Promise<void> {
    const kept = loans.flatMap((l) => (l.entry === null ? [] : [l.entry]));
    const forgotten = loans.filter((l) => l.entry === null);
    if (forgotten.length > 0) {
      await preparedQuery(m,
        `delete from pledge_loans l using unnest($1::text[], $2::text[]) as k(bank, loan_ref)
          where l.bank = k.bank and l.loan_ref = k.loan_ref`,
        [forgotten.map((l) => l.bank), forgotten.map((l) => l.loanRef)],
      );
    }
    if (kept.length > 0) {
      await preparedQuery(m,
        `insert into pledge_loans (bank, loan_ref, patents, settled)
         select r.bank, r.loan_ref, r.patents, r.settled
           from jsonb_to_recordset($1::jsonb) as r(bank text, loan_ref text, patents text[], settled boolean)
         on conflict (bank, loan_ref) do update set patents = excluded.patents, settled = excluded.settled, updated_at = now()`,
        [JSON.stringify(kept.map((l) => ({ bank: l.bank, loan_ref: l.loanRef, patents: l.patents, settled: l.settled })))],
      );
    }
  }

  /** Replaces the pledges held by the given loans with `locks`. */
  async replacePledges(
    m: EntityManager,
    loans: readonly { bank: string; loanRef: string }[],
    locks: readonly { number: string; bank: string; loanRef: string }[],
  ): Promise<void> {
    if (loans.length > 0) {
      await preparedQuery(m,
        `delete from patent_pledges p using unnest($1::text[], $2::text[]) as k(bank, loan_ref)
          where p.bank = k.bank and p.loan_ref = k.loan_ref`,
        [loans.map((l) => l.bank), loans.map((l) => l.loanRef)],
      );
    }
    if (locks.length > 0) {
      await preparedQuery(m,
        `insert into patent_pledges (number, bank, loan_ref)
         select * from unnest($1::text[], $2::text[], $3::text[]) on conflict do nothing`,
        [locks.map((l) => l.number), locks.map((l) => l.bank), locks.map((l) => l.loanRef)],
      );
    }
  }
}
