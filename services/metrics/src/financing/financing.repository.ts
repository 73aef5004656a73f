import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BORROWER_SIZES, RIGHT_KINDS, isSme } from '@ipfin/contracts';
import { preparedQuery, type Statement } from '@ipfin/messaging';
import { DataSource, EntityManager } from 'typeorm';
import { BusinessDate, type PeriodUnit } from '@ipfin/kernel';
import { asOfFromMillis, asOfSql, versionGate, versionSql } from '../common/projection-state.repository';
import { BEGINNING, monthOf, periodEnd, rangeSql, rollUpRegions, splitRange, yearOf, type RangeParts } from '../common/range';
import type { ProjectionName } from '../projections';
import type { BorrowerDelta, FactDelta, FactKey, LoanDimension } from './financing-fold';
import type { WriteBatch } from '../common/write-batch';
import { ALL_BANKS, bucketEnd, bucketOf, FIRST_MONTHS, SINCE, SME_PERIODS, smeCountDeltas, type SmeCountDelta, type SmePeriod } from './sme-counts';
import { gapPieces, isRollUpKey, smeGapDeltas, type GapCellDelta } from './sme-gaps';

/**
 * Row of summed facts as the queries return them (bigint sums arrive as strings from pg). A column
 * the part does not compute is null (a stock's flows, a count part's sums: `ReportRow`):
 * node-postgres decodes no text for a null, where it makes a string of every `0`.
 */
export interface FactSums {
  loans: string | null;
  inclusive_loans: string | null;
  contracted_fen: string | null;
  disbursed_fen: string | null;
  repaid_fen: string | null;
  loss_fen: string | null;
  defaults: string | null;
  patent_fen: string | null;
  trademark_fen: string | null;
}

const FACT_SUM_COLUMNS = ['loans', 'inclusive_loans', 'contracted_fen', 'disbursed_fen', 'repaid_fen', 'loss_fen', 'defaults', 'patent_fen', 'trademark_fen'] as const;

/** Column-wise sums of fact rows, exact (bigint); a null column counts 0. */
export function sumFacts(rows: readonly FactSums[]): FactSums {
  const total = FACT_SUM_COLUMNS.map(() => 0n);
  for (const r of rows) FACT_SUM_COLUMNS.forEach((f, i) => { total[i] += BigInt(r[f] ?? 0); });
  return Object.fromEntries(FACT_SUM_COLUMNS.map((f, i) => [f, total[i].toString()])) as unknown as FactSums;
}

export interface FactFilter {
  regionFrom: string;
  regionTo: string;
  bank?: string;
}

/** A report's sum columns, in `FACT_SUM_COLUMNS` order: `sum(c)` of `summed`, null for the rest. */
const sumColumns = (summed: readonly string[], sum: (c: string) => string): string =>
  FACT_SUM_COLUMNS.map((c) => (summed.includes(c) ? `${sum(c)} as ${c}` : `null::bigint as ${c}`)).join(', ');

const SUMS = sumColumns(FACT_SUM_COLUMNS, (c) => `coalesce(sum(${c}), 0)`);

/** `SUMS` for a stock: only what `outstanding` is made of (disbursed − repaid − loss); the rest null. */
const STOCK_SUMS = sumColumns(['disbursed_fen', 'repaid_fen', 'loss_fen'], (c) => `coalesce(sum(${c}), 0)`);

const FACT_COLUMNS =
  'day, region, bank, right_kind, borrower_size, loans, inclusive_loans, contracted_fen, disbursed_fen, repaid_fen, loss_fen, defaults';

/** What a report reads of a roll-up with right kinds and sizes: its facts, and the principal pledging patents, trademarks. */
const READ_COLUMNS = `${FACT_COLUMNS},
  case when right_kind = 'patent' then contracted_fen else 0 end as patent_fen,
  case when right_kind = 'trademark' then contracted_fen else 0 end as trademark_fen`;

/** `READ_COLUMNS` of `financing_yearly_sums`, which has no right kinds or sizes. */
const SUMS_READ_COLUMNS = `day, region, bank, null::text as right_kind, null::text as borrower_size, loans, inclusive_loans,
  contracted_fen, disbursed_fen, repaid_fen, loss_fen, defaults, patent_fen, trademark_fen`;

type Fact = { key: FactKey; delta: FactDelta };

const FACT_TABLES = [['financing_daily', (d: string) => d], ['financing_monthly', monthOf], ['financing_yearly', yearOf]] as const;

/** An upsert of `facts` into `table` under `shard`, its column arrays parameters of `batch`. */
function upsertFactsSql(table: string, facts: Fact[], shard: number, batch: WriteBatch): string {
  const col = <T>(f: (x: Fact) => T): string => batch.param(facts.map(f));
  return `insert into ${table} as t (${FACT_COLUMNS}, shard)
       select *, ${batch.param(shard)}::smallint from unnest(${col((f) => f.key.day)}::date[], ${col((f) => f.key.region)}::text[], ${col((f) => f.key.bank)}::text[],
                            ${col((f) => f.key.rightKind)}::text[], ${col((f) => f.key.borrowerSize)}::text[], ${col((f) => f.delta.loans)}::int[],
                            ${col((f) => f.delta.inclusiveLoans)}::int[], ${col((f) => f.delta.contractedFen.toString())}::bigint[],
                            ${col((f) => f.delta.disbursedFen.toString())}::bigint[], ${col((f) => f.delta.repaidFen.toString())}::bigint[],
                            ${col((f) => f.delta.lossFen.toString())}::bigint[], ${col((f) => f.delta.defaults)}::int[])
       on conflict (region, day, bank, right_kind, borrower_size, shard) do update set
         loans = t.loans + excluded.loans, inclusive_loans = t.inclusive_loans + excluded.inclusive_loans,
         contracted_fen = t.contracted_fen + excluded.contracted_fen, disbursed_fen = t.disbursed_fen + excluded.disbursed_fen,
         repaid_fen = t.repaid_fen + excluded.repaid_fen, loss_fen = t.loss_fen + excluded.loss_fen,
         defaults = t.defaults + excluded.defaults`;
}

