import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { preparedQuery } from '@ipfin/messaging';
import { DataSource } from 'typeorm';
import { asOfFromMillis, asOfSql, versionGate, versionSql } from '../common/projection-state.repository';
import type { WriteBatch } from '../common/write-batch';
import type { ProjectionName } from '../projections';
import { monthOf, periodEnd, rangeSql, rollUpRegions, singleBucket, yearOf } from '../common/range';
import { DeltaBag, type CounterDelta, type MemberDelta } from './deltas';

/** Σ n and Σ amount per measure (and dim / year when asked) over `from`…`to`, inclusive. */
export interface SumRead {
  kind: 'sum';
  measures: readonly string[];
  /** One region key (`regionKey`): a county's code or a roll-up key. */
  region: string;
  /** Only these breakdowns. */
  dims?: readonly string[];
  from: string;
  to: string;
  by?: { dim?: boolean; year?: boolean };
}

/** Distinct members of a measure's sets over `from`…`to`, per dim (and per calendar year when asked). */
export interface DistinctRead {
  kind: 'distinct';
  measure: string;
  region: string;
  dims?: readonly string[];
  from: string;
  to: string;
  by?: { year?: boolean };
}

export type CounterRead = SumRead | DistinctRead;

/** A column of `columnsPerDim`: Σ n or Σ amount (fen) of one measure. */
export interface PerDimColumn {
  measure: string;
  of: 'n' | 'amountFen';
}

export interface CounterSum {
  measure: string;
  /** `''` unless grouped by dim (distinct counts: always per dim). */
  dim: string;
  /** 0 unless grouped by year. */
  year: number;
  n: bigint;
  amountFen: bigint;
}

/** The grains of the generic tables: daily rows and their roll-ups, `day` = first day of the month / year. */
const GRAINS = [
  { counters: 'counter_daily', members: 'member_daily', memberCounts: null, day: (d: string): string => d },
  { counters: 'counter_monthly', members: 'member_monthly', memberCounts: 'member_count_monthly', day: monthOf },
  { counters: 'counter_yearly', members: 'member_yearly', memberCounts: 'member_count_yearly', day: yearOf },
] as const;


/**
 * The generic fact tables (`counter_*`, `member_*`, `member_count_*`). Every fact is written under
 * each of its region's roll-up keys (own code, `P3506`, `V35`, `N`) and in the daily, monthly and
 * yearly grain, so a read names one region key and touches O(rows of the answer): whole years
 * from the yearly rows, whole months from the monthly ones, the ragged ends from the daily ones.
 * Member sets keep a count row per (measure, region key, month / year, dim), maintained as members
 * enter (0 → > 0) and leave (> 0 → 0); a distinct count over a whole month or year is one row per
 * dim, other ranges count the exact sets. One upsert per table for a whole batch, each touched key
 * once and in key order.
 */
/** An upsert of `rows` into the counter table `table`, its column arrays parameters of `batch`. */
function upsertCountersSql(table: string, rows: CounterDelta[], batch: WriteBatch): string {
  const col = <T>(f: (r: CounterDelta) => T): string => batch.param(rows.map(f));
  return `insert into ${table} as t (measure, region, dim, day, n, amount_fen)
       select * from unnest(${col((r) => r.measure)}::text[], ${col((r) => r.region)}::text[], ${col((r) => r.dim)}::text[],
                            ${col((r) => r.day)}::date[], ${col((r) => r.n)}::bigint[], ${col((r) => r.amountFen.toString())}::bigint[])
       on conflict (measure, region, day, dim) do update set n = t.n + excluded.n, amount_fen = t.amount_fen + excluded.amount_fen`;
}

