import fc from 'fast-check';
import { ValueFormatError } from '../errors/domain-error';
import { BusinessDate, isLeapYear } from './business-date';

const date = (text: string): BusinessDate => BusinessDate.parse(text);
const MS_PER_DAY = 86_400_000;

/** Valid dates 1900-2199 built with Date.UTC as an independent reference. */
const anyDate = fc
  .integer({ min: Date.UTC(1900, 0, 1) / MS_PER_DAY, max: Date.UTC(2199, 11, 31) / MS_PER_DAY })
  .map((day) => new Date(day * MS_PER_DAY));

describe('BusinessDate.parse', () => {
  it.each(['2024-02-29', '2000-02-29', '2024-12-31', '1985-04-01', '0001-01-01', '9999-12-31'])(
    'accepts %s',
    (text) => {
      expect(date(text).toString()).toBe(text);
    },
  );

  it.each([
    ['2023-02-29', 'calendar'],
    ['1900-02-29', 'calendar'],
    ['2024-02-30', 'calendar'],
    ['2024-04-31', 'calendar'],
    ['2024-13-01', 'calendar'],
    ['2024-00-10', 'calendar'],
    ['2024-01-00', 'calendar'],
    ['0000-01-01', 'calendar'],
    ['2024-1-1', 'format'],
    ['2024/01/01', 'format'],
    ['20240101', 'format'],
    [' 2024-01-01', 'format'],
    ['2024-01-01T00:00:00Z', 'format'],
    ['', 'format'],
  ])('refuses %p (%s)', (text, reason) => {
    expect(BusinessDate.validate(text)).toMatchObject({ ok: false, reason });
    expect(() => date(text)).toThrow(ValueFormatError);
  });

  it('throws a validation error with the code invalid-date', () => {
    expect(() => date('2023-02-29')).toThrow(expect.objectContaining({ code: 'invalid-date', kind: 'validation' }));
  });

  it('agrees with Date.UTC on the day number, weekday and fields of any date', () => {
    fc.assert(
      fc.property(anyDate, (reference) => {
        const text = reference.toISOString().slice(0, 10);
        const parsed = date(text);
        expect(parsed.epochDay).toBe(reference.getTime() / MS_PER_DAY);
        expect([parsed.year, parsed.month, parsed.day]).toEqual([
          reference.getUTCFullYear(),
          reference.getUTCMonth() + 1,
          reference.getUTCDate(),
        ]);
        expect(parsed.isoWeekday()).toBe(reference.getUTCDay() === 0 ? 7 : reference.getUTCDay());
        expect(BusinessDate.fromEpochDay(parsed.epochDay).toString()).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('knows leap years', () => {
    expect([1900, 2000, 2023, 2024, 2100].map(isLeapYear)).toEqual([false, true, false, true, false]);
  });
});

describe('BusinessDate arithmetic', () => {
  it('adds days across month and year ends', () => {
    expect(date('2024-02-28').addDays(1).toString()).toBe('2024-02-29');
    expect(date('2024-12-31').addDays(1).toString()).toBe('2025-01-01');
    expect(date('2025-01-01').addDays(-1).toString()).toBe('2024-12-31');
  });

  it('adds months, clamping to the end of shorter months', () => {
    expect(date('2024-01-31').addMonths(1).toString()).toBe('2024-02-29');
    expect(date('2023-01-31').addMonths(1).toString()).toBe('2023-02-28');
    expect(date('2024-03-01').addMonths(36).toString()).toBe('2027-03-01');
    expect(date('2024-11-15').addMonths(2).toString()).toBe('2025-01-15');
    expect(date('2024-01-15').addMonths(-1).toString()).toBe('2023-12-15');
    expect(date('2024-03-31').addMonths(-1).toString()).toBe('2024-02-29');
  });

  it('adds years, turning 29 February into 28 February', () => {
    expect(date('2024-02-29').addYears(1).toString()).toBe('2025-02-28');
    expect(date('2024-02-29').addYears(4).toString()).toBe('2028-02-29');
    expect(date('2024-02-02').addYears(5).toString()).toBe('2029-02-02');
  });

  it('diffDays is this minus other', () => {
    expect(date('2024-03-01').diffDays(date('2024-02-01'))).toBe(29);
    expect(date('2024-02-01').diffDays(date('2024-03-01'))).toBe(-29);
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -100_000, max: 100_000 }), (reference, days) => {
        const start = date(reference.toISOString().slice(0, 10));
        expect(start.addDays(days).diffDays(start)).toBe(days);
      }),
    );
  });

  it('compares', () => {
    const [early, late] = [date('2024-02-02'), date('2029-02-01')];
    expect(early.compare(late)).toBe(-1);
    expect(late.compare(early)).toBe(1);
    expect(early.compare(date('2024-02-02'))).toBe(0);
    expect(early.isBefore(late) && late.isAfter(early) && early.equals(date('2024-02-02'))).toBe(true);
    expect(date('2024-06-01').isWithin(early, late)).toBe(true);
    expect(early.isWithin(early, late) && late.isWithin(early, late)).toBe(true);
    expect(date('2029-02-02').isWithin(early, late)).toBe(false);
    expect(BusinessDate.min(late, early).toString()).toBe('2024-02-02');
    expect(BusinessDate.max(early, late).toString()).toBe('2029-02-01');
  });

  it('refuses fractional arithmetic and out-of-range results', () => {
    expect(() => date('2024-01-01').addDays(0.5)).toThrow(RangeError);
    expect(() => date('9999-12-31').addDays(1)).toThrow(RangeError);
    expect(() => BusinessDate.of(2023, 2, 29)).toThrow(ValueFormatError);
  });

  it('serialises to YYYY-MM-DD and is immutable', () => {
    const subject = date('2024-03-01');
    expect(JSON.stringify({ occurredOn: subject })).toBe('{"occurredOn":"2024-03-01"}');
    expect(Object.isFrozen(subject)).toBe(true);
  });
});
