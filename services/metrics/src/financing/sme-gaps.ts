/**
 * Distinct SMEs over any range of days from count rows: the ragged ranges (issue 7).
 *
 * In a scope — a roll-up region key (`P3506`, `V35`, `N`) × a dimension (`''` every SME, or one
 * right kind or borrower size: `GAP_DIMS`) — a member's loan days in order d1 < d2 < … make one
 * point per day: (d, p), p the member's day before d (none for its first). The members with a loan
 * in a…b are exactly the points with a ≤ d ≤ b and p < a: one per member, its first day in the
 * range. `financing_sme_gaps` counts the points per cell, a key of p × a key of d:
 *
 * - p: `-` (none: the member's first loan), else `M2025-01` (p's month), `D2025-01-31` (p's day)
 *   and `B2025` for every year start in p+1…d (a point spans it);
 * - d: `D2025-02-14` (d's day) and `M2025-02` (d's month).
 *
 * So a point is in 2 cells (a first loan) or 4 + 2 per year start spanned. For a…b, "p < a" is the
 * disjoint keys `-`, `B<a's year>`, the months of a's year before a's month and the days of a's
 * month before a (≤ 43 keys, `gapPieces`), and "a ≤ d ≤ b" is at most three ranges of d keys: the
 * ragged days at either end and the whole months between. Σ n over those cells is the distinct
 * count: ≤ 43 × 3 index ranges, a few hundred rows, where the member sets of a province's year hold
 * a hundred thousand members.
 *
 * Own 6-digit codes keep the set scan: a county's sets are small, and their cells would be as many
 * as the points (nothing to share a cell with).
 */

import { BORROWER_SIZES, isSme, RIGHT_KINDS } from '@ipfin/contracts';

/** `''`: every SME; else the members with loans of that right kind or size. */
export const GAP_DIMS: readonly string[] = ['', ...RIGHT_KINDS, ...BORROWER_SIZES.filter(isSme)];

/** The p key of a member's first loan. */
export const FIRST = '-';

/** Roll-up keys start with a letter; own codes are six digits. */
export const isRollUpKey = (region: string): boolean => !/^[0-9]/.test(region);

const monthOf = (day: string): string => day.slice(0, 7);
const pad2 = (n: number): string => String(n).padStart(2, '0');

