import {
  BusinessDate,
  ValueFormatError,
  describeInput,
  patentCheckChar,
  patentExpiry,
  type PatentKind,
} from '@ipfin/kernel';

/** What a normalised application number tells: `202310123456.6` → 2023, invention, not PCT. */
export interface PatentNumberFacts {
  readonly normalized: string;
  /** Application year (digits 1-4). For a PCT national-phase number: the year of entry into China. */
  readonly year: number;
  readonly kind: PatentKind;
  readonly pct: boolean;
}

const TYPE_DIGIT_KIND: Readonly<Record<string, { kind: PatentKind; pct: boolean }>> = {
  '1': { kind: 'invention', pct: false },
  '2': { kind: 'utility_model', pct: false },
  '3': { kind: 'design', pct: false },
  '8': { kind: 'invention', pct: true },
  '9': { kind: 'utility_model', pct: true },
};

/**
 * Canonical form of a patent number as other services publish it (`ZL202310123456.6`,
 * `2023 1012 3456.6`, lower-case `x`): whitespace and a `ZL`/`CN` prefix dropped, check character
 * verified. Unlike the kernel's `parsePatentNumber` it needs no clock (no "year not in the future"
 * check): numbers that reach the domain were validated at the edge already. `undefined` when the
 * text is not a well-formed 12-digit number with a correct check character.
 */
export function canonicalPatentNumber(text: string): string | undefined {
  if (typeof text !== 'string') return undefined;
  const compact = text
    .replace(/\s+/g, '')
    .toUpperCase()
    .replace(/^(ZL|CN)/, '');
  const match = /^(\d{12})\.([0-9X])$/.exec(compact);
  if (match === null || TYPE_DIGIT_KIND[match[1][4]] === undefined) return undefined;
  return patentCheckChar(match[1]) === match[2] ? `${match[1]}.${match[2]}` : undefined;
}

/** Reads the facts of a patent number; throws `invalid-patent-number` (400) when malformed. */
export function readPatentNumber(text: string): PatentNumberFacts {
  const normalized = canonicalPatentNumber(text);
  if (normalized === undefined) {
    throw new ValueFormatError(
      'invalid-patent-number',
      `Not a valid patent application number (12 digits, a dot and a correct check character): ${describeInput(text)}.`,
      text,
    );
  }
  const { kind, pct } = TYPE_DIGIT_KIND[normalized[4]];
  return { normalized, year: Number(normalized.slice(0, 4)), kind, pct };
}

/** PCT national phase starts at most 32 months after the priority date, itself ≤ the international filing date. */
const PCT_NATIONAL_PHASE_MAX_MONTHS = 32;

/**
 * The filing date the term is counted from. A known filing date wins. Otherwise the number only
 * gives a year, and the earliest date consistent with it is assumed: 1 January of that year, or for
 * a PCT national-phase number (whose year is the year of entry into China, while the term runs from
 * the international filing date) 32 months before that. The earliest possible filing date gives the
 * earliest possible expiry, so "a licence may not outlast the patent" can refuse a licence that
 * would in fact fit, but never records one that outlasts the patent.
 */
export function termStartDate(facts: Pick<PatentNumberFacts, 'year' | 'pct'>, filingDate?: BusinessDate): BusinessDate {
  if (filingDate !== undefined) return filingDate;
  const firstOfYear = BusinessDate.of(facts.year, 1, 1);
  return facts.pct ? firstOfYear.addMonths(-PCT_NATIONAL_PHASE_MAX_MONTHS) : firstOfYear;
}

/**
 * Last day the patent can be in force (statutory term: invention 20 years, utility model 10,
 * design 15, or 10 for designs filed before 2021-06-01), counted from `termStartDate`.
 */
export function patentLastDay(
  facts: Pick<PatentNumberFacts, 'year' | 'pct'> & { readonly kind: PatentKind },
  filingDate?: BusinessDate,
): BusinessDate {
  return patentExpiry(termStartDate(facts, filingDate), facts.kind);
}
