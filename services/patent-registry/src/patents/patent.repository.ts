import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { SearchCriteria } from './dto';
import { unlistedPatent, type PatentState, type PledgeRef } from './domain';
import { stateFromRow, type PatentRow, type PatentWriteRow } from './patent-row';
import {
  bitmapBudget, bitmapQuery, exactTitleQuery, facetShare, frequencies, matchBound, pageRowsQuery, probeQuery, probeWindow, stepSpec, type GramStatistics, type SearchPosition, type Sql, type Step, type Tier,
} from './patent-search';

/** A listing of a search page with its pledges. */
export interface SearchRow extends PatentRow {
  readonly pledges: PledgeRef[];
}

/** Where a search result ranks: its tier (0 when browsing) and rank key. */
export interface SearchHit {
  readonly number: string;
  readonly rank: string;
  readonly tier: 0 | Tier;
}

/** How long the table's statistics (row count, gram frequencies) are reused. */
const STATISTICS_TTL_MS = 5 * 60_000;

/** What ANALYZE knows of `patents` (rows, per gram array its most common elements), and when it was read. */
interface TableStatistics extends GramStatistics {
  readonly at: number;
}

const SELECT_PATENT = `select number, status, title, abstract, keywords, ipc, granted_on::text as granted_on, grade, category,
       listed_on::text as listed_on, updated_on::text as updated_on, state from patents`;

/** Columns written, in the order of the `jsonb_to_recordset` record type below. */
const WRITE_COLUMNS = [
  ['number', 'text'],
  ['kind', 'text'],
  ['status', 'text'],
  ['title', 'text'],
  ['abstract', 'text'],
  ['keywords', 'text[]'],
  ['ipc', 'text'],
  ['granted_on', 'date'],
  ['grade', 'text'],
  ['category', 'text'],
  ['owner_sub', 'text'],
  ['owner_uscc', 'text'],
  ['owner_region', 'text'],
  ['listed_on', 'date'],
  ['updated_on', 'date'],
  ['state', 'jsonb'],
  ['search_title', 'text'],
  ['title_grams', 'text[]'],
  ['search_text', 'text'],
  ['search_grams', 'text[]'],
  ['rank_key', 'text'],
  ['open_licence_days', 'daterange'],
  ['exclusive_days', 'datemultirange'],
] as const satisfies readonly (readonly [keyof PatentWriteRow, string])[];

const COLUMN_NAMES = WRITE_COLUMNS.map(([name]) => name).join(', ');
const RECORD_TYPE = WRITE_COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ');
const SET_ALL = WRITE_COLUMNS.filter(([name]) => name !== 'number')
  .map(([name]) => `${name} = r.${name}`)
  .join(', ');

/**
 * SQL of the listed patents. Writes take a whole batch as one JSON parameter
 * (`jsonb_to_recordset`): one statement per batch, whatever its size.
 */
