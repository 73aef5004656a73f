import { ValueFormatError, describeInput } from '../errors/domain-error';
import { BusinessDate, daysInMonth } from './business-date';
import type { Clock } from './clock';

/**
 * Asia/Shanghai is UTC+8 all year. China has not observed daylight saving time since 1991;
 * the 1986-1991 DST is ignored here, which only matters for instants from those summers.
 */
export const SHANGHAI_UTC_OFFSET_MINUTES = 8 * 60;
const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
const SHANGHAI_OFFSET_MS = SHANGHAI_UTC_OFFSET_MINUTES * MS_PER_MINUTE;

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|([+-])(\d{2}):(\d{2}))$/;

/**
 * Parses an RFC 3339 timestamp strictly: a date, a time and an explicit offset (`Z` or `±hh:mm`)
 * are all required, since a timestamp without offset is ambiguous. Throws `invalid-timestamp`.
 */
export function parseInstant(text: string): Date {
  const match = typeof text === 'string' ? RFC3339.exec(text) : null;
  const invalid = (): ValueFormatError =>
    new ValueFormatError(
      'invalid-timestamp',
      `A timestamp must be RFC 3339 with an offset, e.g. "2024-03-01T09:30:00+08:00", got ${describeInput(text)}.`,
      text,
    );
  if (match === null) throw invalid();
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const offsetHours = match[10] === undefined ? 0 : Number(match[10]);
  const offsetMinutes = match[11] === undefined ? 0 : Number(match[11]);
  // Second 60 is a leap second in RFC 3339; it lands on the next second, as in most systems.
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 60 ||
    offsetHours > 23 ||
    offsetMinutes > 59
  ) {
    throw invalid();
  }
  const milliseconds = match[7] === undefined ? 0 : Number(match[7].slice(1, 4).padEnd(3, '0'));
  const offsetMs = (match[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * MS_PER_MINUTE;
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, milliseconds);
  return new Date(utc.getTime() - offsetMs);
}

/** The business date in Asia/Shanghai at an instant: `2024-12-31T16:30:00Z` is `2025-01-01`. */
export function shanghaiDateOf(instant: Date | string): BusinessDate {
  const ms = instant instanceof Date ? instant.getTime() : parseInstant(instant).getTime();
  if (Number.isNaN(ms)) throw new ValueFormatError('invalid-timestamp', 'Invalid Date.');
  return BusinessDate.fromEpochDay(Math.floor((ms + SHANGHAI_OFFSET_MS) / MS_PER_DAY));
}

/** Today in Asia/Shanghai according to the clock. */
export function shanghaiToday(clock: Clock): BusinessDate {
  return shanghaiDateOf(clock.now());
}

/** The instant a business date begins in Asia/Shanghai (00:00+08:00, i.e. 16:00Z the day before). */
export function shanghaiStartOfDay(date: BusinessDate | string): Date {
  return new Date(BusinessDate.from(date).epochDay * MS_PER_DAY - SHANGHAI_OFFSET_MS);
}

/** Half-open instant range `[start, end)` covering the business dates `from` … `to` inclusive. */
export function shanghaiInstantRange(
  from: BusinessDate | string,
  to: BusinessDate | string,
): { start: Date; end: Date } {
  return { start: shanghaiStartOfDay(from), end: shanghaiStartOfDay(BusinessDate.from(to).addDays(1)) };
}
