/**
 * Exact distinct SME counts without `count(distinct)` over big sets.
 *
 * For every region key (own code and roll-ups), period bucket (`A` all time, `Y` year, `Q` quarter,
 * `M` month; `day` = the bucket's first day, `0001-01-01` for `A`) and bank dimension (`''` = all banks, or one bank) the fold keeps
 * `financing_smes` rows: how many borrowers have their FIRST live SME loan of that bucket on
 * `first_day` (for one bank's rows, and for all banks again under `bank = '*'`, `first_day` is
 * the bucket's first day: they answer whole buckets only — groupBy=bank, the bank ranking, whole
 * periods — in one row per bucket; a bank's own partial ranges fall back to its set rows). A bucket's distinct count is Σ n; a prefix of a bucket (`from` = its first day,
 * `to` inside it — "year to date", or everything up to `to`) is Σ n over `first_day ≤ to`. The
 * member sets stay in `financing_borrowers`; these rows are derived from them, and the fold keeps
 * them in step: per touched member it reads all the member's set rows (before), applies the
 * batch's deltas (after), and moves the member's count from its old first day to its new one.
 */

import { BEGINNING, monthOf, periodEnd, quarterOf, yearOf } from '../common/range';

export const SME_PERIODS = ['A', 'Y', 'Q', 'M'] as const;
export type SmePeriod = (typeof SME_PERIODS)[number];

/** First day of the bucket of `period` holding `day` (`YYYY-MM-DD`). */
export function bucketOf(day: string, period: SmePeriod): string {
  if (period === 'A') return BEGINNING;
  return period === 'Y' ? yearOf(day) : period === 'Q' ? quarterOf(day) : monthOf(day);
}

/** Last day of the bucket of `period` starting on `start`. */
export function bucketEnd(start: string, period: SmePeriod): string {
  if (period === 'A') return '9999-12-31';
  return periodEnd(start, period === 'Y' ? 'year' : period === 'Q' ? 'quarter' : 'month');
}

/**
 * Period `S` (since), all banks only: for each year start Y (`day`), the members whose first loan
 * is before Y and who have one on or after Y, counted by the first such day. Distinct members over
 * Y-01-01 … to = `A` rows with `first_day` in Y-01-01 … to (first loan ever in the range) + `S` rows
 * of Y with `first_day ≤ to` — so multi-year ranges starting on a year start need no set scan.
 */
export const SINCE = 'S';

/** A member's set rows (summed over right kind and size) or a batch's change of them. */
export interface SmeSetRow {
  region: string;
  uscc: string;
  day: string;
  bank: string;
  loans: number;
}

/** All banks, per whole bucket (`first_day` = the bucket's first day): one row per bucket. */
export const ALL_BANKS = '*';

/**
 * All banks, per month of the first day: each bucket's `''` rows again, summed per month of their
 * `first_day` (`first_day` = that month's first day) — for every period but `M`, whose first days
 * all lie in its one month. A prefix of a bucket (`first_day ≤ to`) or a range of first days
 * (`A` rows from a year start) sums these rows for the whole months and the `''` rows only for
 * the days of `to`'s month: ≤ 11 + 31 rows a year instead of one per day with a first loan.
 */
export const FIRST_MONTHS = '#';

/** The `FIRST_MONTHS` rows derived from the `''` rows, per shard (migration SmeFirstMonths, the benchmark's load). */
export const FILL_SME_FIRST_MONTHS = `
  insert into financing_smes (region, period, day, bank, first_day, n, shard)
  select region, period, day, '${FIRST_MONTHS}', date_trunc('month', first_day)::date, sum(n), shard
    from financing_smes where bank = '' and period <> 'M'
   group by region, period, day, date_trunc('month', first_day), shard
  having sum(n) <> 0`;

const wholeOnly = (bank: string, start: string, firstDay: string | null): string | null =>
  bank === '' || firstDay === null ? firstDay : start;

export interface SmeCountDelta {
  region: string;
  /** `S`: since a year start (see `sinceYears`). */
  period: SmePeriod | 'S';
  /** The bucket's first day. */
  day: string;
  /** `''`: all banks. */
  bank: string;
  firstDay: string;
  n: number;
}

/**
 * The changes of the count rows caused by `deltas`, given every set row of the touched members as
 * they were before (`before`). Pure; exact whatever the batch holds.
 */