const factOrder = (a: Fact, b: Fact): number =>
  cmp(a.key.region, b.key.region) || cmp(a.key.day, b.key.day) || cmp(a.key.bank, b.key.bank) ||
  cmp(a.key.rightKind, b.key.rightKind) || cmp(a.key.borrowerSize, b.key.borrowerSize);
const borrowerOrder = (a: BorrowerDelta, b: BorrowerDelta): number =>
  cmp(a.region, b.region) || cmp(a.borrowerUscc, b.borrowerUscc) || cmp(a.day, b.day) || cmp(a.bank, b.bank) ||
  cmp(a.rightKind, b.rightKind) || cmp(a.borrowerSize, b.borrowerSize);
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** One row of a borrower's SME set history, as `addBorrowers` reads it. */
export interface BorrowerRow { region: string; uscc: string; day: string; bank: string; rightKind: string; borrowerSize: string; loans: number }

/** Borrower set rows read ahead (`borrowerRowsStatement`) and the members they cover. */
export interface BorrowerRowsAhead { members: ReadonlySet<string>; rows: readonly BorrowerRow[] }

/** A member's key in `BorrowerRowsAhead.members`. */
export const memberKey = (m: { region: string; uscc: string }): string => `${m.region}|${m.uscc}`;

/**
 * The stored dimensions of the loans `ids`, and in the same statement (one round trip) the
 * transaction's advisory locks on the borrowers the batch may move in the SME sets: `usccs`
 * (the batch's registrations) and the borrowers of those stored dimensions (what a reversal
 * undoes). Locks go in one statement in hash order, so concurrent batches cannot deadlock on
 * them; `addBorrowers` reads the members' rows after this and must touch no one else.
 * `l` is the outer side of the join: it runs (locks) even when no dimension is stored yet.
 */
export function dimensionsStatement(ids: readonly { bank: string; loanRef: string }[], usccs: readonly string[]): Statement {
  return {
    text: `with d as (
         select d.bank, d.loan_ref, d.borrower_uscc, d.borrower_size, d.region, d.registered_on::text as registered_on,
                d.principal_fen::text as principal_fen, d.right_kind, d.inclusive, d.agency_id, d.live
           from loan_dim d join unnest($1::text[], $2::text[]) as k(bank, loan_ref)
           on d.bank = k.bank and d.loan_ref = k.loan_ref),
       l as (
         select count(*) as n from (
           select pg_advisory_xact_lock(${SME_LOCK_CLASS}, h)
             from (select distinct hashtext(u) as h from (select borrower_uscc as u from d union all select unnest($3::text[])) s
                    order by 1 offset 0) h) x)
       select d.* from l left join d on true`,
    values: [ids.map((i) => i.bank), ids.map((i) => i.loanRef), [...new Set(usccs)]],
  };
}

/** `dimensionsStatement`'s rows as dimensions, and the borrowers it locked. */
export function dimensionsOf(rows: readonly Record<string, unknown>[], usccs: readonly string[]): { dimensions: LoanDimension[]; locked: Set<string> } {
  const dimensions = rows.filter((r) => r.bank !== null).map((r) => ({
    bank: r.bank as string, loanRef: r.loan_ref as string, borrowerUscc: r.borrower_uscc as string,
    borrowerSize: r.borrower_size as LoanDimension['borrowerSize'], region: r.region as string,
    registeredOn: r.registered_on as string, principalFen: BigInt(r.principal_fen as string),
    rightKind: r.right_kind as LoanDimension['rightKind'], inclusive: r.inclusive as boolean,
    agencyId: (r.agency_id as string | null) ?? null, live: r.live as boolean,
  }));
  return { dimensions, locked: new Set([...usccs, ...dimensions.map((d) => d.borrowerUscc)]) };
}

/**
 * Every SME set row of the `members` (region key × borrower). Only valid read after
 * `dimensionsStatement` locked those borrowers, as its own statement (its own snapshot).
 */
export function borrowerRowsStatement(members: readonly { region: string; uscc: string }[]): Statement {
  return {
    text: `select b.region, b.borrower_uscc as uscc, b.day::text as day, b.bank, b.right_kind as "rightKind",
                b.borrower_size as "borrowerSize", b.loans
         from unnest($1::text[], $2::text[]) as k(region, uscc)
         join financing_borrowers b on b.region = k.region and b.borrower_uscc = k.uscc`,
    values: [members.map((k) => k.region), members.map((k) => k.uscc)],
  };
}

/** The members (every region key × borrower) a registration of `uscc` in `region` touches. */
export function registrationMembers(region: string, uscc: string): { region: string; uscc: string }[] {
  return rollUpRegions(region).map((r) => ({ region: r, uscc }));
}

