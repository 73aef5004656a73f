import { prng } from '@ipfin/testing';
import { BusinessDate } from '@ipfin/kernel';
import { cellsOf, FIRST, gapPieces, GAP_DIMS, smeGapDeltas, type GapSetRow } from './sme-gaps';

const addDays = (day: string, n: number): string => BusinessDate.parse(day).addDays(n).toString();

/** Σ n over the cells `gapPieces(from, to)` names (what the report's statement sums). */
function counted(cells: ReadonlyMap<string, number>, from: string, to: string): number {
  const { p, d } = gapPieces(from, to);
  let n = 0;
  for (const [cell, count] of cells) {
    const [pk, dk] = cell.split('|');
    // Text keys compare as PostgreSQL's "C" collation does: by code point.
    if (p.includes(pk) && d.some(([lo, hi]) => lo <= dk && dk <= hi)) n += count;
  }
  return n;
}

const add = (into: Map<string, number>, from: ReadonlyMap<string, number>, sign = 1): void => {
  for (const [k, n] of from) into.set(k, (into.get(k) ?? 0) + sign * n);
};

describe('distinct members over any range from the gap cells', () => {
  it('names p keys all before `from` and d ranges covering exactly from…to', () => {
    expect(gapPieces('2025-03-04', '2025-03-20')).toEqual({
      p: [FIRST, 'B2025', 'M2025-01', 'M2025-02', 'D2025-03-01', 'D2025-03-02', 'D2025-03-03'],
      d: [['D2025-03-04', 'D2025-03-20']],
    });
    expect(gapPieces('2025-02-14', '2026-03-10').d).toEqual([['D2025-02-14', 'D2025-02-28'], ['D2026-03-01', 'D2026-03-10'], ['M2025-03', 'M2026-02']]);
    expect(gapPieces('2024-01-01', '2024-02-29')).toEqual({ p: [FIRST, 'B2024'], d: [['M2024-01', 'M2024-02']] });
    expect(gapPieces('2024-02-01', '2024-02-29').d).toEqual([['M2024-02', 'M2024-02']]);
    expect(gapPieces('2024-12-31', '2025-01-01').d).toEqual([['D2024-12-31', 'D2024-12-31'], ['D2025-01-01', 'D2025-01-01']]);
  });

  it('counts each member with a loan in the range once, for random members and ranges (against the days themselves)', () => {
    const rnd = prng(11);
    const start = '2022-11-20';
    for (let round = 0; round < 40; round++) {
      const members = Array.from({ length: 30 }, () => {
        const n = 1 + Math.floor(rnd() * 6);
        // Some members come back within days, some after years.
        const span = rnd() < 0.5 ? 60 : 1200;
        return [...new Set(Array.from({ length: n }, () => addDays(start, Math.floor(rnd() * span))))];
      });
      const cells = new Map<string, number>();
      for (const days of members) add(cells, cellsOf(days));
      for (let q = 0; q < 60; q++) {
        const from = addDays(start, Math.floor(rnd() * 1300) - 20);
        const to = addDays(from, Math.floor(rnd() * (rnd() < 0.5 ? 40 : 800)));
        const expected = members.filter((days) => days.some((d) => from <= d && d <= to)).length;
        expect({ from, to, n: counted(cells, from, to) }).toEqual({ from, to, n: expected });
      }
    }
  });

  it('keeps the cells equal to those of the members\' days, through random batches of additions and removals per dimension', () => {
    const rnd = prng(5);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const days = ['2023-12-31', '2024-01-01', '2024-02-10', '2024-02-11', '2024-03-31', '2024-12-31', '2025-01-15', '2026-06-30'];
    const state = new Map<string, number>(); // region|uscc|day|kind|size → loans (> 0)
    const cells = new Map<string, number>(); // region|dim|p|d → n
    for (let batch = 0; batch < 400; batch++) {
      const deltas: GapSetRow[] = [];
      for (let i = 0; i < 1 + Math.floor(rnd() * 6); i++) {
        const row = {
          region: pick(['350602', 'P3506', 'N']), uscc: pick(['a', 'b', 'c']), day: pick(days),
          rightKind: pick(['patent', 'trademark']), borrowerSize: pick(['micro', 'small']),
        };
        const id = `${row.region}|${row.uscc}|${row.day}|${row.rightKind}|${row.borrowerSize}`;
        const have = (state.get(id) ?? 0) + deltas.filter((d) => `${d.region}|${d.uscc}|${d.day}|${d.rightKind}|${d.borrowerSize}` === id).reduce((n, d) => n + d.loans, 0);
        deltas.push({ ...row, loans: have > 0 && rnd() < 0.5 ? -1 : 1 });
      }
      const before = [...state].map(([id, loans]) => {
        const [region, uscc, day, rightKind, borrowerSize] = id.split('|');
        return { region, uscc, day, rightKind, borrowerSize, loans };
      });
      for (const c of smeGapDeltas(before, deltas)) {
        const id = `${c.region}|${c.dim}|${c.p}|${c.d}`;
        cells.set(id, (cells.get(id) ?? 0) + c.n);
      }
      for (const d of deltas) {
        const id = `${d.region}|${d.uscc}|${d.day}|${d.rightKind}|${d.borrowerSize}`;
        const n = (state.get(id) ?? 0) + d.loans;
        if (n === 0) state.delete(id);
        else state.set(id, n);
      }
      // From scratch: every roll-up member's days per dimension.
      const expected = new Map<string, number>();
      for (const region of ['P3506', 'N']) {
        for (const uscc of ['a', 'b', 'c']) {
          for (const dim of GAP_DIMS) {
            const memberDays = new Set([...state.keys()].map((k) => k.split('|'))
              .filter(([r, u, , kind, size]) => r === region && u === uscc && (dim === '' || kind === dim || size === dim)).map(([, , day]) => day));
            for (const [cell, n] of cellsOf([...memberDays])) expected.set(`${region}|${dim}|${cell}`, (expected.get(`${region}|${dim}|${cell}`) ?? 0) + n);
          }
        }
      }
      const nonZero = (m: Map<string, number>) => new Map([...m].filter(([, n]) => n !== 0).sort(([a], [b]) => (a < b ? -1 : 1)));
      expect(nonZero(cells)).toEqual(nonZero(expected));
    }
    // Own codes have no cells; both right kinds and both sizes were moved.
    expect([...cells.keys()].some((k) => k.startsWith('350602'))).toBe(false);
    expect(new Set([...cells].filter(([, n]) => n > 0).map(([k]) => k.split('|')[1]))).toEqual(new Set(['', 'patent', 'trademark', 'micro', 'small']));
  });
});
