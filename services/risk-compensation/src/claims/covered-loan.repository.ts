import { preparedQuery } from '@ipfin/messaging';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { CoveredLoan } from './domain/covered-loan';
import { coveredLoanFromJson, coveredLoanToJson, loanKey, type CoveredLoanJson } from './covered-loan.codec';

export interface LoanId {
  readonly bank: string;
  readonly loanRef: string;
}

/** Which loans a policy change may concern: registered in the period, and in the region or with the banks. */
export interface ReassessmentScope {
  /** Borrower regions `regionFrom … regionTo` (the fund region and every region below it). */
  readonly regionFrom: string;
  readonly regionTo: string;
  /** The fund region: loans it judged so far. */
  readonly fundRegion: string;
  /** Cooperating banks of the versions involved (their loans outside the region may change fund). */
  readonly banks: readonly string[];
  readonly registeredFrom: string;
  /** Inclusive; null = open-ended. */
  readonly registeredTo: string | null;
  /**
   * The fund's first version: its region's borrowers registered on any date too. Until a fund has
   * a version, a loan in its region judged under no policy in force belongs to an enclosing fund
   * (or none); from then on to it (`no-policy`, README "Coverage"), whatever the period.
   */
  readonly anyDateInRegion: boolean;
}

/** SQL of `covered_loans`, the coverage view: one statement per batch for reads and for writes. */
@Injectable()
export class CoveredLoanRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The views of the named loans that exist, keyed by `loanKey`. */
  async load(m: EntityManager, ids: readonly LoanId[]): Promise<Map<string, CoveredLoan>> {
    if (ids.length === 0) return new Map();
    const rows: { view: CoveredLoanJson }[] = await preparedQuery(m,
      `select l.view from covered_loans l
         join unnest($1::text[], $2::text[]) as k(bank, loan_ref) on l.bank = k.bank and l.loan_ref = k.loan_ref`,
      [ids.map((i) => i.bank), ids.map((i) => i.loanRef)],
    );
    return new Map(rows.map((r) => [loanKey(r.view.bank, r.view.loanRef), coveredLoanFromJson(r.view)]));
  }

  async find(bank: string, loanRef: string, m: EntityManager | DataSource = this.dataSource): Promise<CoveredLoan | null> {
    const rows: { view: CoveredLoanJson }[] = await preparedQuery(m,
      'select view from covered_loans where bank = $1 and loan_ref = $2',
      [bank, loanRef],
    );
    return rows.length === 0 ? null : coveredLoanFromJson(rows[0].view);
  }

  /** Inserts or replaces the views, one statement. */
  async save(m: EntityManager, loans: readonly CoveredLoan[]): Promise<void> {
    if (loans.length === 0) return;
    const rows = loans.map((l) => ({
      bank: l.bank,
      loan_ref: l.loanRef,
      fund_region: l.region,
      covered: l.covered,
      policy_version: l.policyVersion ?? null,
      borrower_region: l.borrower.regionCode,
      registered_on: l.registeredOn,
      status: l.status,
      view: coveredLoanToJson(l),
    }));
    await preparedQuery(m,
      `insert into covered_loans (bank, loan_ref, fund_region, covered, policy_version, borrower_region, registered_on, status, view)
       select bank, loan_ref, fund_region, covered, policy_version, borrower_region, registered_on, status, view
         from jsonb_to_recordset($1::jsonb) as r(bank text, loan_ref text, fund_region text, covered boolean,
              policy_version date, borrower_region text, registered_on date, status text, view jsonb)
       on conflict (bank, loan_ref) do update set
         fund_region = excluded.fund_region, covered = excluded.covered, policy_version = excluded.policy_version,
         borrower_region = excluded.borrower_region, registered_on = excluded.registered_on, status = excluded.status,
         view = excluded.view, updated_at = now()`,
      [JSON.stringify(rows)],
    );
  }

  /** Forgets loans whose registration was reversed, one statement. */
  async remove(m: EntityManager, ids: readonly LoanId[]): Promise<void> {
    if (ids.length === 0) return;
    await preparedQuery(m,
      `delete from covered_loans l using unnest($1::text[], $2::text[]) as k(bank, loan_ref)
        where l.bank = k.bank and l.loan_ref = k.loan_ref`,
      [ids.map((i) => i.bank), ids.map((i) => i.loanRef)],
    );
  }

  /**
   * Loans a policy change may re-judge, without those whose claim is approved or paid (its terms
   * were fixed at approval), locked for update.
   */
  async forReassessment(m: EntityManager, scope: ReassessmentScope): Promise<CoveredLoan[]> {
    const rows: { view: CoveredLoanJson }[] = await preparedQuery(m,
      `select l.view from covered_loans l
        where ((l.registered_on >= $1 and ($2::date is null or l.registered_on <= $2::date)
                and (l.borrower_region between $3 and $4 or l.fund_region = $5 or l.bank = any($6::text[])))
               or ($7 and l.borrower_region between $3 and $4))
          and not exists (select 1 from claims c
                           where c.bank = l.bank and c.loan_ref = l.loan_ref and c.status in ('waiting', 'paid'))
        order by l.bank, l.loan_ref
        for update of l`,
      [scope.registeredFrom, scope.registeredTo, scope.regionFrom, scope.regionTo, scope.fundRegion, [...scope.banks], scope.anyDateInRegion],
    );
    return rows.map((r) => coveredLoanFromJson(r.view));
  }
}
