import { ValueFormatError, describeInput } from '../errors/domain-error';
import { Validated, accepted, refused } from '../validated';

/*
 * Calendar arithmetic on "epoch days" (days since 1970-01-01, proleptic Gregorian), with
 * Howard Hinnant's civil-date algorithms: integers only, no Date, no time zone.
 */
function epochDayFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function civilFromEpochDay(epochDay: number): { year: number; month: number; day: number } {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const MIN_YEAR = 1;
const MAX_YEAR = 9999;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export type BusinessDateRefusal = 'format' | 'calendar';

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/**
 * A calendar date without time or zone (`YYYY-MM-DD`), as the API's business dates are: the day
 * a contract was signed, a loan defaulted. Immutable; years 0001-9999.
 */
export class BusinessDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;

  private constructor(readonly epochDay: number) {
    const { year, month, day } = civilFromEpochDay(epochDay);
    this.year = year;
    this.month = month;
    this.day = day;
    Object.freeze(this);
  }

  static validate(text: string): Validated<BusinessDate, BusinessDateRefusal> {
    const match = typeof text === 'string' ? DATE_PATTERN.exec(text) : null;
    if (match === null) return refused('format', `A date must be YYYY-MM-DD, got ${describeInput(text)}.`);
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (year < MIN_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
      return refused('calendar', `${text} is not a calendar date.`);
    }
    return accepted(new BusinessDate(epochDayFromCivil(year, month, day)));
  }

  /** Parses `YYYY-MM-DD`, rejecting impossible dates such as `2023-02-29`; throws `invalid-date`. */
  static parse(text: string): BusinessDate {
    const result = BusinessDate.validate(text);
    if (!result.ok) throw new ValueFormatError('invalid-date', result.message, text);
    return result.value;
  }

  static isValid(text: string): boolean {
    return BusinessDate.validate(text).ok;
  }

  /** Accepts a `BusinessDate` as is, or parses a `YYYY-MM-DD` string. */
  static from(value: BusinessDate | string): BusinessDate {
    return value instanceof BusinessDate ? value : BusinessDate.parse(value);
  }

  static of(year: number, month: number, day: number): BusinessDate {
    if (
      ![year, month, day].every(Number.isSafeInteger) ||
      year < MIN_YEAR ||
      year > MAX_YEAR ||
      month < 1 ||
      month > 12 ||
      day < 1 ||
      day > daysInMonth(year, month)
    ) {
      throw new ValueFormatError('invalid-date', `${year}-${month}-${day} is not a calendar date.`);
    }
    return new BusinessDate(epochDayFromCivil(year, month, day));
  }

  static fromEpochDay(epochDay: number): BusinessDate {
    if (!Number.isSafeInteger(epochDay)) throw new RangeError(`Epoch day must be an integer, got ${epochDay}`);
    const date = new BusinessDate(epochDay);
    if (date.year < MIN_YEAR || date.year > MAX_YEAR)
      throw new RangeError(`Date out of range (years ${MIN_YEAR}-${MAX_YEAR})`);
    return date;
  }

  static min(first: BusinessDate, ...rest: BusinessDate[]): BusinessDate {
    return rest.reduce((a, b) => (b.epochDay < a.epochDay ? b : a), first);
  }

  static max(first: BusinessDate, ...rest: BusinessDate[]): BusinessDate {
    return rest.reduce((a, b) => (b.epochDay > a.epochDay ? b : a), first);
  }

  addDays(days: number): BusinessDate {
    assertInteger(days, 'days');
    return BusinessDate.fromEpochDay(this.epochDay + days);
  }

  /** Same day `months` later; clamped to the month's last day (2024-01-31 + 1 month = 2024-02-29). */
  addMonths(months: number): BusinessDate {
    assertInteger(months, 'months');
    const monthIndex = this.year * 12 + (this.month - 1) + months;
    const year = Math.floor(monthIndex / 12);
    const month = monthIndex - year * 12 + 1;
    return BusinessDate.of(year, month, Math.min(this.day, daysInMonth(year, month)));
  }

  /** Same day `years` later; 29 February becomes 28 February in a common year. */
  addYears(years: number): BusinessDate {
    assertInteger(years, 'years');
    return this.addMonths(years * 12);
  }

  /** `this − other` in days: positive when `this` is later. */
  diffDays(other: BusinessDate): number {
    return this.epochDay - other.epochDay;
  }

  compare(other: BusinessDate): -1 | 0 | 1 {
    return this.epochDay < other.epochDay ? -1 : this.epochDay > other.epochDay ? 1 : 0;
  }

  equals(other: BusinessDate): boolean {
    return this.epochDay === other.epochDay;
  }

  isBefore(other: BusinessDate): boolean {
    return this.epochDay < other.epochDay;
  }

  isAfter(other: BusinessDate): boolean {
    return this.epochDay > other.epochDay;
  }

  /** Inclusive at both ends, as the API's `from`/`to` filters are. */
  isWithin(from: BusinessDate, to: BusinessDate): boolean {
    return this.epochDay >= from.epochDay && this.epochDay <= to.epochDay;
  }

  isoWeekday(): IsoWeekday {
    // 1970-01-01 was a Thursday (4).
    return (((((this.epochDay + 3) % 7) + 7) % 7) + 1) as IsoWeekday;
  }

  toString(): string {
    return `${String(this.year).padStart(4, '0')}-${String(this.month).padStart(2, '0')}-${String(this.day).padStart(2, '0')}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

function assertInteger(value: number, name: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be an integer, got ${value}`);
}
