import { createHash } from 'node:crypto';
import { decodeCursor, encodeCursor } from '@ipfin/http';
import { isHan, rankKey, type SearchPlan, type SearchTerm } from './domain';
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
 *   2  the title alone matches every term (`title_grams` for the GIN, `search_title` for exact tests);
 *   1  only title + abstract + keywords together match.
 * Inside a tier the newest application comes first (`rank_key`: year, serial, type digit), an
 * order independent of the text, so a page can be found without visiting every match.
 *
 * How a tier's page is found. Per frequency either of two plans is cheap and the other ruinous:
 * walking the rank index backwards testing rows (cost ≈ page / density) for common terms, or the GIN
 * bitmap of all matches sorted by rank (cost ≈ matches) for rare ones. PostgreSQL's estimate
 * multiplies the grams' frequencies as if independent (转换 and 效率 come together), so left alone it
 * takes the bitmap for common multi-character terms and visits hundreds of thousands of rows. So the
 * repository decides, in at most two bounded steps, from the cost ratio r of a bitmap match (a
 * table page) to a probe row (an index tuple):
 *   - a bound of the matches is the count of the rarest gram or selective facet (pg_stats of the
 *     array), scaled by the shares of kind and grade; if it is at most √(page × rows ÷ r)
 *     (`bitmapBudget`), the bitmap step alone (index scans disabled for that statement; only the
 *     rarest few elements in the GIN condition, exact tests for the rest);
 *   - otherwise a probe walks at most W = √(page × rows × r) rows (`probeWindow`) down the rank
 *     index (an index-only scan: it covers the normalised title and the filter columns; the
 *     document tier reads the table only for rows that pass those) and answers when it fills the
 *     page; if it does not, the density is below page / W, the matches number page × rows / W at
 *     most, and the bitmap finds them. Either way bounded work.
 *
 * The keyset cursor is (tier, rank key). Without a text query, listings come newest first, found
 * the same way (tier 0, the filters alone).
 */

export type Tier = 1 | 2 | 3;
/** 0: browsing, no text query. */
export type Step = 0 | 1 | 2;

