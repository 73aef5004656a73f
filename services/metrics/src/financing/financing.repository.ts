import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { monthOf, rangeSql } from '../common/range';
import type { BorrowerDelta, FactDelta, FactKey, LoanDimension } from './financing-fold';

/** Row of summed facts as the queries return them (bigint sums arrive as strings from pg). */
export interface FactSums {
  loans: string;
  inclusive_loans: string;
  contracted_fen: string;
  disbursed_fen: string;
  repaid_fen: string;
  loss_fen: string;
  defaults: string;
  patent_fen: string;
  trademark_fen: string;
}

export interface FactFilter {
  regionFrom: string;
  regionTo: string;
  bank?: string;
}

const SUMS = `
  coalesce(sum(loans), 0) as loans, coalesce(sum(inclusive_loans), 0) as inclusive_loans,
  coalesce(sum(contracted_fen), 0) as contracted_fen, coalesce(sum(disbursed_fen), 0) as disbursed_fen,
  coalesce(sum(repaid_fen), 0) as repaid_fen, coalesce(sum(loss_fen), 0) as loss_fen,
  coalesce(sum(defaults), 0) as defaults,
  coalesce(sum(contracted_fen) filter (where right_kind = 'patent'), 0) as patent_fen,
  coalesce(sum(contracted_fen) filter (where right_kind = 'trademark'), 0) as trademark_fen`;

const FACT_COLUMNS =
  'day, region, bank, right_kind, borrower_size, loans, inclusive_loans, contracted_fen, disbursed_fen, repaid_fen, loss_fen, defaults';

type Fact = { key: FactKey; delta: FactDelta };

const factOrder = (a: Fact, b: Fact): number =>
  cmp(a.key.region, b.key.region) || cmp(a.key.day, b.key.day) || cmp(a.key.bank, b.key.bank) ||
  cmp(a.key.rightKind, b.key.rightKind) || cmp(a.key.borrowerSize, b.key.borrowerSize);
const borrowerOrder = (a: BorrowerDelta, b: BorrowerDelta): number =>
  cmp(a.region, b.region) || cmp(a.day, b.day) || cmp(a.bank, b.bank) || cmp(a.rightKind, b.rightKind) ||
  cmp(a.borrowerSize, b.borrowerSize) || cmp(a.borrowerUscc, b.borrowerUscc);
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The financing facts: per day × region × bank × right kind × borrower size (and the exact SME
 * borrower sets behind them), each written to its daily table and its monthly roll-up. Writes
 * are one statement per table per batch, rows in key order so concurrent batches lock alike.
 */
