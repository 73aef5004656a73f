import fc from 'fast-check';
import { ValueFormatError } from '../errors/domain-error';
import {
  isPatentNumber,
  makePatentNumber,
  normalizePatentNumber,
  parsePatentNumber,
  patentCheckChar,
} from './patent-number';

const NOW = new Date('2025-06-01T00:00:00+08:00');
const parse = (text: string): ReturnType<typeof parsePatentNumber> => parsePatentNumber(text, NOW);

/** Reference check character, written out here independently of the implementation. */
function referenceCheck(twelveDigits: string): string {
  const weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
  const sum = [...twelveDigits].reduce((total, digit, i) => total + parseInt(digit, 10) * weights[i], 0);
  return ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X'][sum % 11];
}

describe('parsePatentNumber', () => {
  it('accepts the example from the domain brief', () => {
    expect(referenceCheck('202310123456')).toBe('6');
    expect(parse('202310123456.6')).toEqual({
      ok: true,
      value: { normalized: '202310123456.6', year: 2023, type: 'invention', pct: false },
    });
  });

  it('accepts numbers whose check character is X, in either case', () => {
    expect(referenceCheck('202210000010')).toBe('X');
    expect(parse('ZL202210000010.X')).toMatchObject({ ok: true, value: { normalized: '202210000010.X' } });
    expect(parse('zl202210000010.x')).toMatchObject({ ok: true, value: { normalized: '202210000010.X' } });
  });

  it.each([
    ['ZL202310123456.6'],
    ['zl202310123456.6'],
    ['CN202310123456.6'],
    ['cn 202310123456.6'],
    ['ZL 2023 1012 3456.6'],
    ['  202310123456 . 6  '],
    ['Zl\t202310123456.6'],
  ])('normalises %p to the bare form', (text) => {
    expect(parse(text)).toMatchObject({ ok: true, value: { normalized: '202310123456.6' } });
  });

  it.each([
    [1, 'invention', false],
    [2, 'utility_model', false],
    [3, 'design', false],
    [8, 'invention', true],
    [9, 'utility_model', true],
  ] as const)('maps type digit %p to %s (pct %p)', (typeDigit, type, pct) => {
    const digits = `2021${typeDigit}0234567`;
    expect(parse(`${digits}.${referenceCheck(digits)}`)).toEqual({
      ok: true,
      value: { normalized: `${digits}.${referenceCheck(digits)}`, year: 2021, type, pct },
    });
  });

  it.each([0, 4, 5, 6, 7])('refuses unknown type digit %p', (typeDigit) => {
    const digits = `2021${typeDigit}0234567`;
    expect(parse(`${digits}.${referenceCheck(digits)}`)).toMatchObject({ ok: false, reason: 'type' });
  });

  it('refuses every wrong check character', () => {
    for (const wrong of ['0', '1', '2', '3', '4', '5', '7', '8', '9', 'X']) {
      expect(parse(`202310123456.${wrong}`)).toMatchObject({ ok: false, reason: 'check' });
    }
  });

  it('detects any single-digit change', () => {
    // 11 is prime and no weight is 0 mod 11, so a single changed digit always changes the check.
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 11 }), fc.integer({ min: 1, max: 9 }), (position, shift) => {
        const digits = '202310123456';
        const altered =
          digits.slice(0, position) + String((Number(digits[position]) + shift) % 10) + digits.slice(position + 1);
        expect(parse(`${altered}.6`)).toMatchObject({ ok: false, reason: 'check' });
      }),
    );
  });

  it.each(['20231012345.6', '2023101234567.6', '98123456.X'])('refuses %p for its length', (text) => {
    expect(parse(text)).toMatchObject({ ok: false, reason: 'length' });
  });

  it.each([
    '',
    '202310123456',
    '2023101234566',
    '202310123456.',
    '202310123456.66',
    '2023-10123456.6',
    'US202310123456.6',
    'ZLCN202310123456.6',
    '202310123456,6',
  ])('refuses %p for its format', (text) => {
    expect(parse(text)).toMatchObject({ ok: false, reason: 'format' });
  });

  it('refuses implausible years, judging "next year" in Asia/Shanghai at now', () => {
    const inYear = (year: number): string => makePatentNumber(year, 1, 1);
    expect(parse(inYear(1984))).toMatchObject({ ok: false, reason: 'year' });
    expect(parse(inYear(1985)).ok).toBe(true);
    expect(parse(inYear(2026)).ok).toBe(true);
    expect(parse(inYear(2027))).toMatchObject({ ok: false, reason: 'year' });
    // 2025-12-31T16:30Z is already 2026-01-01 in Shanghai, so 2027 becomes plausible.
    expect(parsePatentNumber(inYear(2027), new Date('2025-12-31T16:30:00Z')).ok).toBe(true);
    expect(parsePatentNumber(inYear(2027), new Date('2025-12-31T15:30:00Z')).ok).toBe(false);
  });

  it('normalizePatentNumber returns the bare form or throws a validation error', () => {
    expect(normalizePatentNumber('ZL202310123456.6', NOW)).toBe('202310123456.6');
    expect(() => normalizePatentNumber('ZL202310123456.7', NOW)).toThrow(ValueFormatError);
    expect(isPatentNumber('202310123456.6', NOW)).toBe(true);
  });
});

describe('makePatentNumber', () => {
  it('builds numbers the parser accepts, with the reference check character', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1985, max: 2025 }),
        fc.constantFrom(1 as const, 2 as const, 3 as const, 8 as const, 9 as const),
        fc.integer({ min: 0, max: 9_999_999 }),
        (year, typeDigit, serial) => {
          const number = makePatentNumber(year, typeDigit, serial);
          const digits = number.slice(0, 12);
          expect(digits).toBe(`${year}${typeDigit}${String(serial).padStart(7, '0')}`);
          expect(number.slice(13)).toBe(referenceCheck(digits));
          expect(parse(number).ok).toBe(true);
        },
      ),
    );
  });

  it('pads the serial and refuses nonsense', () => {
    expect(makePatentNumber(2023, 1, '0123456')).toBe('202310123456.6');
    expect(makePatentNumber(2023, 1, 123456)).toBe('202310123456.6');
    expect(() => makePatentNumber(2023, 1, 12_345_678)).toThrow(RangeError);
    expect(() => makePatentNumber(23, 1, 1)).toThrow(RangeError);
    expect(() => makePatentNumber(2023, 4 as 1, 1)).toThrow(RangeError);
    expect(() => patentCheckChar('2023')).toThrow(RangeError);
  });
});
