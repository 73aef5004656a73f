import { fixedClock } from '@ipfin/kernel';
import { RegionCode } from '@ipfin/kernel';
import { rangeSql, regionBounds, regionKey, resolveWindow, rollUpRegions, singleBucket, splitRange } from './range';

describe('splitRange', () => {
  it('reads whole months from the roll-up and the ragged ends from daily rows', () => {
    expect(splitRange('2024-01-15', '2024-04-10')).toEqual({
      days: [['2024-01-15', '2024-01-31'], ['2024-04-01', '2024-04-10']],
      months: [['2024-02-01', '2024-03-01']], years: null,
    });
  });

  it('uses months only when the range is month-aligned, days only inside one month', () => {
    expect(splitRange('2024-01-01', '2024-12-31')).toEqual({ days: [], months: [['2024-01-01', '2024-12-01']], years: null });
    expect(splitRange('2024-02-03', '2024-02-29')).toEqual({ days: [['2024-02-03', '2024-02-29']], months: [], years: null });
    expect(splitRange('2024-02-01', '2024-03-30')).toEqual({ days: [['2024-03-01', '2024-03-30']], months: [['2024-02-01', '2024-02-01']], years: null });
    expect(splitRange('0001-01-01', '2024-05-07')).toEqual({ days: [['2024-05-01', '2024-05-07']], months: [['0001-01-01', '2024-04-01']], years: null });
  });

  it('is empty for an inverted range', () => {
    expect(splitRange('2024-02-02', '2024-02-01')).toEqual({ days: [], months: [], years: null });
  });

  it('builds one branch per part with the filter repeated', () => {
    const params: unknown[] = ['x'];
    const sql = rangeSql({ daily: 'd', monthly: 'm', columns: 'a', where: 'k = $1', from: '2024-01-15', to: '2024-03-31', params });
    expect(sql).toBe('(select a from d where k = $1 and day between $2::date and $3::date union all select a from m where k = $1 and day between $4::date and $5::date)');
    expect(params).toEqual(['x', '2024-01-15', '2024-01-31', '2024-02-01', '2024-03-01']);
  });
});

describe('splitRange with a yearly roll-up', () => {
  it('reads whole years from it, the other whole months and the ragged ends as before', () => {
    expect(splitRange('2023-11-20', '2026-03-05', { years: true })).toEqual({
      days: [['2023-11-20', '2023-11-30'], ['2026-03-01', '2026-03-05']],
      months: [['2023-12-01', '2023-12-01'], ['2026-01-01', '2026-02-01']],
      years: ['2024-01-01', '2025-01-01'],
    });
    expect(splitRange('2024-01-01', '2024-12-31', { years: true })).toEqual({ days: [], months: [], years: ['2024-01-01', '2024-01-01'] });
    expect(splitRange('0001-01-01', '2024-05-07', { years: true })).toEqual({
      days: [['2024-05-01', '2024-05-07']], months: [['2024-01-01', '2024-04-01']], years: ['0001-01-01', '2023-01-01'],
    });
  });

  it('keeps months when no whole year fits', () => {
    expect(splitRange('2024-02-01', '2025-01-31', { years: true })).toEqual({ days: [], months: [['2024-02-01', '2025-01-01']], years: null });
    expect(splitRange('2024-03-01', '2024-12-31', { years: true })).toEqual({ days: [], months: [['2024-03-01', '2024-12-01']], years: null });
  });

  it('adds a yearly branch to the SQL', () => {
    const params: unknown[] = [];
    const sql = rangeSql({ daily: 'd', monthly: 'm', yearly: 'y', columns: 'a', where: 'true', from: '2023-12-01', to: '2024-12-31', params });
    expect(sql).toBe('(select a from m where true and day between $1::date and $2::date union all select a from y where true and day between $3::date and $4::date)');
    expect(params).toEqual(['2023-12-01', '2023-12-01', '2024-01-01', '2024-01-01']);
  });
});

describe('rollUpRegions and regionKey', () => {
  it('writes a fact under its own code and every enclosing roll-up, and reads one key per query', () => {
    expect(rollUpRegions('350602')).toEqual(['350602', 'P3506', 'V35', 'N']);
    expect(rollUpRegions('350600')).toEqual(['350600', 'P3506', 'V35', 'N']);
    expect(regionKey(RegionCode.parse('350602'))).toBe('350602');
    expect(regionKey(RegionCode.parse('350600'))).toBe('P3506');
    expect(regionKey(RegionCode.parse('350000'))).toBe('V35');
    expect(regionKey(null)).toBe('N');
    // Roll-up keys never fall inside a region's code bounds.
    const { regionFrom, regionTo } = regionBounds(null);
    for (const k of ['P3506', 'V35', 'N']) expect(k >= regionFrom && k <= regionTo).toBe(false);
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

describe('singleBucket', () => {
  it('names the one roll-up bucket a range is exactly', () => {
    expect(singleBucket('2024-01-01', '2024-12-31')).toEqual({ grain: 'yearly', day: '2024-01-01' });
    expect(singleBucket('2024-02-01', '2024-02-29')).toEqual({ grain: 'monthly', day: '2024-02-01' });
    expect(singleBucket('2024-12-01', '2024-12-31')).toEqual({ grain: 'monthly', day: '2024-12-01' });
    expect(singleBucket('2024-02-29', '2024-02-29')).toEqual({ grain: 'daily', day: '2024-02-29' });
  });

  it('is null for a range of several buckets, or part of one', () => {
    for (const [from, to] of [
      ['2024-01-01', '2025-12-31'], ['2024-01-01', '2024-02-29'], ['2024-02-01', '2024-02-28'], ['2024-02-28', '2024-02-29'],
      ['2023-12-31', '2024-12-31'], ['2024-01-01', '2025-01-01'], ['0001-01-01', '2024-12-31'],
    ]) expect({ from, to, bucket: singleBucket(from, to) }).toEqual({ from, to, bucket: null });
  });
});
