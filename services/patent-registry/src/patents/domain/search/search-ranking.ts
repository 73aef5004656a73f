import type { SearchPlan, SearchTerm } from './search-query';
import { listingSearchDocument, normalizeSearchText, searchGrams, type SearchableListing } from './search-text';

/**
 * How well a listing matches, best first:
 *
 *   3  exact title: the normalised title equals the normalised query;
 *   2  title contains every term;
 *   1  title, abstract and keywords together contain every term;
 *   0  no match (filtered out).
 *
 * Within a tier, higher pg_trgm `similarity(search_text, normalized query)` first, then the patent
 * number ascending, so the order is total and a keyset cursor `(tier, similarity, number)` is stable.
 * The SQL mirrors it as
 *
 *   CASE WHEN search_title = $normalized THEN 3
 *        WHEN <every term matches search_title> THEN 2 ELSE 1 END AS tier,
 *   similarity(search_text, $normalized) AS sim
 *   ORDER BY tier DESC, sim DESC, number ASC
 *
 * where a `trigram` term matches with `LIKE likePattern` and a `grams` term by its grams (in SQL on
 * the title: `search_title LIKE likePattern` is close enough for ranking a row already filtered).
 */
export type MatchTier = 0 | 1 | 2 | 3;

/** Whether one term matches normalised text, with the semantics the SQL filter has. */
export function termMatches(term: SearchTerm, normalizedText: string): boolean {
  switch (term.strategy) {
    case 'trigram':
      return normalizedText.includes(term.text);
    case 'grams': {
      const grams = new Set(searchGrams(normalizedText));
      return term.grams.every((g) => grams.has(g));
    }
  }
}

export function matchTier(listing: SearchableListing, plan: SearchPlan): MatchTier {
  const document = listingSearchDocument(listing);
  if (plan.terms.length === 0) return 1;
  const everyTermIn = (text: string): boolean => plan.terms.every((t) => termMatches(t, text));
  if (!everyTermIn(document.text)) return 0;
  if (document.title === plan.normalized) return 3;
  return everyTermIn(document.title) ? 2 : 1;
}

export interface RankedHit {
  readonly number: string;
  readonly tier: MatchTier;
  /** pg_trgm `similarity()`, 0…1 (a score, not money: a float is fine). */
  readonly similarity: number;
}

/** Sort comparator: tier desc, similarity desc, number asc. */
export function compareHits(a: RankedHit, b: RankedHit): number {
  if (a.tier !== b.tier) return b.tier - a.tier;
  if (a.similarity !== b.similarity) return b.similarity - a.similarity;
  return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
}

/** Normalises a title the way `search_title` stores it. */
export function searchTitle(title: string): string {
  return normalizeSearchText(title);
}
