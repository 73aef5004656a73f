/*
 * Text preparation for the public patent search (`GET /v1/patents?q=`), shared by the listing
 * side (what is stored) and the query side (what is looked up), so both normalise alike.
 *
 * How the SQL layer is meant to use it (PostgreSQL, extension pg_trgm):
 *
 *   search_text  text   = listingSearchDocument(...).text      -- NFKC, lower-case, one line
 *   search_grams text[] = listingSearchDocument(...).grams     -- CJK unigrams + bigrams, short words
 *   CREATE INDEX ... USING gin (search_text gin_trgm_ops);
 *   CREATE INDEX ... USING gin (search_grams);
 *
 * pg_trgm answers `search_text LIKE '%term%'` from the trigram index when the term has at least
 * three characters; a one- or two-character term yields no complete trigram, so the index cannot
 * help and PostgreSQL scans. Chinese queries are often exactly that short (`光伏`, `电池`), hence
 * the second column: every CJK character and every pair of adjacent CJK characters of the document,
 * generated here at listing time (no word segmentation is needed: a 1-2 character term is found iff
 * it is one of these grams), queried with `search_grams @> ARRAY[...]` on the GIN index. Latin and
 * digit words of one or two characters (`5g`, `pd`, `1`) go in the same array as whole words.
 *
 * pg_trgm only makes trigrams of characters the database's LC_CTYPE calls alphanumeric: with the
 * `C` ctype, CJK text yields none. The database must use a UTF-8 ctype (`C.UTF-8`, `zh_CN.UTF-8`);
 * check with `SELECT show_trgm('一种光伏组件')`. Long CJK terms also carry their bigrams (see
 * `planSearchQuery`) so the gram index can prefilter them even where trigrams are weak.
 */

const HAN = /\p{Script=Han}/u;
/** A run of Han characters, or a run of other letters/digits/marks (a "word"). */
const TOKEN = /\p{Script=Han}+|[^\p{Script=Han}\p{Z}\s\p{P}\p{S}\p{C}]+/gu;

/** Words of at most this many characters are stored whole in the gram array. */
export const SHORT_WORD_MAX = 2;

/** NFKC (full-width → ASCII, compatibility ideographs unified), lower-case, whitespace collapsed, trimmed. */
export function normalizeSearchText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{Z}]+/gu, ' ')
    .trim();
}

export function isHan(text: string): boolean {
  return HAN.test(text);
}

/**
 * Splits normalised text into terms: on whitespace, punctuation (Chinese and Western) and symbols,
 * and where Han meets another script (`pd-1抗体` → `pd`, `1`, `抗体`). Duplicates are kept.
 */
export function tokenize(text: string): string[] {
  return normalizeSearchText(text).match(TOKEN) ?? [];
}

/**
 * CJK unigrams and overlapping bigrams of every Han run, in order of first appearance, without
 * duplicates: `一种光伏组件` → 一, 一种, 种, 种光, 光, 光伏, 伏, 伏组, 组, 组件, 件. Bigrams never span
 * a non-Han character, so `光伏 组件` has no `伏组`.
 */
export function cjkGrams(text: string): string[] {
  const grams = new Set<string>();
  for (const token of tokenize(text)) {
    if (!isHan(token)) continue;
    const chars = [...token];
    for (let i = 0; i < chars.length; i++) {
      grams.add(chars[i]);
      if (i + 1 < chars.length) grams.add(chars[i] + chars[i + 1]);
    }
  }
  return [...grams];
}

/** `cjkGrams` plus the short non-Han words (`5g`, `pd`, `1`), for the `search_grams` column. */
export function searchGrams(text: string): string[] {
  const grams = new Set(cjkGrams(text));
  for (const token of tokenize(text)) {
    if (!isHan(token) && [...token].length <= SHORT_WORD_MAX) grams.add(token);
  }
  return [...grams];
}

/** The searchable parts of a listing. */
export interface SearchableListing {
  readonly title: string;
  readonly abstract?: string;
  readonly keywords?: readonly string[];
}

export interface SearchDocument {
  /** Normalised title, abstract and keywords on one line: the `search_text` column. */
  readonly text: string;
  /** Grams of the same: the `search_grams` column. */
  readonly grams: readonly string[];
  /** Normalised title alone, for ranking (`search_title`). */
  readonly title: string;
}

/** What to store for a listing at listing time. */
export function listingSearchDocument(listing: SearchableListing): SearchDocument {
  const parts = [listing.title, listing.abstract ?? '', ...(listing.keywords ?? [])];
  // A separator that tokenize() splits on, so grams never join the end of one field to the next.
  const text = normalizeSearchText(parts.filter((p) => p.trim() !== '').join(' | '));
  return { text, grams: searchGrams(text), title: normalizeSearchText(listing.title) };
}