/**
 * The financing facts: per day × region key × bank × right kind × borrower size, where every fact
 * is written under each key of `rollUpRegions` (own code, prefecture, province, nation) and under
 * its bank and all banks (`''`), to the daily table and its monthly and yearly roll-ups; the exact
 * SME borrower sets under each region key, and the count rows derived from them. Writes are one
 * statement per table per batch, rows in key order so concurrent batches lock alike. Reads touch
 * one region key (or the own codes of a region for groupBy=region): O(rows in the answer).
 */
@Injectable()
export class FinancingRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** `dimensionsStatement` run on `manager`: the loans' dimensions and the borrowers locked. */
  async loadDimensions(
    manager: EntityManager, ids: { bank: string; loanRef: string }[], usccs: readonly string[] = [],
  ): Promise<{ dimensions: LoanDimension[]; locked: Set<string> }> {
    if (ids.length === 0) return { dimensions: [], locked: new Set() };
    const { text, values } = dimensionsStatement(ids, usccs);
    return dimensionsOf(await preparedQuery(manager, text, values), usccs);
  }

  /** Adds the loans' dimensions as they are after the batch to the fold's `batch`. */
  upsertDimensions(batch: WriteBatch, dims: LoanDimension[]): void {
    if (dims.length === 0) return;
    const col = <T>(f: (d: LoanDimension) => T): string => batch.param(dims.map(f));
    batch.add(
      `insert into loan_dim (bank, loan_ref, borrower_uscc, borrower_size, region, registered_on, principal_fen,
                             right_kind, inclusive, agency_id, live)
       select * from unnest(${col((d) => d.bank)}::text[], ${col((d) => d.loanRef)}::text[], ${col((d) => d.borrowerUscc)}::text[],
                            ${col((d) => d.borrowerSize)}::text[], ${col((d) => d.region)}::text[], ${col((d) => d.registeredOn)}::date[],
                            ${col((d) => d.principalFen.toString())}::bigint[], ${col((d) => d.rightKind)}::text[],
                            ${col((d) => d.inclusive)}::boolean[], ${col((d) => d.agencyId)}::text[], ${col((d) => d.live)}::boolean[])
       on conflict (bank, loan_ref) do update set
         borrower_uscc = excluded.borrower_uscc, borrower_size = excluded.borrower_size, region = excluded.region,
         registered_on = excluded.registered_on, principal_fen = excluded.principal_fen, right_kind = excluded.right_kind,
         inclusive = excluded.inclusive, agency_id = excluded.agency_id, live = excluded.live`,
    );
  }

  /**
   * Every touched fact key of the batch, each fact under every key of `rollUpRegions(region)` ×
   * (its bank, all banks `''`), upserted into the daily table and the monthly and yearly roll-ups
   * as three parts of the fold's `batch` (PostgreSQL moves `financing_yearly_sums` with the yearly
   * rows: migration YearlySumsTrigger). Rows go in key order within each table, so concurrent
   * batches lock alike.
   */
  addFacts(batch: WriteBatch, facts: Fact[], shard = 0): void {
    if (facts.length === 0) return;
    const expanded = new Map<string, Fact>();
    for (const f of facts) {
      for (const region of rollUpRegions(f.key.region)) for (const bank of [f.key.bank, '']) addFact(expanded, { ...f.key, region, bank }, f.delta);
    }
    for (const [table, bucket] of FACT_TABLES) {
      const rows = new Map<string, Fact>();
      for (const f of expanded.values()) addFact(rows, { ...f.key, day: bucket(f.key.day) }, f.delta);
      batch.add(upsertFactsSql(table, [...rows.values()].sort(factOrder), shard, batch));
    }
  }

  /**
   * Keeps the exact SME borrower sets under every region key of the borrower (rows whose count
   * drops to zero are removed) and, in step, the `financing_smes` count rows (`sme-counts.ts`) of
   * `shard` (the consumer partition: concurrent batches move their own count rows).
   * The touched members must already be locked (`loadDimensions` takes the advisory locks by USCC,
   * so batches of other partitions touching the same borrower wait instead of reading a stale
   * "before"; `locked` is what it locked); their rows are read now and the writes go into the
   * fold's `batch`.
   */
  async addBorrowers(
    manager: EntityManager, batch: WriteBatch, borrowers: BorrowerDelta[], locked: ReadonlySet<string>, shard = 0,
    readAhead?: BorrowerRowsAhead,
  ): Promise<void> {
    const byKey = new Map<string, BorrowerDelta>();
    for (const b of borrowers) {
      if (b.loans === 0) continue;
      for (const region of rollUpRegions(b.region)) {
        const row = { ...b, region };
        const id = `${region}|${b.borrowerUscc}|${b.day}|${b.bank}|${b.rightKind}|${b.borrowerSize}`;
        const entry = byKey.get(id) ?? { ...row, loans: 0 };
        entry.loans += b.loans;
        byKey.set(id, entry);
      }
    }
    const rows = [...byKey.values()].filter((b) => b.loans !== 0).sort(borrowerOrder);
    if (rows.length === 0) return;
    const unlocked = rows.find((b) => !locked.has(b.borrowerUscc));
    if (unlocked) throw new Error(`addBorrowers: borrower ${unlocked.borrowerUscc} is not locked (loadDimensions locks the batch's borrowers)`);
    const members = new Map<string, { region: string; uscc: string }>();
    for (const b of rows) members.set(memberKey({ region: b.region, uscc: b.borrowerUscc }), { region: b.region, uscc: b.borrowerUscc });
    const keys = [...members.values()];
    // Every set row of the touched members (a member's history is a few rows): read ahead with the
    // inbox statement when the batch named them all, else now.
    const before: BorrowerRow[] = readAhead !== undefined && keys.every((k) => readAhead.members.has(memberKey(k)))
      ? readAhead.rows.filter((r) => members.has(memberKey(r)))
      : await (async () => {
        const { text, values } = borrowerRowsStatement(keys);
        return preparedQuery<BorrowerRow>(manager, text, values);
      })();
    const col = <T>(f: (b: BorrowerDelta) => T): T[] => rows.map(f);
    const keyCols = [col((b) => b.day), col((b) => b.region), col((b) => b.bank), col((b) => b.rightKind), col((b) => b.borrowerSize), col((b) => b.borrowerUscc)];
    const [day, region, bank, rightKind, size, uscc] = keyCols.map((c) => batch.param(c));
    batch.add(
      `insert into financing_borrowers as t (day, region, bank, right_kind, borrower_size, borrower_uscc, loans)
       select * from unnest(${day}::date[], ${region}::text[], ${bank}::text[], ${rightKind}::text[], ${size}::text[], ${uscc}::text[],
                            ${batch.param(col((b) => b.loans))}::int[])
       on conflict (region, borrower_uscc, day, bank, right_kind, borrower_size) do update set loans = t.loans + excluded.loans`,
    );
    if (rows.some((b) => b.loans < 0)) {
      // Only the keys this batch lowered: never a scan of the whole set.
      batch.runAfter(
        `delete from financing_borrowers t
          using unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) as k(day, region, bank, right_kind, borrower_size, borrower_uscc)
          where t.region = k.region and t.borrower_uscc = k.borrower_uscc and t.day = k.day and t.bank = k.bank
            and t.right_kind = k.right_kind and t.borrower_size = k.borrower_size and t.loans <= 0`,
        keyCols,
      );
    }
    const beforeRows = before.map((r) => ({ ...r, loans: Number(r.loans) }));
    const deltaRows = rows.map((b) => ({
      region: b.region, uscc: b.borrowerUscc, day: b.day, bank: b.bank, rightKind: b.rightKind, borrowerSize: b.borrowerSize, loans: b.loans,
    }));
    this.addGapCells(batch, smeGapDeltas(beforeRows, deltaRows), shard);
    const counts = smeCountDeltas(beforeRows, deltaRows).sort((a, b) => cmp(a.region, b.region) || cmp(a.period, b.period) || cmp(a.day, b.day) || cmp(a.bank, b.bank) || cmp(a.firstDay, b.firstDay));
    if (counts.length === 0) return;
    const c = <T>(f: (x: SmeCountDelta) => T): T[] => counts.map(f);
    const countKeys = [c((x) => x.region), c((x) => x.period), c((x) => x.day), c((x) => x.bank), c((x) => x.firstDay)];
    const [cRegion, cPeriod, cDay, cBank, cFirst] = countKeys.map((k) => batch.param(k));
    batch.add(
      `insert into financing_smes as t (region, period, day, bank, first_day, n, shard)
       select *, ${batch.param(shard)}::smallint
         from unnest(${cRegion}::text[], ${cPeriod}::text[], ${cDay}::date[], ${cBank}::text[], ${cFirst}::date[], ${batch.param(c((x) => x.n))}::int[])
       on conflict (region, period, day, bank, first_day, shard) do update set n = t.n + excluded.n`,
    );
    if (counts.some((x) => x.n < 0)) {
      batch.runAfter(
        `delete from financing_smes t
          using unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::date[]) as k(region, period, day, bank, first_day)
          where t.region = k.region and t.period = k.period and t.day = k.day and t.bank = k.bank and t.first_day = k.first_day
            and t.shard = $6 and t.n = 0`,
        [...countKeys, shard],
      );
    }
  }

  /** The batch's changes of the gap cells (`sme-gaps.ts`) of `shard`; cells left at 0 are deleted. */
  private addGapCells(batch: WriteBatch, cells: GapCellDelta[], shard: number): void {
    if (cells.length === 0) return;
    cells.sort((a, b) => cmp(a.region, b.region) || cmp(a.dim, b.dim) || cmp(a.p, b.p) || cmp(a.d, b.d));
    const c = <T>(f: (x: GapCellDelta) => T): T[] => cells.map(f);
    const keys = [c((x) => x.region), c((x) => x.dim), c((x) => x.p), c((x) => x.d)];
    const [region, dim, p, d] = keys.map((k) => batch.param(k));
    batch.add(
      `insert into financing_sme_gaps as t (region, dim, p, d, n, shard)
       select *, ${batch.param(shard)}::smallint from unnest(${region}::text[], ${dim}::text[], ${p}::text[], ${d}::text[], ${batch.param(c((x) => x.n))}::int[])
       on conflict (region, dim, p, d, shard) do update set n = t.n + excluded.n`,
    );
    if (cells.some((x) => x.n < 0)) {
      batch.runAfter(
        `delete from financing_sme_gaps t
          using unnest($1::text[], $2::text[], $3::text[], $4::text[]) as k(region, dim, p, d)
          where t.region = k.region and t.dim = k.dim and t.p = k.p and t.d = k.d and t.shard = $5 and t.n = 0`,
        [...keys, shard],
      );
    }
  }

  /**
   * Runs the parts of a report in one statement (one round trip) and returns each part's rows.
   * Parts come from `flowPart`, `smesPart` over the same `params`.
   */
  async read(parts: string[], params: unknown[]): Promise<Map<string, ReportRow[]>> {
    return byPart(await preparedQuery(this.dataSource, reportSql(parts), params));
  }

  /**
   * `read`, and in the same statement the `asOf` of the projections `names` (`asOfSql`) and their
   * version (`versionSql`). Given the version of a kept answer (`KeptAnswers`), the parts are read
   * only if the projections have moved since; else `parts` is null.
   */
  report(parts: string[], params: unknown[], names: readonly ProjectionName[]): Promise<{ parts: Map<string, ReportRow[]>; asOf: string | null; version: string }>;
  report(parts: string[], params: unknown[], names: readonly ProjectionName[], keptVersion: string | undefined): Promise<{ parts: Map<string, ReportRow[]> | null; asOf: string | null; version: string }>;
  async report(parts: string[], params: unknown[], names: readonly ProjectionName[], keptVersion?: string): Promise<{ parts: Map<string, ReportRow[]> | null; asOf: string | null; version: string }> {
    const gate = versionGate(names, params, keptVersion);
    const stateSql = `select '${AS_OF_PART}' as part, ${versionSql(names, params)} as key, ${ZERO_SUMS}, ${asOfSql(names, params)} as n`;
    const read = byPart(await preparedQuery(this.dataSource, `${reportSql(parts, gate)} union all ${stateSql}`, params));
    const [state] = read.get(AS_OF_PART)!;
    read.delete(AS_OF_PART);
    const version = state.key!;
    return { parts: version === keptVersion ? null : read, asOf: asOfFromMillis(state.n), version };
  }

  /**
   * Sums of facts between two days, grouped by the given expression (or not at all). A filter of
   * region bounds reads the one region key those bounds are (a county, `P…`, `V…`, `N`).
   */
  async sumFacts(filter: FactFilter, from: string, to: string, groupBy?: string): Promise<(FactSums & { key: string | null })[]> {
    const params: unknown[] = [];
    const scope: FactScope = { key: keyOfBounds(filter.regionFrom, filter.regionTo), bank: filter.bank ?? '' };
    const parts = await this.read([flowPart('f', scope, params, from, to, groupBy ?? null, true)], params);
    return parts.get('f') ?? [];
  }
}

