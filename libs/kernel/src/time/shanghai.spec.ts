import fc from 'fast-check';
import { ValueFormatError } from '../errors/domain-error';
import { BusinessDate } from './business-date';
import { fixedClock } from './clock';
import { parseInstant, shanghaiDateOf, shanghaiInstantRange, shanghaiStartOfDay, shanghaiToday } from './shanghai';

describe('shanghaiDateOf', () => {
  it.each([
    ['2024-12-31T23:30:00+08:00', '2024-12-31'],
    ['2024-12-31T16:30:00Z', '2025-01-01'],
    ['2024-12-31T15:59:59.999Z', '2024-12-31'],
    ['2024-12-31T16:00:00Z', '2025-01-01'],
    ['2025-01-01T00:00:00+08:00', '2025-01-01'],
    ['2024-06-30T20:00:00-04:00', '2024-07-01'],
    ['2024-03-31T16:00:00.000Z', '2024-04-01'],
    ['2024-02-28t16:00:00z', '2024-02-29'],
    ['2024-02-28 16:00:00Z', '2024-02-29'],
  ])('%s is %s in Shanghai', (instant, expected) => {
    expect(shanghaiDateOf(instant).toString()).toBe(expected);
    expect(shanghaiDateOf(new Date(Date.parse(instant.replace(' ', 'T')))).toString()).toBe(expected);
  });

  it('agrees with an independent UTC+8 computation for any instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1992, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
        const reference = new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
        expect(shanghaiDateOf(new Date(ms)).toString()).toBe(reference);
        expect(shanghaiDateOf(new Date(ms).toISOString()).toString()).toBe(reference);
      }),
    );
  });

  it('refuses an invalid Date', () => {
    expect(() => shanghaiDateOf(new Date(Number.NaN))).toThrow(ValueFormatError);
  });
});

describe('parseInstant', () => {
  it('reads offsets and fractions exactly', () => {
    expect(parseInstant('2024-03-01T09:30:00+08:00').toISOString()).toBe('2024-03-01T01:30:00.000Z');
    expect(parseInstant('2024-03-01T09:30:00.123456+05:30').toISOString()).toBe('2024-03-01T04:00:00.123Z');
    expect(parseInstant('2024-03-01T09:30:00.5Z').toISOString()).toBe('2024-03-01T09:30:00.500Z');
  });

  it('agrees with Date.parse on well-formed timestamps', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) }),
        fc.integer({ min: -12 * 60, max: 14 * 60 }),
        (ms, offsetMinutes) => {
          const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 23);
          const sign = offsetMinutes < 0 ? '-' : '+';
          const absolute = Math.abs(offsetMinutes);
          const text = `${local}${sign}${String(Math.floor(absolute / 60)).padStart(2, '0')}:${String(absolute % 60).padStart(2, '0')}`;
          expect(parseInstant(text).getTime()).toBe(Date.parse(text));
          expect(parseInstant(text).getTime()).toBe(ms);
        },
      ),
    );
  });

  it.each([
    '2024-03-01T09:30:00',
    '2024-03-01',
    '2024-03-01T09:30Z',
    '2024-02-30T09:30:00Z',
    '2024-03-01T24:00:00Z',
    '2024-03-01T09:60:00Z',
    '2024-03-01T09:30:00+0800',
    '2024-03-01T09:30:00+08',
    'Fri, 01 Mar 2024 09:30:00 GMT',
    '1709256600000',
    '',
  ])('refuses %p', (text) => {
    expect(() => parseInstant(text)).toThrow(expect.objectContaining({ code: 'invalid-timestamp' }));
  });
});

describe('Shanghai day boundaries', () => {
  it('a business date starts at 16:00Z the day before', () => {
    expect(shanghaiStartOfDay('2025-01-01').toISOString()).toBe('2024-12-31T16:00:00.000Z');
    expect(shanghaiInstantRange('2024-01-01', BusinessDate.parse('2024-12-31'))).toEqual({
      start: new Date('2023-12-31T16:00:00Z'),
      end: new Date('2024-12-31T16:00:00Z'),
    });
  });

  it('today follows the injected clock', () => {
    const clock = fixedClock('2024-12-31T16:30:00Z');
    expect(shanghaiToday(clock).toString()).toBe('2025-01-01');
    clock.set('2024-12-31T15:30:00Z');
    expect(shanghaiToday(clock).toString()).toBe('2024-12-31');
  });
});
