import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { preparedQuery } from '@ipfin/messaging';
import type { LoanDefaultDay } from '../financing/financing-fold';

/** What one fund counts of a loan it covers: the principal and registration day its `LoanCovered` said. */
export interface FundCoverage {
  principalFen: bigint;
  registeredOn: string;
}

/**
 * A loan's coverage, per fund. Each fund's `LoanCovered` events arrive in order on that fund's key
 * (events.md: order per key only), so each fund's latest event decides only that fund's entry:
 * `coveredBy` holds the funds whose latest event said `covered: true`. A loan moved by a policy
 * change (`{OLD, covered:false}` then `{NEW, covered:true}`, on two keys and possibly two
 * partitions) thus ends covered by NEW alone whichever partition is folded first.
 */
export interface LoanCoverage {
  bank: string;
  loanRef: string;
  /** Fund region → what it counts; funds whose latest event said `covered: false` are absent. */
  coveredBy: ReadonlyMap<string, FundCoverage>;
}

export interface LoanLoss {
  day: string;
  lossFen: bigint;
}

export const coverageId = (bank: string, loanRef: string): string => `${bank}:${loanRef}`;

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

type CoveredByJson = Record<string, { principalFen: string; registeredOn: string }>;

const fromJson = (json: CoveredByJson | null): Map<string, FundCoverage> =>
  new Map(Object.entries(json ?? {}).map(([fund, c]) => [fund, { principalFen: BigInt(c.principalFen), registeredOn: c.registeredOn }]));

const toJson = (coveredBy: ReadonlyMap<string, FundCoverage>): string =>
  JSON.stringify(Object.fromEntries([...coveredBy].sort(([a], [b]) => cmp(a, b))
    .map(([fund, c]) => [fund, { principalFen: c.principalFen.toString(), registeredOn: c.registeredOn }])));

/**
 * Where `ipfin.loans.v1` (losses) and `ipfin.risk.v1` (coverage) meet. The covered-loss facts need
 * both, and the two topics are folded by different consumers in different transactions; each
 * consumer therefore first locks the loans' coverage rows (`lock`) and only then reads the other
 * side, so whichever commits second sees what the first wrote and nothing is counted twice or
 * lost. Rows are locked in key order, so two batches never wait for each other in a cycle.
 * The per-fund coverage lives in the locked row itself (`covered_by`, a small jsonb: one entry
 * per covering fund): a row read after waiting for its lock is re-read at its newest version,
 * which rows of another table joined in the same statement would not be.
 */
@Injectable()
export class CoverageRepository {
  /** Makes sure a row exists for every loan, locks them all, and returns the coverage. */
  async lock(manager: EntityManager, loans: readonly { bank: string; loanRef: string }[]): Promise<Map<string, LoanCoverage>> {
    const unique = [...new Map(loans.map((l) => [coverageId(l.bank, l.loanRef), l])).values()]
      .sort((a, b) => cmp(a.bank, b.bank) || cmp(a.loanRef, b.loanRef));
    if (unique.length === 0) return new Map();
    const banks = unique.map((l) => l.bank);
    const refs = unique.map((l) => l.loanRef);
    await preparedQuery(manager,
      `insert into loan_coverage (bank, loan_ref) select * from unnest($1::text[], $2::text[]) on conflict do nothing`,
      [banks, refs],
    );
    const rows: { bank: string; loan_ref: string; covered_by: CoveredByJson | null }[] = await preparedQuery(manager,
      `select c.bank, c.loan_ref, c.covered_by
         from loan_coverage c join unnest($1::text[], $2::text[]) as k(bank, loan_ref) on c.bank = k.bank and c.loan_ref = k.loan_ref
        order by c.bank, c.loan_ref
          for update of c`,
      [banks, refs],
    );
    return new Map(rows.map((r) => [coverageId(r.bank, r.loan_ref), { bank: r.bank, loanRef: r.loan_ref, coveredBy: fromJson(r.covered_by) }]));
  }

