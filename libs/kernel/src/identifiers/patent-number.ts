import { ValueFormatError, describeInput } from '../errors/domain-error';
import { shanghaiDateOf } from '../time/shanghai';
import { Validated, accepted, refused } from '../validated';

/** Kinds of Chinese patent (专利类型). */
export type PatentKind = 'invention' | 'utility_model' | 'design';

export const PATENT_KINDS: readonly PatentKind[] = ['invention', 'utility_model', 'design'];

/**
 * Type digit (5th digit) of an application number: 1 invention, 2 utility model, 3 design,
 * 8 invention entering China via PCT, 9 utility model via PCT.
 */
export type PatentTypeDigit = 1 | 2 | 3 | 8 | 9;

const TYPE_DIGITS: Readonly<Record<PatentTypeDigit, { kind: PatentKind; pct: boolean }>> = {
  1: { kind: 'invention', pct: false },
  2: { kind: 'utility_model', pct: false },
  3: { kind: 'design', pct: false },
  8: { kind: 'invention', pct: true },
  9: { kind: 'utility_model', pct: true },
};

export interface PatentNumber {
  /** Bare `YYYYTNNNNNNN.C` form, check character upper-case. */
  readonly normalized: string;
  /** Filing year encoded in the number. */
  readonly year: number;
  readonly type: PatentKind;
  /** Entered the Chinese national phase through the PCT (type digit 8 or 9). */
  readonly pct: boolean;
}

export type PatentNumberRefusal = 'format' | 'length' | 'type' | 'year' | 'check';
export type PatentNumberValidation = Validated<PatentNumber, PatentNumberRefusal>;

const CHECK_WEIGHTS = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5] as const;
/** Earliest plausible filing year: the Chinese Patent Law took effect on 1985-04-01. */
export const FIRST_PATENT_YEAR = 1985;

/** Check character of the 12 digits of an application number: Σ dᵢwᵢ mod 11, 10 written X. */
export function patentCheckChar(twelveDigits: string): string {
  if (!/^\d{12}$/.test(twelveDigits))
    throw new RangeError(`patentCheckChar needs 12 digits, got ${describeInput(twelveDigits)}`);
  let sum = 0;
  for (let i = 0; i < CHECK_WEIGHTS.length; i++) sum += Number(twelveDigits[i]) * CHECK_WEIGHTS[i];
  const check = sum % 11;
  return check === 10 ? 'X' : String(check);
}

function isTypeDigit(digit: number): digit is PatentTypeDigit {
  return Object.prototype.hasOwnProperty.call(TYPE_DIGITS, digit);
}

/**
 * Parses a Chinese patent application number (the 12-digit form used since October 2003):
 * `202310123456.6`, `ZL202310123456.6`, `cn 2023 1012 3456.x`. Whitespace anywhere and a `ZL`/`CN`
 * prefix (any case) are dropped. The filing year must be between 1985 and next year (Asia/Shanghai,
 * judged at `now`). The legacy 8-digit numbers (before 2003) are not accepted.
 */
export function parsePatentNumber(input: string, now: Date = new Date()): PatentNumberValidation {
  if (typeof input !== 'string')
    return refused('format', `A patent number must be a string, got ${describeInput(input)}.`);
  const compact = input
    .replace(/\s+/g, '')
    .toUpperCase()
    .replace(/^(ZL|CN)/, '');
  const match = /^(\d+)\.([0-9X])$/.exec(compact);
  if (match === null) {
    return refused(
      'format',
      `A patent application number looks like 202310123456.6 (12 digits, a dot, a check digit or X), got ${describeInput(input)}.`,
    );
  }
  const digits = match[1];
  if (digits.length !== 12) {
    return refused(
      'length',
      `A patent application number has 12 digits before the dot, got ${digits.length} in ${describeInput(input)}.`,
    );
  }
  const typeDigit = Number(digits[4]);
  if (!isTypeDigit(typeDigit)) {
    return refused(
      'type',
      `Unknown patent type digit ${typeDigit} in ${describeInput(input)}: expected 1, 2, 3, 8 or 9.`,
    );
  }
  const year = Number(digits.slice(0, 4));
  const latestYear = shanghaiDateOf(now).year + 1;
  if (year < FIRST_PATENT_YEAR || year > latestYear) {
    return refused(
      'year',
      `Implausible filing year ${year} in ${describeInput(input)}: expected ${FIRST_PATENT_YEAR}-${latestYear}.`,
    );
  }
  const expected = patentCheckChar(digits);
  if (match[2] !== expected) {
    return refused('check', `Patent number ${digits}.${match[2]} has a wrong check character: expected ${expected}.`);
  }
  const { kind, pct } = TYPE_DIGITS[typeDigit];
  return accepted({ normalized: `${digits}.${expected}`, year, type: kind, pct });
}

export function isPatentNumber(input: string, now?: Date): boolean {
  return parsePatentNumber(input, now).ok;
}

/** Parses and returns the normalised form, throwing `invalid-patent-number` when refused. */
export function normalizePatentNumber(input: string, now?: Date): string {
  const result = parsePatentNumber(input, now);
  if (!result.ok) throw new ValueFormatError('invalid-patent-number', result.message, input);
  return result.value.normalized;
}

/** Builds a valid normalised number for tests and fixtures: `makePatentNumber(2023, 1, 123456)`. */
export function makePatentNumber(year: number, typeDigit: PatentTypeDigit, serial: number | string): string {
  const serialDigits = String(serial).padStart(7, '0');
  if (
    !Number.isSafeInteger(year) ||
    year < 1000 ||
    year > 9999 ||
    !isTypeDigit(typeDigit) ||
    !/^\d{7}$/.test(serialDigits)
  ) {
    throw new RangeError(
      `makePatentNumber(${year}, ${typeDigit}, ${String(serial)}): need a 4-digit year, type 1/2/3/8/9, serial of at most 7 digits`,
    );
  }
  const digits = `${year}${typeDigit}${serialDigits}`;
  return `${digits}.${patentCheckChar(digits)}`;
}
