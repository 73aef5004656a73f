import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { monthOf, rangeSql } from '../common/range';
import { DeltaBag, type CounterDelta, type MemberDelta } from './deltas';

export interface CounterFilter {
  measures: readonly string[];
  regionFrom: string;
  regionTo: string;
  /** Only these breakdowns. */
  dims?: readonly string[];
}

export interface CounterSum {
  measure: string;
  /** `''` unless grouped by dim. */
  dim: string;
  /** 0 unless grouped by year. */
  year: number;
  n: bigint;
  amountFen: bigint;
}

/**
 * The generic fact tables (`counter_*`, `member_*`): one upsert per table for a whole batch, each
 * touched key once and in key order; reads sum a region range and a date range from the daily
 * rows and their monthly roll-ups.
 */
@Injectable()
export class CountersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async apply(manager: EntityManager, bag: DeltaBag): Promise<void> {
    const counters = bag.counterDeltas();
    if (counters.length > 0) {
      await this.upsertCounters(manager, 'counter_daily', counters);
      await this.upsertCounters(manager, 'counter_monthly', rollUp(counters));
    }
    const members = bag.memberDeltas();
    if (members.length > 0) {
      await this.upsertMembers(manager, 'member_daily', members);
      const monthly = new DeltaBag();
      for (const m of members) monthly.member({ ...m, day: monthOf(m.day) }, m.n);
      await this.upsertMembers(manager, 'member_monthly', monthly.memberDeltas());
    }
  }

  private async upsertCounters(manager: EntityManager, table: string, rows: CounterDelta[]): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `insert into ${table} as t (measure, region, dim, day, n, amount_fen)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::bigint[], $6::bigint[])
       on conflict (measure, region, day, dim) do update set n = t.n + excluded.n, amount_fen = t.amount_fen + excluded.amount_fen`,
      [rows.map((r) => r.measure), rows.map((r) => r.region), rows.map((r) => r.dim), rows.map((r) => r.day),
        rows.map((r) => r.n), rows.map((r) => r.amountFen.toString())],
    );
  }

  /** Keeps exact member sets; a member whose count drops to zero leaves the set (its row is deleted). */
  private async upsertMembers(manager: EntityManager, table: string, rows: MemberDelta[]): Promise<void> {
    if (rows.length === 0) return;
    const keys = [rows.map((r) => r.measure), rows.map((r) => r.region), rows.map((r) => r.dim), rows.map((r) => r.day), rows.map((r) => r.member)];
    await manager.query(
      `insert into ${table} as t (measure, region, dim, day, member, n)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[], $6::int[])
       on conflict (measure, region, day, dim, member) do update set n = t.n + excluded.n`,
      [...keys, rows.map((r) => r.n)],
    );
    if (rows.some((r) => r.n < 0)) {
      await manager.query(
        `delete from ${table} t using unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[]) as k(measure, region, dim, day, member)
          where t.measure = k.measure and t.region = k.region and t.day = k.day and t.dim = k.dim and t.member = k.member and t.n <= 0`,
        keys,
      );
    }
  }

  /** Σ n and Σ amount per measure (and dim / year when asked) over `from`…`to`, inclusive. */
  async sum(filter: CounterFilter, from: string, to: string, by: { dim?: boolean; year?: boolean } = {}): Promise<CounterSum[]> {
    const params: unknown[] = [filter.measures, filter.regionFrom, filter.regionTo];
    let where = 'measure = any($1::text[]) and region between $2 and $3';
    if (filter.dims) where += ` and dim = any($${params.push(filter.dims)}::text[])`;
    const source = rangeSql({ daily: 'counter_daily', monthly: 'counter_monthly', columns: 'measure, dim, day, n, amount_fen', where, from, to, params });
    const dim = by.dim ? 'dim' : `''`;
    const year = by.year ? 'extract(year from day)::int' : '0';
    const rows: { measure: string; dim: string; year: number; n: string; amount_fen: string }[] = await this.dataSource.query(
      `select measure, ${dim} as dim, ${year} as year, sum(n)::text as n, sum(amount_fen)::text as amount_fen
         from ${source} f group by 1, 2, 3`,
      params,
    );
    return rows.map((r) => ({ measure: r.measure, dim: r.dim, year: Number(r.year), n: BigInt(r.n), amountFen: BigInt(r.amount_fen) }));
  }

  /** Distinct members of a measure's sets over `from`…`to`, per dim (and year when asked). */
  async distinctMembers(
    filter: Omit<CounterFilter, 'measures'> & { measure: string },
    from: string,
    to: string,
    by: { year?: boolean } = {},
  ): Promise<{ dim: string; year: number; n: number }[]> {
    const params: unknown[] = [filter.measure, filter.regionFrom, filter.regionTo];
    let where = 'measure = $1 and region between $2 and $3 and n > 0';
    if (filter.dims) where += ` and dim = any($${params.push(filter.dims)}::text[])`;
    const source = rangeSql({ daily: 'member_daily', monthly: 'member_monthly', columns: 'dim, day, member', where, from, to, params });
    const year = by.year ? 'extract(year from day)::int' : '0';
    const rows: { dim: string; year: number; n: string }[] = await this.dataSource.query(
      `select dim, ${year} as year, count(distinct member)::text as n from ${source} f group by 1, 2`,
      params,
    );
    return rows.map((r) => ({ dim: r.dim, year: Number(r.year), n: Number(r.n) }));
  }
}

/** The same changes keyed by month. */
function rollUp(rows: readonly CounterDelta[]): CounterDelta[] {
  const bag = new DeltaBag();
  for (const r of rows) bag.count({ ...r, day: monthOf(r.day) }, r.n, r.amountFen);
  return bag.counterDeltas();
}

/** Picks one measure's total out of `sum` rows (0 when absent). */
export function pick(rows: readonly CounterSum[], measure: string, dim?: string, year?: number): { n: bigint; amountFen: bigint } {
  let n = 0n;
  let amountFen = 0n;
  for (const r of rows) {
    if (r.measure !== measure || (dim !== undefined && r.dim !== dim) || (year !== undefined && r.year !== year)) continue;
    n += r.n;
    amountFen += r.amountFen;
  }
  return { n, amountFen };
}