export function smeCountDeltas(before: readonly SmeSetRow[], deltas: readonly SmeSetRow[]): SmeCountDelta[] {
  const member = (r: SmeSetRow): string => `${r.region}|${r.uscc}`;
  const rowsBefore = new Map<string, Map<string, number>>();
  const add = (into: Map<string, Map<string, number>>, r: SmeSetRow): void => {
    const m = into.get(member(r)) ?? new Map<string, number>();
    const id = `${r.day}|${r.bank}`;
    m.set(id, (m.get(id) ?? 0) + r.loans);
    into.set(member(r), m);
  };
  for (const r of before) add(rowsBefore, r);
  const touched = new Map<string, SmeSetRow[]>();
  for (const d of deltas) {
    if (d.loans === 0) continue;
    const rows = touched.get(member(d));
    if (rows) rows.push(d);
    else touched.set(member(d), [d]);
  }

  const out = new Map<string, SmeCountDelta>();
  const bump = (c: Omit<SmeCountDelta, 'n'>, n: number): void => {
    const id = `${c.region}|${c.period}|${c.day}|${c.bank}|${c.firstDay}`;
    const e = out.get(id) ?? { ...c, n: 0 };
    e.n += n;
    out.set(id, e);
  };
  for (const [id, memberDeltas] of touched) {
    const old = rowsBefore.get(id) ?? new Map<string, number>();
    const now = new Map(old);
    for (const d of memberDeltas) now.set(`${d.day}|${d.bank}`, (now.get(`${d.day}|${d.bank}`) ?? 0) + d.loans);
    const { region } = memberDeltas[0];
    const first = (rows: Map<string, number>, start: string, end: string, bank: string): string | null => {
      let best: string | null = null;
      for (const [key, loans] of rows) {
        if (loans <= 0) continue;
        const [day, b] = key.split('|');
        if (day < start || day > end || (bank !== '' && bank !== ALL_BANKS && b !== bank)) continue;
        if (best === null || day < best) best = day;
      }
      return best;
    };
    const seen = new Set<string>();
    for (const d of memberDeltas) {
      for (const period of SME_PERIODS) {
        const start = bucketOf(d.day, period);
        for (const bank of ['', ALL_BANKS, d.bank]) {
          const key = `${period}|${start}|${bank}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const end = bucketEnd(start, period);
          // A bank's rows count whole buckets only (first day = the bucket's first day).
          const was = wholeOnly(bank, start, first(old, start, end, bank));
          const is = wholeOnly(bank, start, first(now, start, end, bank));
          if (was === is) continue;
          if (was !== null) bump({ region, period, day: start, bank, firstDay: was }, -1);
          if (is !== null) bump({ region, period, day: start, bank, firstDay: is }, 1);
        }
      }
    }
    // Since-year rows (all banks): the member's first day on or after each year start after its
    // first-ever loan's year.
    const wasSince = sinceYears(old);
    const isSince = sinceYears(now);
    for (const year of new Set([...wasSince.keys(), ...isSince.keys()])) {
      const was = wasSince.get(year) ?? null;
      const is = isSince.get(year) ?? null;
      if (was === is) continue;
      if (was !== null) bump({ region, period: 'S', day: year, bank: '', firstDay: was }, -1);
      if (is !== null) bump({ region, period: 'S', day: year, bank: '', firstDay: is }, 1);
    }
  }
  for (const { n, ...row } of [...out.values()]) {
    if (row.bank === '' && row.period !== 'M' && n !== 0) bump({ ...row, bank: FIRST_MONTHS, firstDay: monthOf(row.firstDay) }, n);
  }
  return [...out.values()].filter((c) => c.n !== 0);
}

/**
 * For a member's rows: per year start Y after the year of its first loan and up to the year of
 * its last, the first day on or after Y on which it has a loan. With the all-time first days this
 * answers "distinct members over Y-01-01 … to" for any `to` (see `SINCE`).
 */
export function sinceYears(rows: ReadonlyMap<string, number>): Map<string, string> {
  const days = [...new Set([...rows].filter(([, loans]) => loans > 0).map(([key]) => key.split('|')[0]))].sort();
  const out = new Map<string, string>();
  for (let i = 1; i < days.length; i++) {
    const prevYear = Number(days[i - 1].slice(0, 4));
    const year = Number(days[i].slice(0, 4));
    for (let y = prevYear + 1; y <= year; y++) out.set(`${String(y).padStart(4, '0')}-01-01`, days[i]);
  }
  return out;
}
