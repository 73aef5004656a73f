import { createHash } from 'node:crypto';
import { decodeCursor, encodeCursor } from '@ipfin/http';
import { isHan, type SearchPlan, type SearchTerm } from './domain';
import type { SearchCriteria } from './dto';

/*
 * SQL of the public search (`GET /v1/patents`), as pure functions of the criteria.
 *
 * Matching (every term must match, AND, as a substring):
 *   - a Chinese term: every CJK character and adjacent pair of the document is in `search_grams`
 *     (GIN), so a term of 1-2 characters is exactly `search_grams @> {term}` and a longer one has
 *     its bigrams there as a prefilter; `strpos(search_text, term) > 0` is the exact test;
 *   - a Latin/digit word of 1-2 characters (`5g`): `search_grams @> {word}` (whole words);
 *   - a Latin/digit term of 3+ characters: `search_text LIKE '%term%'` (pg_trgm GIN).
 *   Chinese never goes through LIKE: in a database whose LC_CTYPE is `C` (the embedded one) pg_trgm
 *   extracts no trigrams from Han text and a LIKE would make the trigram index scan whole.
 * Filters on kind, grade, IPC (down to the main group) and owner are facet tokens stored in the
 * same gram arrays (`FACET` prefix, a character the text never has), so the GIN index intersects
 * text and filters and a rare combination costs its matches, not the term's.
 *
 * Ranking, in tiers queried one after the other until the page is full:
 *   3  exact title (normalised title = normalised query);
 *   2  the title alone matches every term (same tests on `title_grams` / `search_title`);
 *   1  only title + abstract + keywords together match.
 * Inside a tier the newest application (highest number) comes first: the primary key's order, so
 * a page can be found without visiting every match.
 *
 * How a tier's page is found. Per frequency either of two plans is cheap and the other ruinous:
 * walking the key backwards testing rows (cost ≈ page / density) for common terms, or the GIN
 * bitmap of all matches sorted by number (cost ≈ matches) for rare ones. PostgreSQL's estimate
 * multiplies the grams' frequencies as if independent (转换 and 效率 come together), so left alone it
 * takes the bitmap for common multi-character terms and visits hundreds of thousands of rows. So the
 * repository decides, in at most two bounded steps, with W = √(page × rows):
 *   - an upper bound of the matches is the count of the rarest gram or token (pg_stats of the
 *     array); if it is at most W, the bitmap step alone (index scans disabled for that statement);
 *   - otherwise a probe walks at most W rows down the key (an index-only scan for the title tier:
 *     the key covers the title and filter columns) and answers when it fills the page; if it does
 *     not, the density is below page / W, the matches number about W at most, and the bitmap finds
 *     them. Either way about W rows at worst, not all of them.
 *
 * The keyset cursor is (tier, number). Without a text query, listings come newest first, found
 * the same way (tier 0, the filters alone).
 */

export type Tier = 1 | 2 | 3;
/** 0: browsing, no text query. */
export type Step = 0 | 1 | 2;

/** Keyset position of the last row of a page. `t` 0: browsing (no text query). */
export interface SearchPosition {
  readonly t: 0 | Tier;
  readonly n: string;
  /** Hash of the criteria the cursor was issued for: a cursor is only valid for the same search. */
  readonly h: string;
}

export interface Sql {
  readonly text: string;
  readonly params: unknown[];
}

/** Prefix of facet tokens in the gram arrays; `tokenize` never yields control characters. */
export const FACET = '\u0001';

/** Section, class, subclass, main group of an IPC symbol (`H01L31/048` → H, H01, H01L, H01L31). */
const IPC_LEVELS = /^([A-H])(\d{2})?([A-Z])?(\d{1,4})?/;

/** The IPC prefixes a symbol answers to as facets: section, class, subclass, main group, itself. */
export function ipcFacets(ipc: string): string[] {
  const m = IPC_LEVELS.exec(ipc);
  if (m === null) return [];
  const levels = [m[1], m[2] && m[1] + m[2], m[3] && m[2] && m[1] + m[2] + m[3], m[4] && m[3] && m[2] && m[1] + m[2] + m[3] + m[4], ipc];
  return [...new Set(levels.filter((l): l is string => typeof l === 'string' && l !== ''))].map((l) => `${FACET}i:${l}`);
}

