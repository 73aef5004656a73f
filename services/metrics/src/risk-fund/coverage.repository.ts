import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { preparedQuery } from '@ipfin/messaging';

/** A loan's coverage by a risk-compensation fund, as the latest `LoanCovered` said. */
export interface LoanCoverage {
  bank: string;
  loanRef: string;
  fundRegion: string | null;
  covered: boolean;
  principalFen: bigint;
  registeredOn: string | null;
}

export interface LoanLoss {
  day: string;
  lossFen: bigint;
}

export const coverageId = (bank: string, loanRef: string): string => `${bank}:${loanRef}`;

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Where `ipfin.loans.v1` (losses) and `ipfin.risk.v1` (coverage) meet. The covered-loss facts need
 * both, and the two topics are folded by different consumers in different transactions; each
 * consumer therefore first locks the loans' coverage rows (`lock`) and only then reads the other
 * side, so whichever commits second sees what the first wrote and nothing is counted twice or
 * lost. Rows are locked in key order, so two batches never wait for each other in a cycle.
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
    const rows: { bank: string; loan_ref: string; fund_region: string | null; covered: boolean; principal_fen: string; registered_on: string | null }[] =
      await preparedQuery(manager,
        `select c.bank, c.loan_ref, c.fund_region, c.covered, c.principal_fen::text as principal_fen, c.registered_on::text as registered_on
           from loan_coverage c join unnest($1::text[], $2::text[]) as k(bank, loan_ref) on c.bank = k.bank and c.loan_ref = k.loan_ref
          order by c.bank, c.loan_ref
          for update of c`,
        [banks, refs],
      );
    return new Map(rows.map((r) => [coverageId(r.bank, r.loan_ref), {
      bank: r.bank, loanRef: r.loan_ref, fundRegion: r.fund_region, covered: r.covered,
      principalFen: BigInt(r.principal_fen), registeredOn: r.registered_on,
    }]));
  }

  async save(manager: EntityManager, rows: readonly LoanCoverage[]): Promise<void> {
    if (rows.length === 0) return;
    await preparedQuery(manager,
      `update loan_coverage c set fund_region = k.fund_region, covered = k.covered, principal_fen = k.principal_fen, registered_on = k.registered_on
         from unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::bigint[], $6::date[])
           as k(bank, loan_ref, fund_region, covered, principal_fen, registered_on)
        where c.bank = k.bank and c.loan_ref = k.loan_ref`,
      [rows.map((r) => r.bank), rows.map((r) => r.loanRef), rows.map((r) => r.fundRegion), rows.map((r) => r.covered),
        rows.map((r) => r.principalFen.toString()), rows.map((r) => r.registeredOn)],
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

  /** Adds loss changes per loan and day (call after `lock`); rows back at zero are removed. */
  async addLosses(manager: EntityManager, deltas: readonly { bank: string; loanRef: string; day: string; lossFen: bigint }[]): Promise<void> {
    const rows = deltas.filter((d) => d.lossFen !== 0n)
      .sort((a, b) => cmp(a.bank, b.bank) || cmp(a.loanRef, b.loanRef) || cmp(a.day, b.day));
    if (rows.length === 0) return;
    const keys = [rows.map((r) => r.bank), rows.map((r) => r.loanRef), rows.map((r) => r.day)];
    await preparedQuery(manager,
      `insert into loan_loss as t (bank, loan_ref, day, loss_fen)
       select * from unnest($1::text[], $2::text[], $3::date[], $4::bigint[])
       on conflict (bank, loan_ref, day) do update set loss_fen = t.loss_fen + excluded.loss_fen`,
      [...keys, rows.map((r) => r.lossFen.toString())],
    );
    await preparedQuery(manager,
      `delete from loan_loss t using unnest($1::text[], $2::text[], $3::date[]) as k(bank, loan_ref, day)
        where t.bank = k.bank and t.loan_ref = k.loan_ref and t.day = k.day and t.loss_fen = 0`,
      keys,
    );
  }
}