  async save(manager: EntityManager, rows: readonly LoanCoverage[]): Promise<void> {
    if (rows.length === 0) return;
    await preparedQuery(manager,
      `update loan_coverage c set covered_by = k.covered_by
         from unnest($1::text[], $2::text[], $3::jsonb[]) as k(bank, loan_ref, covered_by)
        where c.bank = k.bank and c.loan_ref = k.loan_ref`,
      [rows.map((r) => r.bank), rows.map((r) => r.loanRef), rows.map((r) => toJson(r.coveredBy))],
    );
  }

  /** The principal losses of the loans by day (call after `lock`). */
  async losses(manager: EntityManager, loans: readonly { bank: string; loanRef: string }[]): Promise<Map<string, LoanLoss[]>> {
    if (loans.length === 0) return new Map();
    const rows: { bank: string; loan_ref: string; day: string; loss_fen: string }[] = await preparedQuery(manager,
      `select l.bank, l.loan_ref, l.day::text as day, l.loss_fen::text as loss_fen
         from loan_loss l join unnest($1::text[], $2::text[]) as k(bank, loan_ref) on l.bank = k.bank and l.loan_ref = k.loan_ref
        order by l.bank, l.loan_ref, l.day`,
      [loans.map((l) => l.bank), loans.map((l) => l.loanRef)],
    );
    const out = new Map<string, LoanLoss[]>();
    for (const r of rows) {
      const id = coverageId(r.bank, r.loan_ref);
      out.set(id, [...(out.get(id) ?? []), { day: r.day, lossFen: BigInt(r.loss_fen) }]);
    }
    return out;
  }

  /**
   * Adds loss and default-count changes per loan and day (call after `lock`); rows back at zero
   * are removed. Returns, from the same statement, every stored day of those loans as it was
   * before: the loans consumer derives each loan's default day from it (`addDefaultedLoans`). Only
   * the consumer of a loan's partition writes its rows, and this statement starts after the lock,
   * so what it reads is the loan's latest state.
   */
  async addLosses(
    manager: EntityManager, deltas: readonly { bank: string; loanRef: string; day: string; lossFen: bigint; defaults: number }[],
  ): Promise<Map<string, LoanDefaultDay[]>> {
    const rows = deltas.filter((d) => d.lossFen !== 0n || d.defaults !== 0)
      .sort((a, b) => cmp(a.bank, b.bank) || cmp(a.loanRef, b.loanRef) || cmp(a.day, b.day));
    const out = new Map<string, LoanDefaultDay[]>();
    if (rows.length === 0) return out;
    const keys = [rows.map((r) => r.bank), rows.map((r) => r.loanRef), rows.map((r) => r.day)];
    // The CTE `before` reads the statement's snapshot: the rows as they were before `up` wrote.
    const stored: { bank: string; loan_ref: string; day: string; loss_fen: string; defaults: number }[] = await preparedQuery(manager,
      `with before as (
         select l.bank, l.loan_ref, l.day::text as day, l.loss_fen::text as loss_fen, l.defaults
           from loan_loss l join (select distinct * from unnest($1::text[], $2::text[])) as k(bank, loan_ref)
             on l.bank = k.bank and l.loan_ref = k.loan_ref),
       up as (
         insert into loan_loss as t (bank, loan_ref, day, loss_fen, defaults)
         select * from unnest($1::text[], $2::text[], $3::date[], $4::bigint[], $5::int[])
         on conflict (bank, loan_ref, day) do update set loss_fen = t.loss_fen + excluded.loss_fen, defaults = t.defaults + excluded.defaults)
       select * from before order by bank, loan_ref, day`,
      [...keys, rows.map((r) => r.lossFen.toString()), rows.map((r) => r.defaults)],
    );
    await preparedQuery(manager,
      `delete from loan_loss t using unnest($1::text[], $2::text[], $3::date[]) as k(bank, loan_ref, day)
        where t.bank = k.bank and t.loan_ref = k.loan_ref and t.day = k.day and t.loss_fen = 0 and t.defaults = 0`,
      keys,
    );
    for (const r of stored) {
      const id = coverageId(r.bank, r.loan_ref);
      out.set(id, [...(out.get(id) ?? []), { day: r.day, lossFen: BigInt(r.loss_fen), defaults: Number(r.defaults) }]);
    }
    return out;
  }
}