/** Facet tokens of a listing, stored in both gram arrays. */
export function facetTokens(listing: {
  kind: string; grade?: string | null; ipc?: string | null; ownerSub?: string | null; ownerUscc?: string | null;
}): string[] {
  return [
    `${FACET}k:${listing.kind}`,
    ...(listing.grade ? [`${FACET}g:${listing.grade}`] : []),
    ...(listing.ipc ? ipcFacets(listing.ipc) : []),
    ...(listing.ownerSub ? [`${FACET}o:${listing.ownerSub}`] : []),
    ...(listing.ownerUscc ? [`${FACET}u:${listing.ownerUscc}`] : []),
  ];
}

function isPosition(value: unknown): value is SearchPosition {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (v.t === 0 || v.t === 1 || v.t === 2 || v.t === 3) && typeof v.n === 'string' && typeof v.h === 'string';
}

/** A short hash of everything but the page: the same search pages on with its own cursors only. */
export function criteriaHash(c: SearchCriteria): string {
  const key = JSON.stringify([c.plan.normalized, c.kind, c.ipcPrefix, c.owner, c.grade, c.openLicence, c.available]);
  return createHash('sha256').update(key).digest('base64url').slice(0, 12);
}

export function encodeSearchCursor(position: SearchPosition): string {
  return encodeCursor(position);
}

/** The cursor's position; 400 on field `cursor` when it is not one this search issued. */
export function decodeSearchCursor(cursor: string, c: SearchCriteria): SearchPosition {
  const textSearch = c.plan.terms.length > 0;
  return decodeCursor(
    cursor,
    (v): v is SearchPosition => isPosition(v) && v.h === criteriaHash(c) && (v.t === 0) === !textSearch,
  );
}

/** Rows the probe may walk for a page of `limit` in a table of `rows`: √(limit × rows), bounded. */
export function probeWindow(limit: number, rows: number): number {
  return Math.min(50_000, Math.max(1000, Math.ceil(Math.sqrt(Math.max(1, limit) * Math.max(0, rows)))));
}

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** What a step of a tier (or browsing) asks: the gram array, the tokens it must contain, and the rest. */
export interface StepSpec {
  /** The array whose GIN index serves the step: `title_grams` (tiers 2, browse) or `search_grams` (tier 1). */
  readonly array: 'title_grams' | 'search_grams';
  /** Grams and facet tokens the array must contain (for the match bound too). */
  readonly required: readonly string[];
  /** Owner facet: at least one of these. */
  readonly anyOf: readonly string[];
}

interface Filters {
  readonly tokens: string[];
  readonly owner: string[];
  readonly conditions: (p: Params) => string[];
}

function filters(c: SearchCriteria, today: string): Filters {
  const tokens: string[] = [];
  if (c.kind !== undefined) tokens.push(`${FACET}k:${c.kind}`);
  if (c.grade !== undefined) tokens.push(`${FACET}g:${c.grade}`);
  const ipc = c.ipcPrefix;
  const ipcIsFacet = ipc !== undefined && !ipc.includes('/');
  if (ipc !== undefined && ipcIsFacet) tokens.push(`${FACET}i:${ipc}`);
  const owner = c.owner === undefined ? [] : [`${FACET}o:${c.owner}`, `${FACET}u:${c.owner.toUpperCase()}`];
  return {
    tokens,
    owner,
    conditions: (p) => {
      const where: string[] = [];
      // A group with part of its subgroup (`H01L31/04`) is a plain prefix of the symbol.
      if (ipc !== undefined && !ipcIsFacet) where.push(`p.ipc like ${p.add(ipc.replace(/[\\%_]/g, (x) => `\\${x}`))} || '%'`);
      if (c.openLicence !== undefined || c.available !== undefined) {
        const day = p.add(today);
        const inForce = `(p.open_licence_days is not null and p.open_licence_days @> ${day}::date)`;
        if (c.openLicence === true) where.push(inForce);
        if (c.openLicence === false) where.push(`not ${inForce}`);
        const available = `(p.status = 'valid' and not p.exclusive_days @> ${day}::date
        and not exists (select 1 from patent_pledges pp where pp.number = p.number))`;
        if (c.available === true) where.push(available);
        if (c.available === false) where.push(`not ${available}`);
      }
      return where;
    },
  };
}

