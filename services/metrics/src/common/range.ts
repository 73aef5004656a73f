import { BusinessDate, RegionCode, ValidationFailed, shanghaiToday, yearRange, type Clock, type PeriodUnit } from '@ipfin/kernel';

/** The first business date there is: "from the beginning" in stock figures. */
export const BEGINNING = '0001-01-01';

/** Inclusive bounds of the region codes inside a region (`350600` → `350600`…`350699`); all codes when null. */
export function regionBounds(region: RegionCode | null): { regionFrom: string; regionTo: string } {
  if (!region) return { regionFrom: '000000', regionTo: '999999' };
  const code = region.toString();
  switch (region.level()) {
    case 'province': return { regionFrom: `${code.slice(0, 2)}0000`, regionTo: `${code.slice(0, 2)}9999` };
    case 'prefecture': return { regionFrom: `${code.slice(0, 4)}00`, regionTo: `${code.slice(0, 4)}99` };
    case 'county': return { regionFrom: code, regionTo: code };
  }
}

/** A query's business-date range, inclusive at both ends. */
export interface DateWindow {
  /** `null`: from the beginning. */
  from: string | null;
  to: string;
  /** Set when the caller asked for a calendar year (or the endpoint defaulted to one). */
  year: number | null;
}

export interface PeriodParams {
  year?: string;
  from?: string;
  to?: string;
}

/**
 * Resolves `year` / `from` / `to` the way every metrics endpoint reads them: `year` wins and
 * means its whole calendar year; otherwise `from`…`to` with `to` defaulting to today
 * (Asia/Shanghai). With `defaultYear`, a request naming no period gets the current year.
 */
export function resolveWindow(q: PeriodParams, clock: Clock, opts: { defaultYear: boolean }): DateWindow {
  const today = shanghaiToday(clock);
  if (q.year !== undefined || (opts.defaultYear && q.from === undefined && q.to === undefined)) {
    const year = q.year !== undefined ? Number(q.year) : today.year;
    const range = yearRange(year);
    return { from: range.from.toString(), to: range.to.toString(), year };
  }
  const from = q.from !== undefined ? BusinessDate.parse(q.from).toString() : null;
  const to = q.to !== undefined ? BusinessDate.parse(q.to).toString() : today.toString();
  if (from !== null && from > to) {
    throw new ValidationFailed([{ field: 'from', message: `from (${from}) must not be after to (${to})` }]);
  }
  return { from, to, year: null };
}

/**
 * The region keys a fact is written under: the borrower's (or owner's) own code, then one roll-up
 * key per enclosing level — `P3506` (prefecture), `V35` (province), `N` (the nation). Roll-up keys
 * start with a letter, so they sort after every 6-digit code and never fall inside `regionBounds`;
 * a fact whose own code is a prefecture's (`350600`) is still counted once per key.
 */
export function rollUpRegions(region: string): string[] {
  return [region, `P${region.slice(0, 4)}`, `V${region.slice(0, 2)}`, 'N'];
}

/**
 * The one region key a query for `region` reads: the code itself for a county, the roll-up key
 * for a prefecture, a province or everything (`null`). A prefecture's roll-up includes facts
 * filed under the prefecture's own code, as `regionBounds` does.
 */
export function regionKey(region: RegionCode | null): string {
  if (!region) return 'N';
  const code = region.toString();
  switch (region.level()) {
    case 'province': return `V${code.slice(0, 2)}`;
    case 'prefecture': return `P${code.slice(0, 4)}`;
    case 'county': return code;
  }
}

/**
 * How a date range is read from daily rows and their monthly and yearly roll-ups: whole years
 * from the yearly table (when there is one), the other whole months from the monthly table, the
 * ragged head and tail from the daily one. Every part is inclusive; a roll-up row's `day` is the
 * first day of its month or year.
 */
export interface RangeParts {
  days: [string, string][];
  months: [string, string][];
  years: [string, string] | null;
}