/**
 * The parts as one statement. `current_schema()` is parallel-unsafe, which keeps the planner from
 * a parallel plan: these statements read a few hundred rows, and starting Gather workers costs
 * ~10 ms on a loaded 2-core machine (seen in EXPLAIN ANALYZE at bench scale).
 */
export const reportSql = (parts: string[], gate = 'true'): string =>
  `select * from (${parts.join('\nunion all\n')}) r where current_schema() is not null and ${gate}`;

/** A statement's rows per part, in their order. */
function byPart(rows: readonly (ReportRow & { part: string })[]): Map<string, ReportRow[]> {
  const out = new Map<string, ReportRow[]>();
  for (const r of rows) {
    const part = out.get(r.part);
    if (part) part.push(r);
    else out.set(r.part, [r]);
  }
  return out;
}

/** Advisory-lock class of the SME members (the second key is `hashtext(uscc)`). */
const SME_LOCK_CLASS = 70_100;

function addFact(into: Map<string, Fact>, key: FactKey, delta: FactDelta): void {
  const id = `${key.day}|${key.region}|${key.bank}|${key.rightKind}|${key.borrowerSize}`;
  const entry = into.get(id) ?? { key, delta: zeroDelta() };
  addDelta(entry.delta, delta);
  into.set(id, entry);
}