const isShortWord = (t: SearchTerm): boolean => t.strategy === 'grams' && !isHan(t.text);
const allGrams = (plan: SearchPlan): string[] => [...new Set(plan.terms.flatMap((t) => t.grams))];

/** The title alone contains every term (the semantics of the domain's `termMatches`), exact tests only. */
function titleTests(plan: SearchPlan, p: Params): string[] {
  return plan.terms
    .filter((t) => t.strategy === 'trigram')
    .map((t) => (isHan(t.text) ? `strpos(p.search_title, ${p.add(t.text)}) > 0` : `p.search_title like ${p.add(t.likePattern)}`));
}

function titleMatches(plan: SearchPlan, p: Params): string {
  const grams = allGrams(plan);
  const where = [...(grams.length > 0 ? [`p.title_grams @> ${p.add(grams)}::text[]`] : []), ...titleTests(plan, p)];
  return where.length === 0 ? 'true' : `(${where.join(' and ')})`;
}

/**
 * The document tests beyond the gram array: the exact substring test of Chinese terms (all of
 * them when probing, where the row's own `search_text` is cheaper than the out-of-row grams) and
 * Latin terms of 3+ characters.
 */
function documentTests(plan: SearchPlan, p: Params, probing: boolean): string[] {
  return plan.terms.flatMap((t) => {
    if (isHan(t.text)) return probing || t.strategy === 'trigram' ? [`strpos(p.search_text, ${p.add(t.text)}) > 0`] : [];
    return t.strategy === 'trigram' ? [`p.search_text like ${p.add(t.likePattern)}`] : [];
  });
}

/** What step `step` of criteria `c` requires of its gram array (for the SQL and the match bound). */
export function stepSpec(c: SearchCriteria, step: Step): StepSpec {
  const f = filters(c, '');
  if (step === 0) return { array: 'title_grams', required: f.tokens, anyOf: f.owner };
  const grams = allGrams(c.plan);
  return { array: step === 2 ? 'title_grams' : 'search_grams', required: [...grams, ...f.tokens], anyOf: f.owner };
}

/**
 * The WHERE of a step. `probing`: tested row by row on the probe's window (Chinese by `strpos`
 * on the row's text; the out-of-row `search_grams` only for short Latin words and facets); else
 * led by GIN conditions for the bitmap.
 */
function stepConditions(c: SearchCriteria, step: Step, today: string, p: Params, probing: boolean): string[] {
  const f = filters(c, today);
  const where: string[] = [];
  const arrayConditions = (array: string, required: readonly string[]): void => {
    if (required.length > 0) where.push(`p.${array} @> ${p.add(required)}::text[]`);
    if (f.owner.length > 0) where.push(`p.${array} && ${p.add(f.owner)}::text[]`);
  };
  if (step === 0) {
    arrayConditions('title_grams', f.tokens);
  } else if (step === 2) {
    arrayConditions('title_grams', [...allGrams(c.plan), ...f.tokens]);
    where.push(...titleTests(c.plan, p), `p.search_title <> ${p.add(c.plan.normalized)}`);
  } else {
    if (probing) {
      // The facets are in title_grams too, which the key covers; the text tests read search_text.
      arrayConditions('title_grams', f.tokens);
      where.push(...documentTests(c.plan, p, true));
      const shortWords = c.plan.terms.filter(isShortWord).map((t) => t.text);
      if (shortWords.length > 0) where.push(`p.search_grams @> ${p.add(shortWords)}::text[]`);
    } else {
      arrayConditions('search_grams', [...allGrams(c.plan), ...f.tokens]);
      where.push(...documentTests(c.plan, p, false));
    }
    // Not a title match, hence not the exact title either.
    where.push(`not ${titleMatches(c.plan, p)}`);
  }
  where.push(...f.conditions(p));
  return where;
}