@Injectable()
export class CountersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Adds the bag's counters and member sets, in the three grains, to the fold's `batch`. */
  apply(batch: WriteBatch, bag: DeltaBag): void {
    const counters = bag.counterDeltas();
    if (counters.length > 0) {
      for (const grain of GRAINS) {
        const rolled = new DeltaBag();
        for (const c of counters) for (const region of rollUpRegions(c.region)) rolled.count({ ...c, region, day: grain.day(c.day) }, c.n, c.amountFen);
        batch.add(upsertCountersSql(grain.counters, rolled.counterDeltas(), batch));
      }
    }
    const members = bag.memberDeltas();
    if (members.length > 0) {
      for (const grain of GRAINS) {
        const rolled = new DeltaBag();
        for (const m of members) for (const region of rollUpRegions(m.region)) rolled.member({ ...m, region, day: grain.day(m.day) }, m.n);
        this.upsertMembers(batch, grain.members, grain.memberCounts, rolled.memberDeltas());
      }
    }
  }

  /**
   * Keeps exact member sets; a member whose count drops to zero leaves the set (its row is
   * deleted). With `countTable`, the same statement moves the set's count row by the members that
   * entered (old ≤ 0 < new, old = new − delta) or left (new ≤ 0 < old); count rows at 0 are deleted.
   */
  private upsertMembers(batch: WriteBatch, table: string, countTable: string | null, rows: MemberDelta[]): void {
    if (rows.length === 0) return;
    const keys = [rows.map((r) => r.measure), rows.map((r) => r.region), rows.map((r) => r.dim), rows.map((r) => r.day), rows.map((r) => r.member)];
    const [measure, region, dim, day, member] = keys.map((k) => batch.param(k));
    const d = batch.add(
      `select * from unnest(${measure}::text[], ${region}::text[], ${dim}::text[], ${day}::date[], ${member}::text[], ${batch.param(rows.map((r) => r.n))}::int[])
         as d(measure, region, dim, day, member, n)`,
    );
    const upsert = `insert into ${table} as t (measure, region, dim, day, member, n)
       select measure, region, dim, day, member, n from ${d}
       on conflict (measure, region, day, dim, member) do update set n = t.n + excluded.n`;
    if (countTable === null) {
      batch.add(upsert);
    } else {
      const up = batch.add(`${upsert} returning t.measure, t.region, t.dim, t.day, t.member, t.n`);
      const c = batch.add(
        `select up.measure, up.region, up.dim, up.day,
                sum(case when up.n > 0 and up.n - d.n <= 0 then 1 when up.n <= 0 and up.n - d.n > 0 then -1 else 0 end)::int as dn
           from ${up} up join ${d} d on d.measure = up.measure and d.region = up.region and d.dim = up.dim and d.day = up.day and d.member = up.member
          group by 1, 2, 3, 4`,
      );
      batch.add(
        `insert into ${countTable} as t (measure, region, dim, day, n)
         select measure, region, dim, day, dn from ${c} where dn <> 0 order by measure, region, day, dim
         on conflict (measure, region, day, dim) do update set n = t.n + excluded.n`,
      );
    }
    if (rows.some((r) => r.n < 0)) {
      batch.runAfter(
        `delete from ${table} t using unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[]) as k(measure, region, dim, day, member)
          where t.measure = k.measure and t.region = k.region and t.day = k.day and t.dim = k.dim and t.member = k.member and t.n <= 0`,
        keys,
      );
      if (countTable !== null) {
        batch.runAfter(
          `delete from ${countTable} t using (select distinct * from unnest($1::text[], $2::text[], $3::text[], $4::date[])) as k(measure, region, dim, day)
            where t.measure = k.measure and t.region = k.region and t.day = k.day and t.dim = k.dim and t.n = 0`,
          keys.slice(0, 4),
        );
      }
    }
  }

  /**
   * Per dim, the sums `columns` (each Σ n or Σ amount of one measure) over `from`…`to` in
   * `region`, and their totals over every dim, with the `asOf` and version (`versionSql`) of
   * `asOfOf`: one statement, one row.
   * The rows are the dims with a non-zero one of the first `rowColumns` columns (the others count
   * in the totals only), sorted by dim (code units), each `[dim, ...those columns]` as decimal
   * strings. For reports listing thousands of dims — a province's enterprises — PostgreSQL merges
   * the measures per dim and packs the rows into one text of lines, so the service reads one row
   * instead of a row per (measure, dim) and merges nothing: parsing rows and collecting their
   * garbage was most of such a report's time. Dims must not contain tabs or line breaks (USCCs
   * cannot).
   */
  async columnsPerDim(
    read: { region: string; from: string; to: string; columns: readonly PerDimColumn[]; rowColumns: number },
    asOfOf: readonly ProjectionName[],
  ): Promise<{ totals: bigint[]; rows: string[][]; asOf: string | null; version: string }> {
    const params: unknown[] = [];
    const measures = [...new Set(read.columns.map((c) => c.measure))];
    const where = `measure = any($${params.push(measures)}::text[]) and region = $${params.push(read.region)}`;
    const bucket = singleBucket(read.from, read.to);
    const facts = bucket
      ? `select measure, dim, n, amount_fen from counter_${bucket.grain} where ${where} and day = $${params.push(bucket.day)}::date`
      : `select measure, dim, n, amount_fen from ${rangeSql({
        daily: 'counter_daily', monthly: 'counter_monthly', yearly: 'counter_yearly', columns: 'measure, dim, n, amount_fen', where, from: read.from, to: read.to, params,
      })} f`;
    const cols = read.columns.map((c, i) => `coalesce(sum(${c.of === 'n' ? 'n' : 'amount_fen'}) filter (where measure = $${params.push(c.measure)}), 0) as c${i}`);
    const rowCols = read.columns.slice(0, read.rowColumns).map((_, i) => `c${i}`);
    type Row = { packed: string | null; as_of: string | null; version: string } & Record<string, string>;
    const row: Row = (await preparedQuery<Row>(this.dataSource,
      `select ${read.columns.map((_, i) => `coalesce(sum(c${i}), 0)::text as t${i}`).join(', ')},
              string_agg(dim || ${rowCols.map((c) => `E'\\t' || ${c}`).join(' || ')}, E'\\n' order by dim collate "C")
                filter (where ${rowCols.map((c) => `${c} <> 0`).join(' or ')}) as packed,
              ${asOfSql(asOfOf, params)}::text as as_of, ${versionSql(asOfOf, params)} as version
         from (select dim, ${cols.join(', ')} from (${facts}) f group by dim) r`,
      params,
    ))[0];
    return {
      totals: read.columns.map((_, i) => BigInt(row[`t${i}`])),
      rows: row.packed === null ? [] : row.packed.split('\n').map((line) => line.split('\t')),
      asOf: asOfFromMillis(row.as_of),
      version: row.version,
    };
  }

  /** Σ over one read (see `read`). */
  async sum(read: Omit<SumRead, 'kind'>): Promise<CounterSum[]> {
    return (await this.read([{ kind: 'sum', ...read }]))[0];
  }

  /**
   * Several reads in one statement (one round trip); the answer has one list of rows per read, in
   * order. Distinct counts over a whole calendar month or year are the count rows; over other
   * ranges `count(distinct member)` of the exact sets of the region key.
   */
  async read(reads: readonly CounterRead[]): Promise<CounterSum[][]> {
    return (await this.run(reads, null)).sums;
  }

  /**
   * `read`, and in the same statement the `asOf` of the projections `names` (`asOfSql`) and their
   * version (`versionSql`). Given the version of a kept answer (`KeptAnswers`), the reads are run
   * only if the projections have moved since; else `sums` is null.
   */
  report(reads: readonly CounterRead[], names: readonly ProjectionName[]): Promise<{ sums: CounterSum[][]; asOf: string | null; version: string }>;
  report(reads: readonly CounterRead[], names: readonly ProjectionName[], keptVersion: string | undefined): Promise<{ sums: CounterSum[][] | null; asOf: string | null; version: string }>;
  async report(reads: readonly CounterRead[], names: readonly ProjectionName[], keptVersion?: string): Promise<{ sums: CounterSum[][] | null; asOf: string | null; version: string }> {
    const { sums, state } = await this.run(reads, { names, keptVersion });
    return { sums: state!.dim === keptVersion ? null : sums, asOf: asOfFromMillis(state!.n), version: state!.dim };
  }

  private async run(reads: readonly CounterRead[], of: { names: readonly ProjectionName[]; keptVersion?: string } | null): Promise<{ sums: CounterSum[][]; state?: { n: string | null; dim: string } }> {
    const params: unknown[] = [];
    const branches = reads.flatMap((r, i) => (r.kind === 'sum' ? [sumSql(r, i, params)] : distinctSql(r, i, params)));
    const out: CounterSum[][] = reads.map(() => []);
    const columns = 'select part, measure, dim, year, n::text as n, amount_fen::text as amount_fen';
    const selects: string[] = [];
    if (branches.length > 0) {
      const gate = of ? ` where ${versionGate(of.names, params, of.keptVersion)}` : '';
      selects.push(`${columns} from (${branches.map((b) => `(${b})`).join(' union all ')}) r${gate}`);
    }
    // The projections' state is part -1: its n the `asOf` in epoch milliseconds, its dim the version.
    if (of) selects.push(`${columns} from (select -1 as part, '' as measure, ${versionSql(of.names, params)} as dim, 0 as year, ${asOfSql(of.names, params)} as n, 0::bigint as amount_fen) s`);
    if (selects.length === 0) return { sums: out };
    const sql = selects.join(' union all ');
    const rows: { part: number; measure: string; dim: string; year: number; n: string | null; amount_fen: string }[] = await preparedQuery(this.dataSource, sql, params);
    let state: { n: string | null; dim: string } | undefined;
    for (const r of rows) {
      if (r.part === -1) state = r;
      else out[r.part].push({ measure: r.measure, dim: r.dim, year: Number(r.year), n: BigInt(r.n ?? 0), amountFen: BigInt(r.amount_fen) });
    }
    return { sums: out, state };
  }
}

