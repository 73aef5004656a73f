import { fixedClock } from '@ipfin/kernel';
import { RegionCode } from '@ipfin/kernel';
import { rangeSql, regionBounds, resolveWindow, splitRange } from './range';

describe('splitRange', () => {
  it('reads whole months from the roll-up and the ragged ends from daily rows', () => {
    expect(splitRange('2024-01-15', '2024-04-10')).toEqual({
      days: [['2024-01-15', '2024-01-31'], ['2024-04-01', '2024-04-10']],
      months: ['2024-02-01', '2024-03-01'],
    });
  });

  it('uses months only when the range is month-aligned, days only inside one month', () => {
    expect(splitRange('2024-01-01', '2024-12-31')).toEqual({ days: [], months: ['2024-01-01', '2024-12-01'] });
    expect(splitRange('2024-02-03', '2024-02-29')).toEqual({ days: [['2024-02-03', '2024-02-29']], months: null });
    expect(splitRange('2024-02-01', '2024-03-30')).toEqual({ days: [['2024-03-01', '2024-03-30']], months: ['2024-02-01', '2024-02-01'] });
    expect(splitRange('0001-01-01', '2024-05-07')).toEqual({ days: [['2024-05-01', '2024-05-07']], months: ['0001-01-01', '2024-04-01'] });
  });

  it('is empty for an inverted range', () => {
    expect(splitRange('2024-02-02', '2024-02-01')).toEqual({ days: [], months: null });
  });

  it('builds one branch per part with the filter repeated', () => {
    const params: unknown[] = ['x'];
    const sql = rangeSql({ daily: 'd', monthly: 'm', columns: 'a', where: 'k = $1', from: '2024-01-15', to: '2024-03-31', params });
    expect(sql).toBe('(select a from d where k = $1 and day between $2::date and $3::date union all select a from m where k = $1 and day between $4::date and $5::date)');
    expect(params).toEqual(['x', '2024-01-15', '2024-01-31', '2024-02-01', '2024-03-01']);
  });
});

describe('resolveWindow', () => {
  const clock = fixedClock('2025-06-30T17:00:00Z'); // 2025-07-01 in Shanghai

  it('year wins and covers the calendar year', () => {
    expect(resolveWindow({ year: '2024', from: '2024-05-01' }, clock, { defaultYear: false })).toEqual({ from: '2024-01-01', to: '2024-12-31', year: 2024 });
  });

  it('defaults to the current Shanghai year, or to everything up to today', () => {
    expect(resolveWindow({}, clock, { defaultYear: true })).toEqual({ from: '2025-01-01', to: '2025-12-31', year: 2025 });
    expect(resolveWindow({}, clock, { defaultYear: false })).toEqual({ from: null, to: '2025-07-01', year: null });
    expect(resolveWindow({ from: '2025-03-01' }, clock, { defaultYear: true })).toEqual({ from: '2025-03-01', to: '2025-07-01', year: null });
  });

  it('refuses from after to', () => {
    expect(() => resolveWindow({ from: '2025-03-02', to: '2025-03-01' }, clock, { defaultYear: false })).toThrow(/from/);
  });
});

describe('regionBounds', () => {
  it('covers a region and everything below it', () => {
    expect(regionBounds(RegionCode.parse('350000'))).toEqual({ regionFrom: '350000', regionTo: '359999' });
    expect(regionBounds(RegionCode.parse('350600'))).toEqual({ regionFrom: '350600', regionTo: '350699' });
    expect(regionBounds(RegionCode.parse('350583'))).toEqual({ regionFrom: '350583', regionTo: '350583' });
    expect(regionBounds(null)).toEqual({ regionFrom: '000000', regionTo: '999999' });
  });
});