/** `YYYY-MM` → its last day. */
function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${pad2(new Date(Date.UTC(y, m, 0)).getUTCDate())}`;
}

function nextMonth(month: string, by: 1 | -1): string {
  const [y, m] = month.split('-').map(Number);
  const i = y * 12 + (m - 1) + by;
  return `${String(Math.floor(i / 12)).padStart(4, '0')}-${pad2((i % 12) + 1)}`;
}

/** The cells (`p|d` keys) of the point (d, p); `p` null for a member's first loan. */
export function pointCells(p: string | null, d: string): string[] {
  const pKeys = p === null ? [FIRST] : [`M${monthOf(p)}`, `D${p}`];
  if (p !== null) for (let y = Number(p.slice(0, 4)) + 1; y <= Number(d.slice(0, 4)); y++) pKeys.push(`B${String(y).padStart(4, '0')}`);
  return pKeys.flatMap((pk) => [`${pk}|D${d}`, `${pk}|M${monthOf(d)}`]);
}

/** The cells of a member's loan days (any order, no repeats): `p|d` key → points. */
export function cellsOf(days: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  const sorted = [...days].sort();
  sorted.forEach((d, i) => {
    for (const cell of pointCells(i === 0 ? null : sorted[i - 1], d)) out.set(cell, (out.get(cell) ?? 0) + 1);
  });
  return out;
}

/**
 * The cells whose Σ is the distinct members over `from`…`to`: the p keys (all before `from`, each
 * point in at most one of them) and the ranges of d keys (inclusive, in "C" collation order).
 */
export function gapPieces(from: string, to: string): { p: string[]; d: [string, string][] } {
  const year = from.slice(0, 4);
  const p = [FIRST, `B${year}`];
  for (let m = 1; m < Number(from.slice(5, 7)); m++) p.push(`M${year}-${pad2(m)}`);
  for (let day = 1; day < Number(from.slice(8, 10)); day++) p.push(`D${monthOf(from)}-${pad2(day)}`);
  const first = monthOf(from);
  const last = monthOf(to);
  const headWhole = from.endsWith('-01');
  const tailWhole = to === monthEnd(last);
  if (first === last) return { p, d: [headWhole && tailWhole ? [`M${first}`, `M${first}`] : [`D${from}`, `D${to}`]] };
  const d: [string, string][] = [];
  if (!headWhole) d.push([`D${from}`, `D${monthEnd(first)}`]);
  if (!tailWhole) d.push([`D${last}-01`, `D${to}`]);
  const a = headWhole ? first : nextMonth(first, 1);
  const b = tailWhole ? last : nextMonth(last, -1);
  if (a <= b) d.push([`M${a}`, `M${b}`]);
  return { p, d };
}

/** A member's set row (all its banks alike here) or a batch's change of one. */
export interface GapSetRow {
  region: string;
  uscc: string;
  day: string;
  rightKind: string;
  borrowerSize: string;
  loans: number;
}

export interface GapCellDelta {
  region: string;
  dim: string;
  p: string;
  d: string;
  n: number;
}

const inDim = (r: GapSetRow, dim: string): boolean => dim === '' || r.rightKind === dim || r.borrowerSize === dim;

/** The member's loan days in `dim`: days whose rows of that dimension hold loans. */
function daysIn(rows: readonly GapSetRow[], dim: string): string[] {
  const loans = new Map<string, number>();
  for (const r of rows) if (inDim(r, dim)) loans.set(r.day, (loans.get(r.day) ?? 0) + r.loans);
  return [...loans].filter(([, n]) => n > 0).map(([day]) => day).sort();
}

/**
 * The changes of the cells caused by `deltas` (roll-up keys only), given every set row of the
 * touched members as they were before (`before`). Pure; exact whatever the batch holds.
 */
export function smeGapDeltas(before: readonly GapSetRow[], deltas: readonly GapSetRow[]): GapCellDelta[] {
  const member = (r: GapSetRow): string => `${r.region}|${r.uscc}`;
  const push = (into: Map<string, GapSetRow[]>, r: GapSetRow): void => {
    const rows = into.get(member(r));
    if (rows) rows.push(r);
    else into.set(member(r), [r]);
  };
  const touched = new Map<string, GapSetRow[]>();
  for (const d of deltas) if (d.loans !== 0 && isRollUpKey(d.region)) push(touched, d);
  const rowsBefore = new Map<string, GapSetRow[]>();
  for (const r of before) if (touched.has(member(r))) push(rowsBefore, r);

  const out = new Map<string, GapCellDelta>();
  for (const [id, memberDeltas] of touched) {
    const old = rowsBefore.get(id) ?? [];
    const now = [...old, ...memberDeltas];
    const { region } = memberDeltas[0];
    const dims = new Set(['', ...memberDeltas.flatMap((d) => [d.rightKind, d.borrowerSize])]);
    for (const dim of GAP_DIMS) {
      if (!dims.has(dim)) continue;
      const was = daysIn(old, dim);
      const is = daysIn(now, dim);
      if (was.join() === is.join()) continue;
      const change = cellsOf(is);
      for (const [cell, n] of cellsOf(was)) change.set(cell, (change.get(cell) ?? 0) - n);
      for (const [cell, n] of change) {
        if (n === 0) continue;
        const [p, d] = cell.split('|');
        const key = `${region}|${dim}|${cell}`;
        const e = out.get(key) ?? { region, dim, p, d, n: 0 };
        e.n += n;
        out.set(key, e);
      }
    }
  }
  return [...out.values()].filter((c) => c.n !== 0);
}

/** The gap cells of the member sets (`financing_borrowers`), as the fold keeps them: region, dim, p, d, n. */
export const SME_GAP_CELLS = `
  select region, dim, c.p, c.d, count(*)::int as n
    from (select region, dim, day, lag(day) over (partition by region, dim, uscc order by day) as prev
            from (select distinct b.region, x.dim, b.borrower_uscc as uscc, b.day
                    from financing_borrowers b
                    cross join lateral (values (''), (b.right_kind), (b.borrower_size)) x(dim)
                   where b.region !~ '^[0-9]' and b.loans > 0) s) w
    cross join lateral (
      select pk.p, dk.d
        from (select '${FIRST}' as p where prev is null
              union all select 'M' || to_char(prev, 'YYYY-MM') where prev is not null
              union all select 'D' || to_char(prev, 'YYYY-MM-DD') where prev is not null
              union all select 'B' || lpad(y::text, 4, '0')
                          from generate_series(extract(year from prev)::int + 1, extract(year from day)::int) y
                         where prev is not null) pk
        cross join (values ('D' || to_char(day, 'YYYY-MM-DD')), ('M' || to_char(day, 'YYYY-MM'))) dk(d)) c
   group by 1, 2, 3, 4`;

/**
 * Fills `financing_sme_gaps` (empty) from the member sets, as the fold would have written it: the
 * SmeGaps migration and the benchmark's bulk load.
 */
export const FILL_SME_GAPS = `insert into financing_sme_gaps (region, dim, p, d, n) ${SME_GAP_CELLS}`;