export function splitRange(from: string, to: string, opts: { years?: boolean } = {}): RangeParts {
  const none: RangeParts = { days: [], months: [], years: null };
  if (from > to) return none;
  const start = BusinessDate.parse(from);
  const end = BusinessDate.parse(to);
  const firstFull = start.day === 1 ? start : BusinessDate.of(start.year, start.month, 1).addMonths(1);
  const endsMonth = end.addDays(1).day === 1;
  const lastFullStart = endsMonth ? BusinessDate.of(end.year, end.month, 1) : BusinessDate.of(end.year, end.month, 1).addMonths(-1);
  if (firstFull.isAfter(lastFullStart)) return { ...none, days: [[from, to]] };
  const days: [string, string][] = [];
  if (start.isBefore(firstFull)) days.push([from, firstFull.addDays(-1).toString()]);
  const lastFullEnd = lastFullStart.addMonths(1).addDays(-1);
  if (lastFullEnd.isBefore(end)) days.push([lastFullEnd.addDays(1).toString(), to]);
  if (!opts.years) return { days, months: [[firstFull.toString(), lastFullStart.toString()]], years: null };
  // Whole years inside the whole months: [firstYear, lastYear] (the first day of each).
  const firstYear = firstFull.month === 1 ? firstFull.year : firstFull.year + 1;
  const lastYear = lastFullStart.month === 12 ? lastFullStart.year : lastFullStart.year - 1;
  if (firstYear > lastYear) return { days, months: [[firstFull.toString(), lastFullStart.toString()]], years: null };
  const months: [string, string][] = [];
  const yearStart = BusinessDate.of(firstYear, 1, 1);
  const afterYears = BusinessDate.of(lastYear + 1, 1, 1);
  if (firstFull.isBefore(yearStart)) months.push([firstFull.toString(), yearStart.addMonths(-1).toString()]);
  if (!afterYears.isAfter(lastFullStart)) months.push([afterYears.toString(), lastFullStart.toString()]);
  return { days, months, years: [yearStart.toString(), BusinessDate.of(lastYear, 1, 1).toString()] };
}

/**
 * The one roll-up bucket `from`…`to` is exactly — a whole year, a whole month or a single day —
 * and the first day of it (`splitRange` with years); null for any other range.
 */
export function singleBucket(from: string, to: string): { grain: 'daily' | 'monthly' | 'yearly'; day: string } | null {
  const { days, months, years } = splitRange(from, to, { years: true });
  if (years && years[0] === years[1] && days.length === 0 && months.length === 0) return { grain: 'yearly', day: years[0] };
  if (!years && days.length === 0 && months.length === 1 && months[0][0] === months[0][1]) return { grain: 'monthly', day: months[0][0] };
  if (!years && months.length === 0 && days.length === 1 && days[0][0] === days[0][1]) return { grain: 'daily', day: days[0][0] };
  return null;
}

/** First day of the month of a `YYYY-MM-DD` date. */
export const monthOf = (day: string): string => `${day.slice(0, 7)}-01`;

/** First day of the year of a `YYYY-MM-DD` date. */
export const yearOf = (day: string): string => `${day.slice(0, 4)}-01-01`;

/** First day of the quarter of a `YYYY-MM-DD` date. */
export function quarterOf(day: string): string {
  const month = Number(day.slice(5, 7));
  return `${day.slice(0, 4)}-${String(month - ((month - 1) % 3)).padStart(2, '0')}-01`;
}

const MONTHS: Record<PeriodUnit, number> = { year: 12, quarter: 3, month: 1 };

/** Last day of the year, quarter or month that starts on `start` (its first day). */
export function periodEnd(start: string, unit: PeriodUnit): string {
  return BusinessDate.parse(start).addMonths(MONTHS[unit]).addDays(-1).toString();
}

/**
 * SQL reading `columns` of a daily table and its roll-ups over `from`…`to`, each branch filtered
 * by `where` (which may use the parameters already in `params`). The result has the daily table's
 * shape; a roll-up branch's `day` is the first day of its month or year.
 */
export function rangeSql(opts: {
  daily: string;
  monthly: string;
  /** A yearly roll-up: whole years are read from it. */
  yearly?: string;
  columns: string;
  /** The yearly roll-up's select list, when not `columns`. */
  yearlyColumns?: string;
  where: string;
  from: string;
  to: string;
  params: unknown[];
}): string {
  const parts = splitRange(opts.from, opts.to, { years: opts.yearly !== undefined });
  const branch = (table: string, a: string, b: string, columns = opts.columns): string =>
    `select ${columns} from ${table} where ${opts.where} and day between $${opts.params.push(a)}::date and $${opts.params.push(b)}::date`;
  const branches = parts.days.map(([a, b]) => branch(opts.daily, a, b));
  for (const [a, b] of parts.months) branches.push(branch(opts.monthly, a, b));
  if (parts.years) branches.push(branch(opts.yearly!, parts.years[0], parts.years[1], opts.yearlyColumns));
  if (branches.length === 0) return `(select ${opts.columns} from ${opts.daily} where false)`;
  return `(${branches.join(' union all ')})`;
}
