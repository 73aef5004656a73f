import { prng } from '@ipfin/testing';
import { bucketEnd, bucketOf, FIRST_MONTHS, SME_PERIODS, smeCountDeltas, type SmeSetRow } from './sme-counts';

describe('period buckets', () => {
  it('gives the first and last day of the year, quarter and month of a day', () => {
    expect(bucketOf('2024-08-17', 'Y')).toBe('2024-01-01');
    expect(bucketOf('2024-08-17', 'A')).toBe('0001-01-01');
    expect(bucketOf('2024-08-17', 'Q')).toBe('2024-07-01');
    expect(bucketOf('2024-03-31', 'Q')).toBe('2024-01-01');
    expect(bucketOf('2024-12-01', 'Q')).toBe('2024-10-01');
    expect(bucketOf('2024-08-17', 'M')).toBe('2024-08-01');
    expect(bucketEnd('2024-01-01', 'Y')).toBe('2024-12-31');
    expect(bucketEnd('2024-01-01', 'Q')).toBe('2024-03-31');
    expect(bucketEnd('2024-10-01', 'Q')).toBe('2024-12-31');
    expect(bucketEnd('2024-02-01', 'M')).toBe('2024-02-29');
  });
});


describe('count rows kept by the fold', () => {
  it('always equal the number of members per bucket and first day, through random batches of additions and removals', () => {
    const rnd = prng(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const days = ['2024-01-01', '2024-02-10', '2024-02-20', '2024-03-31', '2024-04-01', '2024-12-31', '2025-01-15', '2025-06-30'];
    const state = new Map<string, number>(); // region|uscc|day|bank → loans (> 0)
    const counts = new Map<string, number>(); // region|period|bucket|bank|first → n
    for (let batch = 0; batch < 400; batch++) {
      const deltas: SmeSetRow[] = [];
      for (let i = 0; i < 1 + Math.floor(rnd() * 6); i++) {
        const row = { region: pick(['350602', 'P3506']), uscc: pick(['a', 'b', 'c']), day: pick(days), bank: pick(['x', 'y']) };
        const id = `${row.region}|${row.uscc}|${row.day}|${row.bank}`;
        const have = (state.get(id) ?? 0) + deltas.filter((d) => `${d.region}|${d.uscc}|${d.day}|${d.bank}` === id).reduce((n, d) => n + d.loans, 0);
        deltas.push({ ...row, loans: have > 0 && rnd() < 0.5 ? -1 : 1 });
      }
      const before = [...state].map(([id, loans]) => {
        const [region, uscc, day, bank] = id.split('|');
        return { region, uscc, day, bank, loans };
      });
      for (const c of smeCountDeltas(before, deltas)) {
        const id = `${c.region}|${c.period}|${c.day}|${c.bank}|${c.firstDay}`;
        counts.set(id, (counts.get(id) ?? 0) + c.n);
        if (counts.get(id) === 0) counts.delete(id);
      }
      for (const d of deltas) {
        const id = `${d.region}|${d.uscc}|${d.day}|${d.bank}`;
        state.set(id, (state.get(id) ?? 0) + d.loans);
        if (state.get(id) === 0) state.delete(id);
      }
      // Brute force: each member's first day per bucket and bank dimension.
      const expected = new Map<string, number>();
      const firsts = new Map<string, string>();
      for (const [id] of state) {
        const [region, uscc, day, bank] = id.split('|');
        for (const period of SME_PERIODS) {
          for (const dim of ['', '*', bank]) {
            const key = `${region}|${period}|${bucketOf(day, period)}|${dim}|${uscc}`;
            const f = firsts.get(key);
            if (f === undefined || day < f) firsts.set(key, day);
          }
        }
      }
      for (const [key, first] of firsts) {
        const [, , bucket, dim] = key.split('|');
        const id = `${key.split('|').slice(0, 4).join('|')}|${dim === '' ? first : bucket}`;
        expected.set(id, (expected.get(id) ?? 0) + 1);
      }
      // Since-year rows: members with a loan before Y and one on or after Y, by the first such day.
      const daysOf = new Map<string, string[]>();
      for (const [id] of state) {
        const [region, uscc, day] = id.split('|');
        daysOf.set(`${region}|${uscc}`, [...(daysOf.get(`${region}|${uscc}`) ?? []), day]);
      }
      for (const [m, ds] of daysOf) {
        for (let y = 2020; y <= 2030; y++) {
          const start = `${y}-01-01`;
          const after = ds.filter((d) => d >= start).sort();
          if (!ds.some((d) => d < start) || after.length === 0) continue;
          const id = `${m.split('|')[0]}|S|${start}||${after[0]}`;
          expected.set(id, (expected.get(id) ?? 0) + 1);
        }
      }
      // All banks' first-day rows again per month of the first day (every period but M).
      for (const [id, n] of [...expected]) {
        const [region, period, bucket, dim, first] = id.split('|');
        if (dim !== '' || period === 'M') continue;
        const monthly = `${region}|${period}|${bucket}|${FIRST_MONTHS}|${first.slice(0, 7)}-01`;
        expected.set(monthly, (expected.get(monthly) ?? 0) + n);
      }
      expect(new Map([...counts].sort())).toEqual(new Map([...expected].sort()));
    }
  });
});