function sumSql(r: SumRead, part: number, params: unknown[]): string {
  let where = `measure = any($${params.push(r.measures)}::text[]) and region = $${params.push(r.region)}`;
  if (r.dims) where += ` and dim = any($${params.push(r.dims)}::text[])`;
  const bucket = r.by?.dim ? singleBucket(r.from, r.to) : null;
  if (bucket) {
    // Per dim over one whole year, month or day (agencies and university transfers with `year=`):
    // that bucket's rows are the sums already, one per (measure, dim) — nothing to group.
    const year = r.by?.year ? `${Number(bucket.day.slice(0, 4))}` : '0';
    return `select ${part} as part, measure, dim, ${year} as year, n, amount_fen from counter_${bucket.grain}
             where ${where} and day = $${params.push(bucket.day)}::date`;
  }
  const source = rangeSql({
    daily: 'counter_daily', monthly: 'counter_monthly', yearly: 'counter_yearly', columns: 'measure, dim, day, n, amount_fen', where, from: r.from, to: r.to, params,
  });
  const dim = r.by?.dim ? 'dim' : `''`;
  const year = r.by?.year ? 'extract(year from day)::int' : '0';
  return `select ${part} as part, measure, ${dim} as dim, ${year} as year, sum(n) as n, sum(amount_fen) as amount_fen from ${source} f group by 2, 3, 4`;
}