@Injectable()
export class PatentRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The current state of each number, row-locked (`for update`, in number order so concurrent
   * batches cannot deadlock) when listed; a number nobody listed comes back unlisted with the
   * pledges the loan stream recorded for it. A number inserted concurrently is caught by the
   * primary key on insert (the caller retries).
   */
  async lockAndLoad(m: EntityManager, numbers: readonly string[]): Promise<Map<string, PatentState>> {
    const states = new Map<string, PatentState>();
    if (numbers.length === 0) return states;
    const sorted = [...new Set(numbers)].sort();
    const rows = await m.query<PatentRow[]>(`${SELECT_PATENT} where number = any($1::text[]) order by number for update`, [sorted]);
    const pledges = await this.pledgesOf(m, sorted);
    const listed = new Map(rows.map((r) => [r.number, r]));
    for (const number of sorted) {
      const row = listed.get(number);
      const held = pledges.get(number) ?? [];
      states.set(number, row === undefined ? unlistedPatent(number, held) : stateFromRow(row, held));
    }
    return states;
  }

  /** One patent without locking (public reads), or undefined when not listed. */
  async find(number: string): Promise<PatentState | undefined> {
    const rows = await this.dataSource.query<PatentRow[]>(`${SELECT_PATENT} where number = $1`, [number]);
    const row = rows[0];
    if (row === undefined) return undefined;
    const pledges = await this.pledgesOf(this.dataSource.manager, [number]);
    return stateFromRow(row, pledges.get(number) ?? []);
  }

  async pledgesOf(m: EntityManager, numbers: readonly string[]): Promise<Map<string, PledgeRef[]>> {
    const rows = await m.query<{ number: string; bank: string; loan_ref: string }[]>(
      'select number, bank, loan_ref from patent_pledges where number = any($1::text[]) order by number, bank, loan_ref',
      [numbers],
    );
    const byNumber = new Map<string, PledgeRef[]>();
    for (const r of rows) byNumber.set(r.number, [...(byNumber.get(r.number) ?? []), { bank: r.bank, loanRef: r.loan_ref }]);
    return byNumber;
  }

  async insert(m: EntityManager, rows: readonly PatentWriteRow[]): Promise<void> {
    if (rows.length === 0) return;
    await m.query(
      `insert into patents (${COLUMN_NAMES})
       select ${COLUMN_NAMES} from jsonb_to_recordset($1::jsonb) as r(${RECORD_TYPE})`,
      [JSON.stringify(rows)],
    );
  }

  /** Rewrites existing rows (the caller holds their locks). */
  async update(m: EntityManager, rows: readonly PatentWriteRow[]): Promise<void> {
    if (rows.length === 0) return;
    await m.query(
      `update patents p set ${SET_ALL}, updated_at = now()
         from jsonb_to_recordset($1::jsonb) as r(${RECORD_TYPE})
        where p.number = r.number`,
      [JSON.stringify(rows)],
    );
  }

  /** Overrides the probe window (tests use a tiny one to exercise both steps). */
  probeWindowOverride: number | undefined = undefined;
  private statistics: TableStatistics | undefined;

  /**
   * The hits of a page: `limit + 1` at most (the extra one says more follow). A text search asks
   * tier after tier, from the cursor's, until the page is full. Tiers 2 and 1 and browsing by
   * facets go to the GIN bitmap directly when the rarest gram bounds the matches to the bitmap
   * budget, else probe a window down the rank index first (see patent-search.ts).
   */
  async search(c: SearchCriteria, today: string, after?: SearchPosition): Promise<SearchHit[]> {
    const want = c.limit + 1;
    const stats = await this.tableStatistics();
    if (c.plan.terms.length === 0) {
      const spec = stepSpec(c, 0);
      // No facet at all: the planner walks the rank index (or the open-licence partial index).
      if (spec.required.length === 0 && spec.anyOf.length === 0 && spec.scaled.length === 0) {
        return this.hits(bitmapQuery(c, 0, today, want, after), 0);
      }
      return this.step(c, 0, 0, today, want, stats, after);
    }
    const hits: SearchHit[] = [];
    const first: Tier = after === undefined || after.t === 0 ? 3 : after.t;
    for (const tier of ([3, 2, 1] as const).filter((t) => t <= first)) {
      const need = want - hits.length;
      if (need <= 0) break;
      const from = tier === first ? after : undefined;
      hits.push(
        ...(tier === 3
          ? await this.hits(exactTitleQuery(c, today, need, from), 3)
          : await this.step(c, tier, tier, today, need, stats, from)),
      );
    }
    return hits;
  }

  /** The listings of a page, in the order of `numbers`. */
  async pageRows(numbers: readonly string[]): Promise<SearchRow[]> {
    if (numbers.length === 0) return [];
    const sql = pageRowsQuery(numbers);
    return this.dataSource.query<SearchRow[]>(sql.text, sql.params);
  }

  private async step(
    c: SearchCriteria, step: Step, tier: 0 | Tier, today: string, need: number, stats: TableStatistics, after?: SearchPosition,
  ): Promise<SearchHit[]> {
    const spec = stepSpec(c, step);
    const frequency = frequencies(stats);
    // The document tier's probe reads the table for the window rows passing the covered filters.
    const heapShare = step === 1 ? facetShare(spec, frequency) : 0;
    const window = this.probeWindowOverride ?? probeWindow(need, stats.rows, heapShare);
    const bitmap = (): Promise<SearchHit[]> => this.bitmapHits(bitmapQuery(c, step, today, need, after, frequency), tier);
    const bound = matchBound(spec, stats);
    if (this.probeWindowOverride === undefined && bound <= bitmapBudget(need, stats.rows, heapShare)) return bitmap();
    const probed = await this.hits(probeQuery(c, step, today, need, window, after), tier);
    return probed.length >= need ? probed : bitmap();
  }

  private async hits(sql: Sql, tier: 0 | Tier): Promise<SearchHit[]> {
    const rows = await this.dataSource.query<{ number: string; rank_key: string }[]>(sql.text, sql.params);
    return rows.map((r) => ({ number: r.number, rank: r.rank_key, tier }));
  }

  /** Runs with index and sequential scans off, so PostgreSQL takes the GIN bitmap whatever it estimates. */
  private bitmapHits(sql: Sql, tier: 0 | Tier): Promise<SearchHit[]> {
    return this.dataSource.transaction('READ COMMITTED', async (m) => {
      await m.query(
        `select set_config('enable_indexscan', 'off', true), set_config('enable_indexonlyscan', 'off', true),
                set_config('enable_seqscan', 'off', true)`,
      );
      const rows = await m.query<{ number: string; rank_key: string }[]>(sql.text, sql.params);
      return rows.map((r) => ({ number: r.number, rank: r.rank_key, tier }));
    });
  }

  /** Row count and gram frequencies of `patents` from the last ANALYZE, cached for a few minutes. */
  private async tableStatistics(): Promise<TableStatistics> {
    const now = Date.now();
    if (this.statistics !== undefined && now - this.statistics.at < STATISTICS_TTL_MS) return this.statistics;
    const [count] = await this.dataSource.query<{ rows: number }[]>(
      "select greatest(reltuples, 0)::float8 as rows from pg_class where oid = 'patents'::regclass",
    );
    const columns = await this.dataSource.query<{ attname: string; elems: string[] | null; freqs: number[] | null }[]>(
      `select attname, most_common_elems::text::text[] as elems, most_common_elem_freqs::float8[] as freqs
         from pg_stats where schemaname = current_schema() and tablename = 'patents' and attname in ('title_grams', 'search_grams')`,
    );
    const arrays = new Map<string, { frequencies: Map<string, number>; floor: number }>();
    for (const col of columns) {
      if (col.elems === null || col.freqs === null || col.elems.length === 0) continue;
      // The element frequencies, then the lowest and highest of them and the null fraction.
      const frequencies = new Map(col.elems.map((e, i) => [e, col.freqs![i]] as const));
      arrays.set(col.attname, { frequencies, floor: col.freqs[col.elems.length] });
    }
    this.statistics = { rows: count?.rows ?? 0, arrays, at: now };
    return this.statistics;
  }
}