const zeroDelta = (): FactDelta => ({ loans: 0, inclusiveLoans: 0, contractedFen: 0n, disbursedFen: 0n, repaidFen: 0n, lossFen: 0n, defaults: 0 });

function addDelta(into: FactDelta, d: FactDelta): void {
  into.loans += d.loans;
  into.inclusiveLoans += d.inclusiveLoans;
  into.defaults += d.defaults;
  into.contractedFen += d.contractedFen;
  into.disbursedFen += d.disbursedFen;
  into.repaidFen += d.repaidFen;
  into.lossFen += d.lossFen;
}

/** The region key that region bounds (`regionBounds`) stand for. */
export function keyOfBounds(regionFrom: string, regionTo: string): string {
  if (regionFrom === regionTo) return regionFrom;
  if (regionFrom === '000000' && regionTo === '999999') return 'N';
  if (regionTo.endsWith('9999')) return `V${regionFrom.slice(0, 2)}`;
  return `P${regionFrom.slice(0, 4)}`;
}

/**
 * What a report reads. `key`: the one region key (`regionKey`); `bounds`: own 6-digit codes
 * between (groupBy=region). `bank`: one bank's rows, `''` the all-banks rows, `null` every bank's
 * own rows (groupBy=bank).
 */
export interface FactScope {
  key?: string;
  bounds?: { regionFrom: string; regionTo: string };
  bank: string | null;
}