/** Keyset position of the last row of a page. `t` 0: browsing (no text query). */
export interface SearchPosition {
  readonly t: 0 | Tier;
  /** Rank key of the last row. */
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

/** The order inside a rank tier, newest first (the domain's `rankKey`, stored as `rank_key`). */
export { rankKey };

/**
 * Cost of the bitmap step per match (a table page) against the probe per window row (a tuple of
 * the narrow rank index, ~40 a page), and of a table row against an index tuple, as measured on
 * 1 M listings on the reference machine (2 cores, 128 MB shared buffers): ≈ 0.5 µs per index tuple,
 * 1-15 µs per table page depending on the cache. See docs/benchmarks-patents.md.
 */
export const BITMAP_TO_PROBE_COST = 16;
export const HEAP_TO_INDEX_COST = 16;

/**
 * Rows the probe may walk for a page of `limit` in a table of `rows`: W = √(limit × rows × bitmap
 * cost ÷ row cost) minimises the worst case of a failed probe (W rows) plus the bitmap after it (at
 * most limit × rows ÷ W matches). A window row costs an index tuple plus, for the document tier, a
 * table row for the share `heapShare` of rows that pass the covered filters. Bounded to
 * 1 000…100 000.
 */
export function probeWindow(limit: number, rows: number, heapShare = 0): number {
  const perRow = 1 + heapShare * HEAP_TO_INDEX_COST;
  const window = Math.sqrt((Math.max(1, limit) * Math.max(0, rows) * BITMAP_TO_PROBE_COST) / perRow);
  return Math.min(100_000, Math.max(1000, Math.ceil(window)));
}

/**
 * Matches the bitmap step may take on without probing first: below √(limit × rows × row cost ÷
 * bitmap cost) the bitmap over all matches is cheaper than the walk their density would need.
 */
export function bitmapBudget(limit: number, rows: number, heapShare = 0): number {
  const perRow = 1 + heapShare * HEAP_TO_INDEX_COST;
  return Math.sqrt((Math.max(1, limit) * Math.max(0, rows) * perRow) / BITMAP_TO_PROBE_COST);
}

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** What a step of a tier (or browsing) asks of its gram array: for the match bound. */
export interface StepSpec {
  /** The array whose GIN index serves the step: `title_grams` (tier 2, browsing) or `search_grams` (tier 1). */
  readonly array: GramArray;
  /** Text grams and selective facets (IPC) the array must contain. */
  readonly required: readonly string[];
  /** Owner facets: at least one of these. */
  readonly anyOf: readonly string[];
  /** Low-cardinality facets (kind, grade): they scale the bound as shares, not as counts. */
  readonly scaled: readonly string[];
}

export type GramArray = 'title_grams' | 'search_grams';

/** An element's frequency (share of rows) in a gram array, from the statistics; undefined if unknown. */
export type Frequency = (array: GramArray, element: string) => number | undefined;

/** At most this many elements go into a GIN `@>`, the rarest ones; exact tests cover the others. */
export const MAX_GIN_KEYS = 3;
/**
 * An element in more than this share of rows stays out of the GIN `@>` when rarer ones are in it:
 * intersecting its long posting list costs more than testing the column on the few rows left.
 */
export const MAX_GIN_KEY_SHARE = 0.5;

interface Facet {
  readonly token: string;
  /** The same filter on the row's (key-covered) columns. */
  readonly condition: (p: Params) => string;
  /** Few distinct values: a share of the rows rather than a small set. */
  readonly scaled: boolean;
}

interface Filters {
  readonly facets: readonly Facet[];
  readonly owner: readonly string[];
  readonly ownerCondition: (p: Params) => string;
  /** What no token expresses: an IPC prefix below the main group, open licence, availability. */
  readonly conditions: (p: Params) => string[];
}

function filters(c: SearchCriteria, today: string): Filters {
  const facets: Facet[] = [];
  const { kind, grade, ipcPrefix: ipc, owner } = c;
  if (kind !== undefined) facets.push({ token: `${FACET}k:${kind}`, condition: (p) => `p.kind = ${p.add(kind)}`, scaled: true });
  if (grade !== undefined) facets.push({ token: `${FACET}g:${grade}`, condition: (p) => `p.grade = ${p.add(grade)}`, scaled: true });
  const ipcIsFacet = ipc !== undefined && !ipc.includes('/');
  if (ipc !== undefined && ipcIsFacet) {
    const mainGroup = /\d$/.test(ipc) && ipc.length > 4;
    facets.push({
      token: `${FACET}i:${ipc}`,
      condition: (p) => {
        const value = p.add(ipc);
        return mainGroup ? `(p.ipc = ${value} or p.ipc like ${value} || '/%')` : `p.ipc like ${value} || '%'`;
      },
      scaled: false,
    });
  }
  return {
    facets,
    owner: owner === undefined ? [] : [`${FACET}o:${owner}`, `${FACET}u:${owner.toUpperCase()}`],
    ownerCondition: (p) => {
      const value = p.add(owner);
      return `(p.owner_sub = ${value} or p.owner_uscc = upper(${value}))`;
    },
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

/** The title alone contains every term (the semantics of the domain's `termMatches`). */
function titleMatches(plan: SearchPlan, p: Params): string {
  const grams = allGrams(plan);
  const where = [
    ...(grams.length > 0 ? [`p.title_grams @> ${p.add(grams)}::text[]`] : []),
    ...plan.terms
      .filter((t) => t.strategy === 'trigram')
      .map((t) => (isHan(t.text) ? `strpos(p.search_title, ${p.add(t.text)}) > 0` : `p.search_title like ${p.add(t.likePattern)}`)),
  ];
  return where.length === 0 ? 'true' : `(${where.join(' and ')})`;
}

/** What step `step` of criteria `c` requires of its gram array (for the match bound). */
export function stepSpec(c: SearchCriteria, step: Step): StepSpec {
  const f = filters(c, '');
  const grams = step === 0 ? [] : allGrams(c.plan);
  return {
    array: step === 1 ? 'search_grams' : 'title_grams',
    required: [...grams, ...f.facets.filter((x) => !x.scaled).map((x) => x.token)],
    anyOf: f.owner,
    scaled: f.facets.filter((x) => x.scaled).map((x) => x.token),
  };
}

/**
 * The bitmap step's conditions on `array`, whose text column is `text`: one GIN `@>` with the
 * rarest few elements (short Latin words always, they have no other exact test), the owner facets
 * as a GIN `&&`, and exact tests for everything left out: `strpos` for Chinese terms, `LIKE` for
 * long Latin ones, the facets on their columns.
 */
function indexedConditions(c: SearchCriteria, array: GramArray, text: string, f: Filters, p: Params, frequency?: Frequency): string[] {
  const where: string[] = [];
  const shortWords = c.plan.terms.filter(isShortWord).map((t) => t.text);
  const candidates = [...new Set([...allGrams(c.plan), ...f.facets.map((x) => x.token)])];
  let keys = candidates;
  if (frequency !== undefined) {
    const rarity = (e: string): number => frequency(array, e) ?? 0;
    const optional = candidates.filter((e) => !shortWords.includes(e)).sort((a, b) => rarity(a) - rarity(b));
    const chosen = optional.slice(0, Math.max(0, MAX_GIN_KEYS - shortWords.length));
    keys = [...shortWords, ...chosen.filter((e, i) => (i === 0 && shortWords.length === 0) || rarity(e) <= MAX_GIN_KEY_SHARE)];
  }
  if (keys.length > 0) where.push(`p.${array} @> ${p.add(keys)}::text[]`);
  if (f.owner.length > 0) where.push(`p.${array} && ${p.add(f.owner)}::text[]`);
  for (const t of c.plan.terms) {
    if (isHan(t.text)) {
      if (t.strategy === 'trigram' || !keys.includes(t.text)) where.push(`strpos(p.${text}, ${p.add(t.text)}) > 0`);
    } else if (t.strategy === 'trigram') {
      where.push(`p.${text} like ${p.add(t.likePattern)}`);
    }
  }
  for (const facet of f.facets) if (!keys.includes(facet.token)) where.push(facet.condition(p));
  return where;
}

/**
 * The WHERE of a step. `probing`: tested row by row on the probe's window, on what the key covers
 * (title grams, facet columns) and the row's own `search_text` (the out-of-row `search_grams` only
 * for short Latin words); else the GIN-led conditions of the bitmap.
 */
function stepConditions(c: SearchCriteria, step: Step, today: string, p: Params, probing: boolean, frequency?: Frequency): string[] {
  const f = filters(c, today);
  const where: string[] = [];
  if (probing) {
    // Covered tests first (their order is kept): facets on their columns, the title by `strpos`.
    where.push(...f.facets.map((x) => x.condition(p)));
    if (f.owner.length > 0) where.push(f.ownerCondition(p));
    if (step === 2) where.push(coveredTitleMatches(c.plan, p));
    if (step === 1) {
      where.push(`not ${coveredTitleMatches(c.plan, p)}`);
      // `t`: the table's row, joined for the window rows that pass the covered tests.
      for (const term of c.plan.terms) {
        if (isHan(term.text)) where.push(`strpos(t.search_text, ${p.add(term.text)}) > 0`);
        else if (term.strategy === 'trigram') where.push(`t.search_text like ${p.add(term.likePattern)}`);
      }
      const shortWords = c.plan.terms.filter(isShortWord).map((term) => term.text);
      if (shortWords.length > 0) where.push(`t.search_grams @> ${p.add(shortWords)}::text[]`);
    }
  } else {
    where.push(...indexedConditions(c, step === 1 ? 'search_grams' : 'title_grams', step === 1 ? 'search_text' : 'search_title', f, p, frequency));
  }
  if (step === 2) where.push(`p.search_title <> ${p.add(c.plan.normalized)}`);
  // Not a title match, hence not the exact title either.
  if (step === 1 && !probing) where.push(`not ${titleMatches(c.plan, p)}`);
  where.push(...f.conditions(p));
  return where;
}

/**
 * The title alone contains every term, on what the rank index covers: `strpos`/`LIKE` on
 * `search_title` (for Chinese the same as the grams), and for short Latin words the joined table
 * row's `title_grams` (whole words).
 */
function coveredTitleMatches(plan: SearchPlan, p: Params): string {
  const where = plan.terms
    .filter((t) => !isShortWord(t))
    .map((t) => (isHan(t.text) ? `strpos(p.search_title, ${p.add(t.text)}) > 0` : `p.search_title like ${p.add(t.likePattern)}`));
  const shortWords = plan.terms.filter(isShortWord).map((t) => t.text);
  if (shortWords.length > 0) where.push(`t.title_grams @> ${p.add(shortWords)}::text[]`);
  return where.length === 0 ? 'true' : `(${where.join(' and ')})`;
}

export interface GramStatistics {
  readonly rows: number;
  readonly arrays: ReadonlyMap<string, { readonly frequencies: ReadonlyMap<string, number>; readonly floor: number }>;
}

/** Frequencies from the statistics: an element missing from the most-common list is at most as frequent as the least common listed. */
export function frequencies(stats: GramStatistics): Frequency {
  return (array, element) => {
    const known = stats.arrays.get(array);
    return known === undefined ? undefined : (known.frequencies.get(element) ?? known.floor);
  };
}

/** The share of rows that pass a step's facet filters (IPC, owner, kind, grade), taken as independent. */
export function facetShare(spec: StepSpec, frequency: Frequency): number {
  const of = (e: string): number => frequency('title_grams', e) ?? 1;
  const facets = spec.required.filter((e) => e.startsWith(FACET));
  const owner = spec.anyOf.length === 0 ? 1 : Math.min(1, spec.anyOf.reduce((sum, e) => sum + of(e), 0));
  return Math.min(1, [...facets, ...spec.scaled].reduce((product, e) => product * of(e), owner));
}

/**
 * About how many rows a step can match: at most the count of its rarest required gram or
 * selective facet (or of the owner facets together), times the shares of kind and grade (taken as
 * independent of the text). Infinity when the statistics say nothing.
 */
export function matchBound(spec: StepSpec, stats: GramStatistics): number {
  const frequency = frequencies(stats);
  if (!stats.arrays.has(spec.array)) return Infinity;
  const of = (e: string): number => frequency(spec.array, e) ?? 1;
  const bounds = spec.required.map(of);
  if (spec.anyOf.length > 0) bounds.push(spec.anyOf.reduce((sum, e) => sum + of(e), 0));
  if (bounds.length === 0 && spec.scaled.length === 0) return Infinity;
  const share = spec.scaled.reduce((product, e) => product * of(e), 1);
  return (bounds.length === 0 ? 1 : Math.min(...bounds)) * share * stats.rows;
}

/** Columns `patents_rank_idx` covers: what the probes read without the table. */
const COVERED = 'p.rank_key, p.number, p.search_title, p.kind, p.status, p.grade, p.ipc, p.owner_sub, p.owner_uscc, p.open_licence_days, p.exclusive_days';

const numbersQuery = (from: string, where: readonly string[], limit: string): string =>
  `select p.number, p.rank_key from ${from}
    ${where.length === 0 ? '' : `where ${where.join('\n      and ')}`}
    order by p.rank_key desc limit ${limit}`;

/** Tier 3: numbers of the listings whose title is the query (btree on `search_title`). */
export function exactTitleQuery(c: SearchCriteria, today: string, limit: number, after?: SearchPosition): Sql {
  const p = new Params();
  const f = filters(c, today);
  const where = [`p.search_title = ${p.add(c.plan.normalized)}`, ...f.facets.map((x) => x.condition(p))];
  if (f.owner.length > 0) where.push(f.ownerCondition(p));
  where.push(...f.conditions(p));
  if (after !== undefined) where.push(`p.rank_key < ${p.add(after.n)}`);
  return { text: numbersQuery('patents p', where, p.add(limit)), params: p.values };
}

/**
 * A step's probe: the matches among the next `window` rows down the key (below `after`). A full
 * page means done; fewer means the step is sparse: ask `bitmapQuery`.
 */
export function probeQuery(c: SearchCriteria, step: Step, today: string, limit: number, window: number, after?: SearchPosition): Sql {
  const p = new Params();
  const range = after === undefined ? '' : `where p.rank_key < ${p.add(after.n)}`;
  const walk = `(select ${COVERED} from patents p ${range} order by p.rank_key desc limit ${p.add(window)}) p`;
  // The table's row is read only for the window rows that pass the covered tests, and only for the
  // document tier (search_text) or short Latin words (whole-word grams).
  const readsTable = step === 1 || (step === 2 && c.plan.terms.some(isShortWord));
  const from = readsTable ? `${walk} join patents t on t.number = p.number` : walk;
  return { text: numbersQuery(from, stepConditions(c, step, today, p, true), p.add(limit)), params: p.values };
}

/**
 * A step's bitmap: every match through the GIN indexes, the newest `limit` of them (run with index
 * scans off). With `frequency` only the rarest few elements go into the GIN condition.
 */
export function bitmapQuery(c: SearchCriteria, step: Step, today: string, limit: number, after?: SearchPosition, frequency?: Frequency): Sql {
  const p = new Params();
  const where = stepConditions(c, step, today, p, false, frequency);
  if (after !== undefined) where.push(`p.rank_key < ${p.add(after.n)}`);
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
