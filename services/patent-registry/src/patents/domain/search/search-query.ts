import { SHORT_WORD_MAX, isHan, normalizeSearchText, searchGrams, tokenize } from './search-text';

/** How one term of a query is looked up. */
export type TermStrategy =
  /** ≥ 3 characters: `search_text LIKE likePattern` on the trigram index. */
  | 'trigram'
  /** 1-2 CJK characters or a 1-2 character word: `search_grams @> grams`, exact, no recheck. */
  | 'grams';

export interface SearchTerm {
  /** Normalised term. */
  readonly text: string;
  readonly strategy: TermStrategy;
  /**
   * Grams the document must contain. For `grams` terms: the term itself (a document gram). For
   * `trigram` Han terms: their bigrams, a GIN-indexable prefilter the LIKE recheck confirms. Empty
   * for `trigram` terms of other scripts.
   */
  readonly grams: readonly string[];
  /** `%term%` with `\`, `%` and `_` escaped, for `LIKE … ESCAPE '\'` (PostgreSQL's default escape). */
  readonly likePattern: string;
}

export interface SearchPlan {
  /** The whole query normalised (NFKC, lower-case, single spaces): for exact-title ranking (tier 3) and the cursor's criteria hash. */
  readonly normalized: string;
  /** Distinct terms, in query order; a document must match every one (AND). Empty: no text filter. */
  readonly terms: readonly SearchTerm[];
}

/** At most this many distinct terms: a search box, not a document. */
export const MAX_SEARCH_TERMS = 8;
/** At most this many characters in one term. */
export const MAX_TERM_LENGTH = 64;

/**
 * Why `q` cannot be searched as sent — more than `MAX_SEARCH_TERMS` distinct terms, or a term longer
 * than `MAX_TERM_LENGTH` characters — or null. The HTTP layer refuses such a query (400 on `q`)
 * rather than search for part of it; `planSearchQuery` still caps what it is given.
 */
export function searchQueryProblem(query: string): string | null {
  const terms = new Set(tokenize(normalizeSearchText(query)));
  if (terms.size > MAX_SEARCH_TERMS) return `q has ${terms.size} distinct terms; at most ${MAX_SEARCH_TERMS} are searched together`;
  const long = [...terms].find((t) => [...t].length > MAX_TERM_LENGTH);
  return long === undefined ? null : `q: the term "${[...long].slice(0, 16).join('')}…" is longer than ${MAX_TERM_LENGTH} characters`;
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function planTerm(text: string): SearchTerm {
  const length = [...text].length;
  const likePattern = `%${escapeLike(text)}%`;
  if (length <= SHORT_WORD_MAX) return { text, strategy: 'grams', grams: [text], likePattern };
  // A long Han term: its bigrams are necessary (not sufficient) for a substring match.
  const grams = isHan(text) ? searchGrams(text).filter((g) => [...g].length === 2) : [];
  return { text, strategy: 'trigram', grams, likePattern };
}

/**
 * Turns a free-text query (Chinese, English or mixed) into terms for the SQL layer. Terms are
 * substrings of the normalised document, matched without word segmentation: `光伏组件` matches
 * "一种光伏组件的封装方法" but not "光伏电池组件" (that needs two terms, `光伏 组件`).
 *
 * `planSearchQuery('  一种 光伏组件，PD-1 ')` →
 *   一种 (grams [一种]), 光伏组件 (trigram, grams [光伏, 伏组, 组件]), pd (grams [pd]), 1 (grams [1]).
 */
export function planSearchQuery(query: string): SearchPlan {
  const normalized = normalizeSearchText(query);
  const seen = new Set<string>();
  const terms: SearchTerm[] = [];
  for (const token of tokenize(normalized)) {
    const text = [...token].slice(0, MAX_TERM_LENGTH).join('');
    if (seen.has(text)) continue;
    seen.add(text);
    terms.push(planTerm(text));
    if (terms.length === MAX_SEARCH_TERMS) break;
  }
  return { normalized, terms };
}

/**
 * Every gram the query needs, for one `search_grams @> $1` condition (AND of all terms' grams):
 * exact for short terms, a prefilter for long Han terms (which the `LIKE` recheck confirms).
 */
export function queryGrams(query: string): string[] {
  return [...new Set(planSearchQuery(query).terms.flatMap((t) => t.grams))];
}