/** A row of a report's part: a fact part's sums (`n` null, or a stock: `flowStockPart`), or a count part's `n` (the sums null). */
export interface ReportRow extends FactSums {
  key: string | null;
  n: string | null;
}

/** The sum columns of a part that only counts (`n`). */
const ZERO_SUMS = FACT_SUM_COLUMNS.map(() => 'null::bigint').join(', ');

/** The part of a report statement that carries its `asOf`. */
const AS_OF_PART = 'asOf';

function regionWhere(scope: FactScope, params: unknown[]): string {
  if (scope.bounds) return `region between $${params.push(scope.bounds.regionFrom)} and $${params.push(scope.bounds.regionTo)}`;
  return `region = $${params.push(scope.key ?? 'N')}`;
}

/** Facts and count rows: `bank = ''` is the all-banks dimension. */
function factWhere(scope: FactScope, params: unknown[]): string {
  return `${regionWhere(scope, params)} and ${scope.bank === null ? `bank <> ''` : `bank = $${params.push(scope.bank)}`}`;
}

/** Borrower sets hold real banks only. */
function setWhere(scope: FactScope, params: unknown[]): string {
  return `${regionWhere(scope, params)}${scope.bank ? ` and bank = $${params.push(scope.bank)}` : ''}`;
}

/**
 * Summed facts over `from`…`to` (whole years from the yearly roll-up when `yearly`, whole months
 * from the monthly one, the ragged ends from the daily rows), grouped by `groupBy`. `stock`: only
 * the sums an outstanding amount needs (the other columns 0), which is cheaper to aggregate. Not
 * for a statement's first part, which names the columns.
 */
export function flowPart(
  part: string, scope: FactScope, params: unknown[], from: string, to: string, groupBy: string | null, yearly: boolean, sums: 'all' | 'stock' = 'all',
): string {
  const key = groupBy ?? 'null::text';
  return `select '${part}' as part, ${key} as key, ${sums === 'stock' ? STOCK_SUMS : SUMS}, null::bigint as n from ${factSource(scope, params, from, to, groupBy, yearly)} f${groupBy ? ` group by ${key}` : ''}`;
}

/**
 * `flowPart` over `from`…`to` and the stock up to `to` (`outstanding`: disbursed − repaid − loss
 * since the beginning) in one pass over the roll-up rows of the beginning…`to`, instead of two
 * parts that both read the rows from `from` on: the sum columns count the rows from `from` on,
 * `n` is the stock. Grouped, only the keys the two parts answer: those with a row from `from` on
 * or a stock. Null when a roll-up row read whole for that range starts before `from` and ends on
 * or after it (a `from` inside a month, or inside a year read from the yearly rows): then the
 * two parts.
 */
export function flowStockPart(
  part: string, scope: FactScope, params: unknown[], from: string, to: string, groupBy: string | null, yearly: boolean,
): string | null {
  if (!rowsSplitAt(splitRange(BEGINNING, to, { years: yearly }), from)) return null;
  const source = factSource(scope, params, BEGINNING, to, groupBy, yearly);
  const since = `day >= $${params.push(from)}::date`;
  const flows = sumColumns(FACT_SUM_COLUMNS, (c) => `coalesce(sum(${c}) filter (where ${since}), 0)`);
  const stock = '(coalesce(sum(disbursed_fen), 0) - coalesce(sum(repaid_fen), 0) - coalesce(sum(loss_fen), 0))::bigint';
  const key = groupBy ?? 'null::text';
  const grouped = groupBy ? ` group by ${key} having count(*) filter (where ${since}) > 0 or ${stock} <> 0` : '';
  return `select '${part}' as part, ${key} as key, ${flows}, ${stock} as n from ${source} f${grouped}`;
}

/** Whether every roll-up row of `parts` (whole years, whole months, days) lies wholly before `day` or from it on. */
function rowsSplitAt(parts: RangeParts, day: string): boolean {
  const cuts = (a: string, b: string): boolean => a < day && day <= b;
  if (parts.months.some(([a, b]) => cuts(a, periodEnd(b, 'month')) && monthOf(day) !== day)) return false;
  return !(parts.years && cuts(parts.years[0], periodEnd(parts.years[1], 'year')) && yearOf(day) !== day);
}

/** The roll-up rows of `scope` over `from`…`to` (whole years from the yearly roll-up when `yearly`, whole months, ragged days). */
function factSource(scope: FactScope, params: unknown[], from: string, to: string, groupBy: string | null, yearly: boolean): string {
  // Whole years from the sums over right kinds and sizes, unless the rows are per right kind or size.
  const years = !yearly ? {} : groupBy !== null && isSetColumn(groupBy)
    ? { yearly: 'financing_yearly' }
    : { yearly: 'financing_yearly_sums', yearlyColumns: SUMS_READ_COLUMNS };
  return rangeSql({
    daily: 'financing_daily', monthly: 'financing_monthly', ...years,
    columns: READ_COLUMNS, where: factWhere(scope, params), from, to, params,
  });
}

/**
 * The bucket (period and first day) the count rows answer `from`…`to` from, if any: one the range
 * is a prefix of (all-banks rows), or — `whole` (one bank's rows) — one the range is exactly.
 */
export function countedBucket(from: string, to: string, whole = false): { period: SmePeriod; day: string } | null {
  for (const period of SME_PERIODS) {
    const day = bucketOf(from, period);
    const end = bucketEnd(day, period);
    if (day === from && (whole ? to === end : to <= end)) return { period, day };
  }
  return null;
}

