import fc from 'fast-check';
import { ValueFormatError } from '../errors/domain-error';
import { BusinessDate } from './business-date';
import { parsePeriodKey, periodKey, periodKeysBetween, periodRange, yearRange } from './period';

const date = (text: string): BusinessDate => BusinessDate.parse(text);
const range = (key: string): [string, string] => {
  const { from, to } = periodRange(key);
  return [from.toString(), to.toString()];
};

describe('periodKey', () => {
  it.each([
    ['2024-01-01', '2024', '2024-Q1', '2024-01'],
    ['2024-03-31', '2024', '2024-Q1', '2024-03'],
    ['2024-04-01', '2024', '2024-Q2', '2024-04'],
    ['2024-06-30', '2024', '2024-Q2', '2024-06'],
    ['2024-07-01', '2024', '2024-Q3', '2024-07'],
    ['2024-09-30', '2024', '2024-Q3', '2024-09'],
    ['2024-10-01', '2024', '2024-Q4', '2024-10'],
    ['2024-12-31', '2024', '2024-Q4', '2024-12'],
  ])('%s is in %s / %s / %s', (text, year, quarter, month) => {
    expect([periodKey(date(text), 'year'), periodKey(text, 'quarter'), periodKey(text, 'month')]).toEqual([
      year,
      quarter,
      month,
    ]);
  });

  it('places instants on their Shanghai date, across the year boundary', () => {
    expect(periodKey('2024-12-31T16:30:00Z', 'year')).toBe('2025');
    expect(periodKey(new Date('2024-12-31T16:30:00Z'), 'quarter')).toBe('2025-Q1');
    expect(periodKey('2024-12-31T23:30:00+08:00', 'month')).toBe('2024-12');
    expect(periodKey('2024-12-31T15:59:59Z', 'quarter')).toBe('2024-Q4');
    expect(periodKey('2024-03-31T16:00:00Z', 'quarter')).toBe('2024-Q2');
  });
});

describe('periodRange', () => {
  it.each([
    ['2024', '2024-01-01', '2024-12-31'],
    ['2024-Q1', '2024-01-01', '2024-03-31'],
    ['2024-Q2', '2024-04-01', '2024-06-30'],
    ['2024-Q3', '2024-07-01', '2024-09-30'],
    ['2024-Q4', '2024-10-01', '2024-12-31'],
    ['2024-02', '2024-02-01', '2024-02-29'],
    ['2023-02', '2023-02-01', '2023-02-28'],
    ['2024-12', '2024-12-01', '2024-12-31'],
  ])('%s runs %s … %s inclusive', (key, from, to) => {
    expect(range(key)).toEqual([from, to]);
  });

  it.each(['2024-Q0', '2024-Q5', '2024-13', '2024-00', '2024-1', '24', '2024-q1', '2024-H1', '', '0000'])(
    'refuses %p',
    (key) => {
      expect(() => periodRange(key)).toThrow(ValueFormatError);
    },
  );

  it('parses keys', () => {
    expect(parsePeriodKey('2024-Q3')).toEqual({ unit: 'quarter', year: 2024, index: 3 });
    expect(parsePeriodKey('2024-11')).toEqual({ unit: 'month', year: 2024, index: 11 });
    expect(parsePeriodKey('2024')).toEqual({ unit: 'year', year: 2024, index: 1 });
    expect(range(yearRange(2024).from.toString().slice(0, 4))).toEqual(['2024-01-01', '2024-12-31']);
  });

  it('every date lies in its period, and the days either side of the range lie outside', () => {
    const anyDate = fc.integer({ min: 0, max: 80_000 }).map((day) => BusinessDate.fromEpochDay(day));
    fc.assert(
      fc.property(anyDate, fc.constantFrom('year' as const, 'quarter' as const, 'month' as const), (subject, unit) => {
        const key = periodKey(subject, unit);
        const { from, to } = periodRange(key);
        expect(subject.isWithin(from, to)).toBe(true);
        expect(periodKey(from, unit)).toBe(key);
        expect(periodKey(to, unit)).toBe(key);
        expect(periodKey(from.addDays(-1), unit)).not.toBe(key);
        expect(periodKey(to.addDays(1), unit)).not.toBe(key);
      }),
    );
  });
});

describe('periodKeysBetween', () => {
  it('lists every overlapping period, oldest first', () => {
    expect(periodKeysBetween('2023-11-15', '2024-04-01', 'quarter')).toEqual(['2023-Q4', '2024-Q1', '2024-Q2']);
    expect(periodKeysBetween('2024-01-31', '2024-03-01', 'month')).toEqual(['2024-01', '2024-02', '2024-03']);
    expect(periodKeysBetween('2016-01-01', '2020-12-31', 'year')).toEqual(['2016', '2017', '2018', '2019', '2020']);
    expect(periodKeysBetween('2024-03-01', '2024-03-01', 'year')).toEqual(['2024']);
    expect(periodKeysBetween('2024-03-01', '2024-02-01', 'month')).toEqual([]);
  });
});
