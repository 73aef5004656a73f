import type { SearchPlan, SearchTerm } from './search-query';
import { listingSearchDocument, normalizeSearchText, searchGrams, type SearchableListing } from './search-text';

/**
 * How well a listing matches; the search asks the tiers best first:
 *
 *   3  exact title: the normalised title equals the normalised query;
 *   2  title contains every term (and is not the exact title);
 *   1  only title, abstract and keywords together contain every term;
 *   0  no match (filtered out).
 *
 * Within a tier the newest application comes first: `rank_key` descending (see `rankKey`:
 * application year, serial, type digit), an order independent of the text, so a page is found
 * without visiting every match. No text similarity is computed. The SQL (`patent-search.ts`) asks
 * tier 3, then 2, then 1 until the page is full, each as
 *
 *   WHERE <the tier's conditions> [AND rank_key < $cursor]
 *   ORDER BY rank_key DESC
 *
 * and the keyset cursor is `(tier, rank_key)`. A `trigram` term matches with `LIKE likePattern`
 * (Chinese ones by `strpos`, their bigrams as a GIN prefilter) and a `grams` term by its grams.
 * Without a text query, listings come in the same `rank_key DESC` order.
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
}

/**
 * The order inside a rank tier, newest first: application year, serial, type digit
 * (`202310123456.6` → `20230123456` + `1` + `.6`). The type digit comes last so that walking the
 * order does not meet all designs of a year before its first invention. Stored as `rank_key`.
 */
export function rankKey(number: string): string {
  return `${number.slice(0, 4)}${number.slice(5, 12)}${number[4]}${number.slice(12)}`;
}

/** Sort comparator in the search's order: tier desc, then rank key desc (newest application first). */
export function compareHits(a: RankedHit, b: RankedHit): number {
  if (a.tier !== b.tier) return b.tier - a.tier;
  const ka = rankKey(a.number);
  const kb = rankKey(b.number);
  return ka > kb ? -1 : ka < kb ? 1 : 0;
}

/** Normalises a title the way `search_title` stores it. */
export function searchTitle(title: string): string {
  return normalizeSearchText(title);
}