@Injectable()
export class FinancingRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async loadDimensions(manager: EntityManager, ids: { bank: string; loanRef: string }[]): Promise<LoanDimension[]> {
    if (ids.length === 0) return [];
    const rows: Record<string, unknown>[] = await manager.query(
      `select d.bank, d.loan_ref, d.borrower_uscc, d.borrower_size, d.region, d.registered_on::text as registered_on,
              d.principal_fen::text as principal_fen, d.right_kind, d.inclusive, d.agency_id, d.live
         from loan_dim d join unnest($1::text[], $2::text[]) as k(bank, loan_ref)
         on d.bank = k.bank and d.loan_ref = k.loan_ref`,
      [ids.map((i) => i.bank), ids.map((i) => i.loanRef)],
    );
    return rows.map((r) => ({
      bank: r.bank as string, loanRef: r.loan_ref as string, borrowerUscc: r.borrower_uscc as string,
      borrowerSize: r.borrower_size as LoanDimension['borrowerSize'], region: r.region as string,
      registeredOn: r.registered_on as string, principalFen: BigInt(r.principal_fen as string),
      rightKind: r.right_kind as LoanDimension['rightKind'], inclusive: r.inclusive as boolean,
      agencyId: (r.agency_id as string | null) ?? null, live: r.live as boolean,
    }));
  }

  async upsertDimensions(manager: EntityManager, dims: LoanDimension[]): Promise<void> {
    if (dims.length === 0) return;
    await manager.query(
      `insert into loan_dim (bank, loan_ref, borrower_uscc, borrower_size, region, registered_on, principal_fen,
                             right_kind, inclusive, agency_id, live)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::bigint[],
                            $8::text[], $9::boolean[], $10::text[], $11::boolean[])
       on conflict (bank, loan_ref) do update set
         borrower_uscc = excluded.borrower_uscc, borrower_size = excluded.borrower_size, region = excluded.region,
         registered_on = excluded.registered_on, principal_fen = excluded.principal_fen, right_kind = excluded.right_kind,
         inclusive = excluded.inclusive, agency_id = excluded.agency_id, live = excluded.live`,
      [
        dims.map((d) => d.bank), dims.map((d) => d.loanRef), dims.map((d) => d.borrowerUscc),
        dims.map((d) => d.borrowerSize), dims.map((d) => d.region), dims.map((d) => d.registeredOn),
        dims.map((d) => d.principalFen.toString()), dims.map((d) => d.rightKind), dims.map((d) => d.inclusive),
        dims.map((d) => d.agencyId), dims.map((d) => d.live),
      ],
    );
  }

  /** One upsert for every touched fact key of the batch, in the daily table and the monthly roll-up. */
  async addFacts(manager: EntityManager, facts: Fact[]): Promise<void> {
    if (facts.length === 0) return;
    await this.upsertFacts(manager, 'financing_daily', [...facts].sort(factOrder));
    const monthly = new Map<string, Fact>();
    for (const f of facts) {
      const key = { ...f.key, day: monthOf(f.key.day) };
      const id = `${key.day}|${key.region}|${key.bank}|${key.rightKind}|${key.borrowerSize}`;
      const entry = monthly.get(id) ?? { key, delta: { loans: 0, inclusiveLoans: 0, contractedFen: 0n, disbursedFen: 0n, repaidFen: 0n, lossFen: 0n, defaults: 0 } };
      entry.delta.loans += f.delta.loans;
      entry.delta.inclusiveLoans += f.delta.inclusiveLoans;
      entry.delta.defaults += f.delta.defaults;
      entry.delta.contractedFen += f.delta.contractedFen;
      entry.delta.disbursedFen += f.delta.disbursedFen;
      entry.delta.repaidFen += f.delta.repaidFen;
      entry.delta.lossFen += f.delta.lossFen;
      monthly.set(id, entry);
    }
    await this.upsertFacts(manager, 'financing_monthly', [...monthly.values()].sort(factOrder));
  }

  private async upsertFacts(manager: EntityManager, table: string, facts: Fact[]): Promise<void> {
    const col = <T>(f: (x: Fact) => T): T[] => facts.map(f);
    await manager.query(
      `insert into ${table} as t (${FACT_COLUMNS})
       select * from unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[],
                            $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::int[])
       on conflict (region, day, bank, right_kind, borrower_size) do update set
         loans = t.loans + excluded.loans, inclusive_loans = t.inclusive_loans + excluded.inclusive_loans,
         contracted_fen = t.contracted_fen + excluded.contracted_fen, disbursed_fen = t.disbursed_fen + excluded.disbursed_fen,
         repaid_fen = t.repaid_fen + excluded.repaid_fen, loss_fen = t.loss_fen + excluded.loss_fen,
         defaults = t.defaults + excluded.defaults`,
      [
        col((f) => f.key.day), col((f) => f.key.region), col((f) => f.key.bank), col((f) => f.key.rightKind),
        col((f) => f.key.borrowerSize), col((f) => f.delta.loans), col((f) => f.delta.inclusiveLoans),
        col((f) => f.delta.contractedFen.toString()), col((f) => f.delta.disbursedFen.toString()),
        col((f) => f.delta.repaidFen.toString()), col((f) => f.delta.lossFen.toString()), col((f) => f.delta.defaults),
      ],
    );
  }

  /** Keeps the exact set of SME borrowers per key (daily and monthly); rows whose count drops to zero are removed. */
  async addBorrowers(manager: EntityManager, borrowers: BorrowerDelta[]): Promise<void> {
    const daily = borrowers.filter((b) => b.loans !== 0);
    if (daily.length === 0) return;
    await this.upsertBorrowers(manager, 'financing_borrowers', [...daily].sort(borrowerOrder));
    const monthly = new Map<string, BorrowerDelta>();
    for (const b of daily) {
      const m = { ...b, day: monthOf(b.day) };
      const id = `${m.day}|${m.region}|${m.bank}|${m.rightKind}|${m.borrowerSize}|${m.borrowerUscc}`;
      const entry = monthly.get(id) ?? { ...m, loans: 0 };
      entry.loans += b.loans;
      monthly.set(id, entry);
    }
    await this.upsertBorrowers(manager, 'financing_borrowers_monthly', [...monthly.values()].filter((b) => b.loans !== 0).sort(borrowerOrder));
  }

  private async upsertBorrowers(manager: EntityManager, table: string, rows: BorrowerDelta[]): Promise<void> {
    if (rows.length === 0) return;
    const col = <T>(f: (b: BorrowerDelta) => T): T[] => rows.map(f);
    const keys = [col((b) => b.day), col((b) => b.region), col((b) => b.bank), col((b) => b.rightKind), col((b) => b.borrowerSize), col((b) => b.borrowerUscc)];
    await manager.query(
      `insert into ${table} as t (day, region, bank, right_kind, borrower_size, borrower_uscc, loans)
       select * from unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[])
       on conflict (region, day, bank, right_kind, borrower_size, borrower_uscc) do update set loans = t.loans + excluded.loans`,
      [...keys, col((b) => b.loans)],
    );
    if (rows.some((b) => b.loans < 0)) {
      // Only the keys this batch lowered: never a scan of the whole set.
      await manager.query(
        `delete from ${table} t
          using unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) as k(day, region, bank, right_kind, borrower_size, borrower_uscc)
          where t.region = k.region and t.day = k.day and t.bank = k.bank and t.right_kind = k.right_kind
            and t.borrower_size = k.borrower_size and t.borrower_uscc = k.borrower_uscc and t.loans <= 0`,
        keys,
      );
    }
  }

  /** Sums of facts between two days, grouped by the given expression (or not at all). */
  async sumFacts(filter: FactFilter, from: string, to: string, groupBy?: string): Promise<(FactSums & { key: string | null })[]> {
    const params: unknown[] = [filter.regionFrom, filter.regionTo];
    const where = `region between $1 and $2${filter.bank ? ` and bank = $${params.push(filter.bank)}` : ''}`;
    const source = rangeSql({ daily: 'financing_daily', monthly: 'financing_monthly', columns: FACT_COLUMNS, where, from, to, params });
    const keyExpr = groupBy ?? 'null::text';
    return this.dataSource.query(
      `select ${keyExpr} as key, ${SUMS} from ${source} f ${groupBy ? `group by ${keyExpr}` : ''}`,
      params,
    );
  }

  /** Distinct SME borrowers between two days, grouped like sumFacts. */
  async distinctBorrowers(filter: FactFilter, from: string, to: string, groupBy?: string): Promise<{ key: string | null; n: string }[]> {
    const params: unknown[] = [filter.regionFrom, filter.regionTo];
    const where = `region between $1 and $2 and loans > 0${filter.bank ? ` and bank = $${params.push(filter.bank)}` : ''}`;
    const source = rangeSql({
      daily: 'financing_borrowers', monthly: 'financing_borrowers_monthly',
      columns: 'day, region, bank, right_kind, borrower_size, borrower_uscc', where, from, to, params,
    });
    const keyExpr = groupBy ?? 'null::text';
    return this.dataSource.query(
      `select ${keyExpr} as key, count(distinct borrower_uscc) as n from ${source} f ${groupBy ? `group by ${keyExpr}` : ''}`,
      params,
    );
  }
}