const PERIOD_OF: Record<PeriodUnit, SmePeriod> = { year: 'Y', quarter: 'Q', month: 'M' };

/**
 * Distinct SMEs over `from`…`to`, grouped by nothing, a period unit or a column. Exact everywhere;
 * from the count rows when each answer row's range is a prefix of a bucket (a whole or to-date
 * year, quarter or month, or everything up to `to`; for one bank's rows whole buckets only),
 * otherwise — a ragged first or last period row, other ranges, groupBy=rightKind|borrowerSize —
 * distinct members over the set rows of the one region key.
 */
export function smesParts(
  part: string, scope: FactScope, params: unknown[], from: string, to: string,
  group: { unit: PeriodUnit; expr: string } | { column: string } | null,
): string[] {
  const whole = scope.bank !== '';
  /** Count rows of `scope`: all banks per whole bucket (`'*'`), or banks. */
  const countWhere = (): string => {
    if (scope.bank === null) return `${regionWhere(scope, params)} and bank not in ('', '${ALL_BANKS}', '${FIRST_MONTHS}')`;
    if (scope.bank === '') return `${regionWhere(scope, params)} and bank = '${ALL_BANKS}'`;
    return `${regionWhere(scope, params)} and bank = $${params.push(scope.bank)}`;
  };
  /**
   * All banks' first-day rows of a bucket with `first_day` from `lo` (a month's first day; none:
   * the bucket's start) to `to`: the whole months from the `FIRST_MONTHS` rows, the days of
   * `to`'s month from the `''` rows. `M` buckets (read from their start) have only the `''` rows.
   */
  const firstDays = (lo: string | null, period: SmePeriod | typeof SINCE): string => {
    const upTo = `first_day <= $${params.push(to)}::date`;
    if (period === 'M') return `bank = '' and ${upTo}`;
    const month = monthOf(to);
    const low = lo === null ? '' : ` and first_day >= $${params.push(lo)}::date`;
    const daysFrom = lo !== null && lo > month ? lo : month;
    return `((bank = '${FIRST_MONTHS}' and first_day < $${params.push(month)}::date${low})
              or (bank = '' and first_day >= $${params.push(daysFrom)}::date and ${upTo}))`;
  };
  const counted = (period: SmePeriod, firstBucket: string, lastBucket: string, key: string, groupBy: boolean, wholeBuckets: boolean): string =>
    `select '${part}' as part, ${key} as key, ${ZERO_SUMS}, coalesce(sum(n), 0)::bigint as n from financing_smes
      where ${scope.bank === '' && !wholeBuckets ? `${regionWhere(scope, params)} and ${firstDays(null, period)}` : `${countWhere()} and first_day <= $${params.push(to)}::date`}
        and period = '${period}' and day between $${params.push(firstBucket)}::date and $${params.push(lastBucket)}::date${groupBy ? ` group by ${key}` : ''}`;
  // Above a county, all banks: the gap cells. Else distinct members by hashing (select distinct),
  // not count(distinct)'s sort. Grouped, a..b lies in one period: its key is `key` of day a.
  const gaps = gapsKey(scope);
  const distinct = (a: string, b: string, key: string, groupBy: boolean): string => (gaps !== null
    ? gapsPart(part, gaps, [''], groupBy ? `(select ${key} from (select $${params.push(a)}::date as day) k)` : 'null::text', params, a, b)
    : `select '${part}' as part, ${groupBy ? 'key' : 'null::text as key'}, ${ZERO_SUMS}, count(*) as n from (
       select distinct ${groupBy ? `${key} as key, ` : ''}borrower_uscc from financing_borrowers
        where ${setWhere(scope, params)} and day between $${params.push(a)}::date and $${params.push(b)}::date) m${groupBy ? ' group by key' : ''}`);
  // From a year start over several years, all banks: first loans ever in the range (`A` rows) +
  // members already known who come back on or after the year start (`S` rows of that year).
  const since = (key: string, groupBy: boolean): string =>
    `select '${part}' as part, ${key} as key, ${ZERO_SUMS}, coalesce(sum(n), 0)::bigint as n from financing_smes
      where ${regionWhere(scope, params)} and (
        (period = 'A' and day = '${BEGINNING}' and ${firstDays(from, 'A')})
        or (period = '${SINCE}' and day = $${params.push(from)}::date and ${firstDays(null, SINCE)}))${groupBy ? ` group by ${key}` : ''}`;
  const sinceApplies = sinceAnswers(scope, from);
  const isWhole = (bucket: { period: SmePeriod; day: string }): boolean => to === bucketEnd(bucket.day, bucket.period);
  if (group === null) {
    const bucket = countedBucket(from, to, whole);
    if (bucket) return [counted(bucket.period, bucket.day, bucket.day, 'null::text', false, isWhole(bucket))];
    return [sinceApplies ? since('null::text', false) : distinct(from, to, 'null::text', false)];
  }
  if ('column' in group) {
    if (isSetColumn(group.column)) return [smesBySetColumn(part, null, scope, params, from, to, group.column)];
    const bucket = countedBucket(from, to, whole || group.column === 'bank');
    if (bucket) return [counted(bucket.period, bucket.day, bucket.day, group.column, true, isWhole(bucket))];
    return [sinceApplies && group.column !== 'bank' ? since(group.column, true) : distinct(from, to, group.column, true)];
  }
  const period = PERIOD_OF[group.unit];
  const first = bucketOf(from, period);
  const last = bucketOf(to, period);
  const headPartial = first !== from;
  const tailPartial = to !== bucketEnd(last, period);
  if (first === last) {
    if (headPartial || (whole && tailPartial)) return [distinct(from, to, group.expr, true)];
    return [counted(period, first, last, group.expr, true, !tailPartial)];
  }
  const out: string[] = [];
  let a = first;
  let b = last;
  if (headPartial) {
    out.push(distinct(from, bucketEnd(first, period), group.expr, true));
    a = bucketOf(addDays(bucketEnd(first, period), 1), period);
  }
  if (tailPartial) {
    // A bank's partial last row from its set rows; all banks' from the first-day rows.
    out.push(whole ? distinct(last, to, group.expr, true) : counted(period, last, last, group.expr, true, false));
    b = bucketOf(addDays(last, -1), period);
  }
  if (a <= b) out.push(counted(period, a, b, group.expr, true, true));
  return out;
}