/**
 * At most how many rows a step can match: the count of its rarest required gram or token (an
 * element missing from the most-common list is at most as frequent as the least common listed),
 * and the owner facets together. Infinity when the statistics say nothing.
 */
export interface GramStatistics {
  readonly rows: number;
  readonly arrays: ReadonlyMap<string, { readonly frequencies: ReadonlyMap<string, number>; readonly floor: number }>;
}

export function matchBound(spec: StepSpec, stats: GramStatistics): number {
  const array = stats.arrays.get(spec.array);
  if (array === undefined) return Infinity;
  const frequency = (e: string): number => array.frequencies.get(e) ?? array.floor;
  const bounds = spec.required.map(frequency);
  if (spec.anyOf.length > 0) bounds.push(spec.anyOf.reduce((sum, e) => sum + frequency(e), 0));
  return bounds.length === 0 ? Infinity : Math.min(...bounds) * stats.rows;
}

/** Columns the key's INCLUDE list covers: what the title tier's and browsing's probe reads. */
const COVERED = 'p.number, p.title_grams, p.search_title, p.kind, p.status, p.grade, p.ipc, p.owner_sub, p.owner_uscc, p.open_licence_days, p.exclusive_days';

const numbersQuery = (from: string, where: readonly string[], limit: string): string =>
  `select p.number from ${from}
    ${where.length === 0 ? '' : `where ${where.join('\n      and ')}`}
    order by p.number desc limit ${limit}`;

/** Tier 3: numbers of the listings whose title is the query (btree on `search_title`). */
export function exactTitleQuery(c: SearchCriteria, today: string, limit: number, after?: SearchPosition): Sql {
  const p = new Params();
  const f = filters(c, today);
  const where = [`p.search_title = ${p.add(c.plan.normalized)}`];
  if (f.tokens.length > 0) where.push(`p.title_grams @> ${p.add(f.tokens)}::text[]`);
  if (f.owner.length > 0) where.push(`p.title_grams && ${p.add(f.owner)}::text[]`);
  where.push(...f.conditions(p));
  if (after !== undefined) where.push(`p.number < ${p.add(after.n)}`);
  return { text: numbersQuery('patents p', where, p.add(limit)), params: p.values };
}

/**
 * A step's probe: the matches among the next `window` rows down the key (below `after`). A full
 * page means done; fewer means the step is sparse: ask `bitmapQuery`.
 */
export function probeQuery(c: SearchCriteria, step: Step, today: string, limit: number, window: number, after?: SearchPosition): Sql {
  const p = new Params();
  const columns = step === 1 ? `${COVERED}, p.search_text, p.search_grams` : COVERED;
  const range = after === undefined ? '' : `where p.number < ${p.add(after.n)}`;
  const from = `(select ${columns} from patents p ${range} order by p.number desc limit ${p.add(window)}) p`;
  return { text: numbersQuery(from, stepConditions(c, step, today, p, true), p.add(limit)), params: p.values };
}

/** A step's bitmap: every match through the GIN indexes, the newest `limit` of them (run with index scans off). */
export function bitmapQuery(c: SearchCriteria, step: Step, today: string, limit: number, after?: SearchPosition): Sql {
  const p = new Params();
  const where = stepConditions(c, step, today, p, false);
  if (after !== undefined) where.push(`p.number < ${p.add(after.n)}`);
  return { text: numbersQuery('patents p', where, p.add(limit)), params: p.values };
}

/** The full rows of a page, with their pledges, in the order given. */
export function pageRowsQuery(numbers: readonly string[]): Sql {
  return {
    text: `select p.number, p.status, p.title, p.abstract, p.keywords, p.ipc, p.granted_on::text as granted_on, p.grade,
                  p.category, p.listed_on::text as listed_on, p.updated_on::text as updated_on, p.state,
                  coalesce((select json_agg(json_build_object('bank', pp.bank, 'loanRef', pp.loan_ref) order by pp.bank, pp.loan_ref)
                              from patent_pledges pp where pp.number = p.number), '[]'::json) as pledges
             from unnest($1::text[]) with ordinality as k(number, position)
             join patents p on p.number = k.number
            order by k.position`,
    params: [numbers],
  };
}
