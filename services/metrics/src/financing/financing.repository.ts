import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
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

/** Dimension columns a query may group by, mapped from the API's `groupBy`. */
export type GroupColumn = 'bank' | 'right_kind' | 'region' | 'borrower_size';

@Injectable()
export class FinancingRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async loadDimensions(manager: EntityManager, ids: { bank: string; loanRef: string }[]): Promise<LoanDimension[]> {
    if (ids.length === 0) return [];
    const rows: Record<string, unknown>[] = await manager.query(
      `select d.* from loan_dim d join unnest($1::text[], $2::text[]) as k(bank, loan_ref)
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

  /** One upsert for every touched fact key of the batch. */
  async addFacts(manager: EntityManager, facts: { key: FactKey; delta: FactDelta }[]): Promise<void> {
    if (facts.length === 0) return;
    const col = <T>(f: (x: { key: FactKey; delta: FactDelta }) => T): T[] => facts.map(f);
    await manager.query(
      `insert into financing_daily as t (day, region, bank, right_kind, borrower_size, loans, inclusive_loans,
                                         contracted_fen, disbursed_fen, repaid_fen, loss_fen, defaults)
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

  /** Keeps the exact set of SME borrowers per key; rows whose count drops to zero are removed. */
  async addBorrowers(manager: EntityManager, borrowers: BorrowerDelta[]): Promise<void> {
    if (borrowers.length === 0) return;
    const col = <T>(f: (b: BorrowerDelta) => T): T[] => borrowers.map(f);
    await manager.query(
      `insert into financing_borrowers as t (day, region, bank, right_kind, borrower_size, borrower_uscc, loans)
       select * from unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[])
       on conflict (region, day, bank, right_kind, borrower_size, borrower_uscc) do update set loans = t.loans + excluded.loans`,
      [col((b) => b.day), col((b) => b.region), col((b) => b.bank), col((b) => b.rightKind), col((b) => b.borrowerSize),
        col((b) => b.borrowerUscc), col((b) => b.loans)],
    );
    await manager.query('delete from financing_borrowers where loans <= 0');
  }

  /** Sums of facts between two days, grouped by the given expression (or not at all). */
  async sumFacts(filter: FactFilter, from: string, to: string, groupBy?: string): Promise<(FactSums & { key: string | null })[]> {
    const params: unknown[] = [filter.regionFrom, filter.regionTo, from, to];
    const bankClause = filter.bank ? `and bank = $${params.push(filter.bank)}` : '';
    const keyExpr = groupBy ?? 'null::text';
    return this.dataSource.query(
      `select ${keyExpr} as key, ${SUMS} from financing_daily
        where region between $1 and $2 and day between $3 and $4 ${bankClause}
        ${groupBy ? `group by ${keyExpr}` : ''}`,
      params,
    );
  }

  /** Distinct SME borrowers between two days, grouped like sumFacts. */
  async distinctBorrowers(filter: FactFilter, from: string, to: string, groupBy?: string): Promise<{ key: string | null; n: string }[]> {
    const params: unknown[] = [filter.regionFrom, filter.regionTo, from, to];
    const bankClause = filter.bank ? `and bank = $${params.push(filter.bank)}` : '';
    const keyExpr = groupBy ?? 'null::text';
    return this.dataSource.query(
      `select ${keyExpr} as key, count(distinct borrower_uscc) as n from financing_borrowers
        where region between $1 and $2 and day between $3 and $4 and loans > 0 ${bankClause}
        ${groupBy ? `group by ${keyExpr}` : ''}`,
      params,
    );
  }

  async projectionState(name: string): Promise<{ asOf: string | null }> {
    const rows: { as_of: Date | null }[] = await this.dataSource.query('select as_of from projection_state where name = $1', [name]);
    return { asOf: rows[0]?.as_of ? rows[0].as_of.toISOString() : null };
  }

  async advanceProjectionState(manager: EntityManager, name: string, asOf: Date, events: number): Promise<void> {
    await manager.query(
      `insert into projection_state (name, as_of, events) values ($1, $2, $3)
       on conflict (name) do update set as_of = greatest(projection_state.as_of, excluded.as_of),
                                        events = projection_state.events + excluded.events`,
      [name, asOf, events],
    );
  }
}