/** Whether the `S` rows answer distinct SMEs from `from` (all banks, from a year start). */
const sinceAnswers = (scope: FactScope, from: string): boolean => scope.bank === '' && from > BEGINNING && from.endsWith('-01-01');

/**
 * Whether the totals' distinct SMEs over `from`…`to` (`smesParts` without a group) count the set
 * rows (or above a county the gap cells) — neither a bucket's count rows nor the `S` rows answer
 * the range.
 */
export const smesTotalsScanSets = (scope: FactScope, from: string, to: string): boolean =>
  countedBucket(from, to, scope.bank !== '') === null && !sinceAnswers(scope, from);

/** The roll-up key whose gap cells (`sme-gaps.ts`) count `scope`'s distinct SMEs: all banks above a county. */
function gapsKey(scope: FactScope): string | null {
  if (scope.bounds !== undefined || scope.bank !== '') return null;
  const key = scope.key ?? 'N';
  return isRollUpKey(key) ? key : null;
}

/**
 * Distinct SMEs over `from`…`to` of the roll-up key `region` from its gap cells: per value of
 * `dims` (`keySql` = `dim`) or their sum under `keySql`. One index range per p key and range of d
 * keys (`gapPieces`): a few hundred cells, whatever the region's size.
 */
function gapsPart(part: string, region: string, dims: readonly string[], keySql: string, params: unknown[], from: string, to: string): string {
  const { p, d } = gapPieces(from, to);
  const where = `region = $${params.push(region)} and dim = any($${params.push(dims)}::text[]) and p = any($${params.push(p)}::text[])`;
  const cells = d.map(([lo, hi]) => `select dim, n from financing_sme_gaps where ${where} and d between $${params.push(lo)} and $${params.push(hi)}`);
  return `select '${part}' as part, ${keySql} as key, ${ZERO_SUMS}, coalesce(sum(n), 0)::bigint as n from (${cells.join(' union all ')}) g${keySql === 'dim' ? ' group by dim' : ''}`;
}

/** The values of the set rows' columns a report groups by; the sets hold SMEs only. */
const SET_COLUMN_VALUES = { right_kind: RIGHT_KINDS, borrower_size: BORROWER_SIZES.filter(isSme) } as const;
type SetColumn = keyof typeof SET_COLUMN_VALUES;
export const isSetColumn = (column: string): column is SetColumn => column in SET_COLUMN_VALUES;

/**
 * Distinct SMEs over `from`…`to` per value of a set column (rows of `part`) and, with
 * `totalsPart`, across all values (one row of that part), in one pass over the set rows: per
 * member, which values it has in the range. Members of several values count in each of them and
 * once in the totals. The pass reads the members in key order when the range covers much of the
 * region's history, instead of hashing every (value, member) pair and the members again. Above a
 * county (all banks) the gap cells of each value and of every SME answer instead, with no pass.
 */
export function smesBySetColumn(
  part: string, totalsPart: string | null, scope: FactScope, params: unknown[], from: string, to: string, column: SetColumn,
): string {
  const values = SET_COLUMN_VALUES[column];
  const gaps = gapsKey(scope);
  if (gaps !== null) {
    const rows = gapsPart(part, gaps, values, 'dim', params, from, to);
    return totalsPart === null ? rows : `${rows} union all ${gapsPart(totalsPart, gaps, [''], 'null::text', params, from, to)}`;
  }
  const has = values.map((v, i) => `bool_or(${column} = '${v}') as v${i}`).join(', ');
  const counts = values.map((_, i) => `count(*) filter (where v${i}) as n${i}`).join(', ');
  const out = values.map((v, i) => `('${part}', '${v}'::text, c.n${i})`);
  if (totalsPart !== null) out.push(`('${totalsPart}', null::text, c.members)`);
  return `select o.part, o.key, ${ZERO_SUMS}, o.n from (
      select count(*) as members, ${counts} from (
        select borrower_uscc, ${has} from financing_borrowers
         where ${setWhere(scope, params)} and day between $${params.push(from)}::date and $${params.push(to)}::date
         group by borrower_uscc) m) c
    cross join lateral (values ${out.join(', ')}) as o(part, key, n)`;
}

const addDays = (day: string, n: number): string => BusinessDate.parse(day).addDays(n).toString();
