import { BusinessDate, ValueFormatError, describeInput, shanghaiDateOf, type DateLike } from '@ipfin/kernel';

/** An RFC 3339-like timestamp without seconds (`2024-12-31T23:30+08:00`), which ISO 8601 allows. */
const MINUTE_PRECISION_INSTANT = /^(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2})([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * The business date of a date-like value: a `BusinessDate` as is, `YYYY-MM-DD` parsed, an instant
 * (a `Date`, or a timestamp with an explicit offset) placed on its Asia/Shanghai calendar day.
 * `2024-12-31T23:30+08:00` is 2024-12-31; `2024-12-31T16:30:00Z` is 2025-01-01.
 */
export function toBusinessDate(value: DateLike): BusinessDate {
  if (value instanceof BusinessDate) return value;
  if (value instanceof Date) return shanghaiDateOf(value);
  if (typeof value !== 'string') {
    throw new ValueFormatError(
      'invalid-date',
      `Expected a YYYY-MM-DD date or a timestamp, got ${describeInput(value)}.`,
      value,
    );
  }
  if (value.length === 10) return BusinessDate.parse(value);
  const minutePrecision = MINUTE_PRECISION_INSTANT.exec(value);
  return shanghaiDateOf(minutePrecision === null ? value : `${minutePrecision[1]}:00${minutePrecision[2]}`);
}

/** Calendar year (Asia/Shanghai) of a date-like value: the reward year, the duplicate-filing year. */
export function calendarYearOf(value: DateLike): number {
  return toBusinessDate(value).year;
}