/** The branches of a distinct read: count rows for whole months and years, exact sets otherwise. */
function distinctSql(r: DistinctRead, part: number, params: unknown[]): string[] {
  if (r.from > r.to) return [];
  const p = (v: unknown): string => `$${params.push(v)}`;
  const measure = p(r.measure);
  const region = p(r.region);
  const dims = r.dims ? ` and dim = any(${p(r.dims)}::text[])` : '';
  const counts = (table: string, yearExpr: string, dayCondition: string): string =>
    `select ${part} as part, measure, dim, ${yearExpr} as year, n::bigint as n, 0::bigint as amount_fen
       from ${table} where measure = ${measure} and region = ${region}${dims} and ${dayCondition}`;
  const exact = (from: string, to: string, yearExpr: string): string => {
    const source = rangeSql({
      daily: 'member_daily', monthly: 'member_monthly', yearly: 'member_yearly', columns: 'dim, day, member',
      where: `measure = ${measure} and region = ${region}${dims}`, from, to, params,
    });
    return `select ${part} as part, ${measure}::text as measure, dim, ${yearExpr} as year, count(distinct member) as n, 0::bigint as amount_fen
              from ${source} f group by 3, 4`;
  };
  /** A range inside one calendar year. */
  const piece = (from: string, to: string, year: string): string => {
    if (from === yearOf(from) && to === periodEnd(from, 'year')) return counts('member_count_yearly', year, `day = ${p(from)}::date`);
    if (from === monthOf(from) && to === periodEnd(from, 'month')) return counts('member_count_monthly', year, `day = ${p(from)}::date`);
    return exact(from, to, year);
  };
  const firstYear = Number(r.from.slice(0, 4));
  const lastYear = Number(r.to.slice(0, 4));
  if (!r.by?.year) {
    if (firstYear === lastYear) return [piece(r.from, r.to, '0')];
    return [exact(r.from, r.to, '0')];
  }
  if (firstYear === lastYear) return [piece(r.from, r.to, String(firstYear))];
  // Per calendar year: the head and tail years may be partial, the years between are whole.
  const branches: string[] = [];
  const headEnd = periodEnd(yearOf(r.from), 'year');
  const tailStart = yearOf(r.to);
  let wholeFrom = firstYear;
  let wholeTo = lastYear;
  if (r.from !== yearOf(r.from)) {
    branches.push(piece(r.from, headEnd, String(firstYear)));
    wholeFrom++;
  }
  if (r.to !== periodEnd(tailStart, 'year')) {
    branches.push(piece(tailStart, r.to, String(lastYear)));
    wholeTo--;
  }
  if (wholeFrom <= wholeTo) {
    const pad = (y: number): string => `${String(y).padStart(4, '0')}-01-01`;
    branches.push(counts('member_count_yearly', 'extract(year from day)::int', `day between ${p(pad(wholeFrom))}::date and ${p(pad(wholeTo))}::date`));
  }
  return branches;
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
