import { ValueFormatError, describeInput } from '../errors/domain-error';
import { BusinessDate } from './business-date';
import { shanghaiDateOf } from './shanghai';

/** Calendar reporting periods in Asia/Shanghai. */
export type PeriodUnit = 'year' | 'quarter' | 'month';

export const PERIOD_UNITS: readonly PeriodUnit[] = ['year', 'quarter', 'month'];

export interface DateRange {
  /** First day, inclusive. */
  readonly from: BusinessDate;
  /** Last day, inclusive. */
  readonly to: BusinessDate;
}

export interface ParsedPeriodKey {
  readonly unit: PeriodUnit;
  readonly year: number;
  /** Quarter 1-4 or month 1-12; 1 for a year. */
  readonly index: number;
}

const PERIOD_KEY = /^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$/;

/**
 * Accepts a business date, a `YYYY-MM-DD` string, or an instant (a `Date` or an RFC 3339
 * timestamp string), which is first placed on its Asia/Shanghai business date.
 */
export type DateLike = BusinessDate | Date | string;

function toBusinessDate(date: DateLike): BusinessDate {
  if (date instanceof BusinessDate) return date;
  if (date instanceof Date) return shanghaiDateOf(date);
  return date.length <= 10 ? BusinessDate.parse(date) : shanghaiDateOf(date);
}

/** `'2024'`, `'2024-Q1'` or `'2024-03'`: the key of the period containing `date`. */
export function periodKey(date: DateLike, unit: PeriodUnit): string {
  const { year, month } = toBusinessDate(date);
  const yyyy = String(year).padStart(4, '0');
  switch (unit) {
    case 'year':
      return yyyy;
    case 'quarter':
      return `${yyyy}-Q${Math.floor((month - 1) / 3) + 1}`;
    case 'month':
      return `${yyyy}-${String(month).padStart(2, '0')}`;
  }
}

export function parsePeriodKey(key: string): ParsedPeriodKey {
  const match = typeof key === 'string' ? PERIOD_KEY.exec(key) : null;
  if (match === null || Number(match[1]) < 1) {
    throw new ValueFormatError(
      'invalid-period',
      `A period is YYYY, YYYY-Qn or YYYY-MM, got ${describeInput(key)}.`,
      key,
    );
  }
  const year = Number(match[1]);
  if (match[2] !== undefined) return { unit: 'quarter', year, index: Number(match[2]) };
  if (match[3] !== undefined) return { unit: 'month', year, index: Number(match[3]) };
  return { unit: 'year', year, index: 1 };
}

/** First and last day (both inclusive) of a period key: `'2024-Q1'` → 2024-01-01 … 2024-03-31. */
export function periodRange(key: string): DateRange {
  const { unit, year, index } = parsePeriodKey(key);
  const [firstMonth, months] = unit === 'year' ? [1, 12] : unit === 'quarter' ? [(index - 1) * 3 + 1, 3] : [index, 1];
  const from = BusinessDate.of(year, firstMonth, 1);
  return { from, to: from.addMonths(months).addDays(-1) };
}

/** Keys of every `unit` period overlapping `from` … `to`, oldest first (empty if `to` < `from`). */
export function periodKeysBetween(from: DateLike, to: DateLike, unit: PeriodUnit): string[] {
  const last = toBusinessDate(to);
  const keys: string[] = [];
  let cursor = periodRange(periodKey(from, unit)).from;
  const step = unit === 'year' ? 12 : unit === 'quarter' ? 3 : 1;
  while (!cursor.isAfter(last)) {
    keys.push(periodKey(cursor, unit));
    cursor = cursor.addMonths(step);
  }
  return keys;
}

/** Range for the API's `year=2024` filter: 2024-01-01 … 2024-12-31. */
export function yearRange(year: number): DateRange {
  return periodRange(String(year).padStart(4, '0'));
}
