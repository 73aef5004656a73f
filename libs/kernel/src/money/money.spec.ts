import fc from 'fast-check';
import { DomainError } from '../errors/domain-error';
import { Money, MoneyFormatError } from './money';
import { PercentFormatError } from './percent';

const yuan = (text: string): Money => Money.parse(text);
/** Largest amount the wire format allows: 16 integer digits, two decimals. */
const MAX_FEN = 10n ** 18n - 1n;

describe('Money.parse', () => {
  it.each([
    ['1250000.00', 125000000n],
    ['5', 500n],
    ['0.5', 50n],
    ['0.05', 5n],
    ['0', 0n],
    ['0.00', 0n],
    ['10.1', 1010n],
    ['9999999999999999.99', MAX_FEN],
  ])('reads %s as %p fen', (text, fen) => {
    expect(yuan(text).fen).toBe(fen);
  });

  it.each([
    ['', 'empty'],
    [' ', 'whitespace only'],
    [' 5', 'leading whitespace'],
    ['5 ', 'trailing whitespace'],
    ['+5', 'explicit plus'],
    ['-5', 'negative'],
    ['.5', 'leading dot'],
    ['5.', 'trailing dot'],
    ['1.234', 'three decimals'],
    ['0.001', 'three decimals'],
    ['1e5', 'exponent'],
    ['1E5', 'exponent'],
    ['1,000', 'thousands separator'],
    ['1,000.00', 'thousands separator'],
    ['1 000.00', 'space separator'],
    ['01', 'leading zero'],
    ['00.50', 'leading zeros'],
    ['0x10', 'hex'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['1.2.3', 'two dots'],
    ['１００', 'full-width digits'],
    ['¥100', 'currency sign'],
    ['10000000000000000', '17 integer digits'],
  ])('rejects %p (%s)', (text) => {
    expect(() => yuan(text)).toThrow(MoneyFormatError);
  });

  it('rejects numbers, even whole ones, because floats never carry money', () => {
    expect(() => Money.parse(5 as unknown as string)).toThrow(MoneyFormatError);
    expect(() => Money.parse(0.5 as unknown as string)).toThrow(/decimal string/);
  });

  it('explains the expected format and is a validation domain error', () => {
    const error = captureError(() => yuan('1.234'));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'invalid-money', kind: 'validation' });
    expect(error.message).toMatch(/at most two decimals/);
    expect(error.message).toContain('"1.234"');
  });

  it('says so when a negative amount is given to parse', () => {
    expect(() => yuan('-1.00')).toThrow(/may not be negative/);
  });

  it('parseSigned accepts negatives but keeps every other rule', () => {
    expect(Money.parseSigned('-1.2').fen).toBe(-120n);
    expect(Money.parseSigned('-0.05').toString()).toBe('-0.05');
    expect(Money.parseSigned('7').fen).toBe(700n);
    expect(Money.parseSigned('-0').isZero()).toBe(true);
    for (const bad of ['--1', '-', '- 1', '+1', '-1.234', '-.5', '-01'])
      expect(() => Money.parseSigned(bad)).toThrow(MoneyFormatError);
  });
});

describe('Money formatting', () => {
  it.each([
    [5n, '0.05'],
    [0n, '0.00'],
    [-120n, '-1.20'],
    [-5n, '-0.05'],
    [100n, '1.00'],
    [125000000n, '1250000.00'],
  ])('%p fen prints as %s', (fen, text) => {
    expect(Money.fromFen(fen).toString()).toBe(text);
  });

  it('serialises to the decimal string in JSON and string conversion', () => {
    expect(JSON.stringify({ amount: yuan('5000000') })).toBe('{"amount":"5000000.00"}');
    expect(String(yuan('0.5'))).toBe('0.50');
  });

  it('refuses numeric coercion so comparisons cannot silently go wrong', () => {
    const ten = yuan('10');
    const nine = yuan('9');
    expect(() => (ten as unknown as number) > (nine as unknown as number)).toThrow(TypeError);
    expect(() => (ten as unknown as number) + 1).toThrow(TypeError);
    expect(() => Number(ten)).toThrow(TypeError);
  });

  it('fromFen refuses a number', () => {
    expect(() => Money.fromFen(5 as unknown as bigint)).toThrow(MoneyFormatError);
  });

  it('is immutable', () => {
    const amount = yuan('1.00');
    expect(() => {
      (amount as unknown as { fen: bigint }).fen = 5n;
    }).toThrow(TypeError);
    expect(amount.fen).toBe(100n);
  });

  it('round-trips any bigint fen through toString and parseSigned', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -MAX_FEN, max: MAX_FEN }), (fen) => {
        const text = Money.fromFen(fen).toString();
        expect(text).toMatch(/^-?(0|[1-9]\d*)\.\d\d$/);
        expect(Money.parseSigned(text).fen).toBe(fen);
        if (fen >= 0n) expect(Money.parse(text).fen).toBe(fen);
      }),
    );
  });

  it('parses any well-formed string to the same value it prints (with two decimals)', () => {
    const wellFormed = fc
      .tuple(
        fc.bigInt({ min: 0n, max: 10n ** 16n - 1n }),
        fc.constantFrom('', '.d', '.dd'),
        fc.integer({ min: 0, max: 99 }),
      )
      .map(([integer, shape, cents]) => {
        const twoDigits = String(cents).padStart(2, '0');
        return shape === '' ? `${integer}` : shape === '.d' ? `${integer}.${twoDigits[0]}` : `${integer}.${twoDigits}`;
      });
    fc.assert(
      fc.property(wellFormed, (text) => {
        const [integer, fraction = ''] = text.split('.');
        expect(Money.parse(text).toString()).toBe(`${integer}.${fraction.padEnd(2, '0')}`);
      }),
    );
  });
});

describe('Money arithmetic', () => {
  it('adds, subtracts and negates exactly', () => {
    expect(yuan('0.10').add(yuan('0.20')).toString()).toBe('0.30');
    expect(yuan('1.00').subtract(yuan('1.20')).toString()).toBe('-0.20');
    expect(yuan('3.5').negate().toString()).toBe('-3.50');
    expect(yuan('5000').times(3).toString()).toBe('15000.00');
    expect(yuan('5000').times(2n).toString()).toBe('10000.00');
    expect(() => yuan('5000').times(1.5)).toThrow(RangeError);
  });

  it('compares', () => {
    const [small, large] = [yuan('9.99'), yuan('10')];
    expect(small.compare(large)).toBe(-1);
    expect(large.compare(small)).toBe(1);
    expect(small.compare(yuan('9.99'))).toBe(0);
    expect(
      small.lessThan(large) &&
        small.lessThanOrEqual(large) &&
        large.greaterThan(small) &&
        large.greaterThanOrEqual(small),
    ).toBe(true);
    expect(small.equals(yuan('9.990'.slice(0, 4)))).toBe(true);
    expect(small.min(large)).toBe(small);
    expect(small.max(large)).toBe(large);
  });

  it('knows zero, negative and positive', () => {
    expect(Money.ZERO.isZero()).toBe(true);
    expect(Money.fromFen(0n).isZero()).toBe(true);
    expect(Money.fromFen(-1n).isNegative()).toBe(true);
    expect(Money.fromFen(1n).isNegative()).toBe(false);
    expect(Money.fromFen(1n).isPositive()).toBe(true);
  });

  it('sums a list, empty to zero', () => {
    expect(Money.sum([]).toString()).toBe('0.00');
    expect(Money.sum([yuan('0.01'), yuan('1250000'), yuan('0.99')]).toString()).toBe('1250001.00');
    expect(Money.sum(new Set([yuan('1'), yuan('2')])).toString()).toBe('3.00');
  });
});

describe('Money.multiplyPercentHalfUp and splitHalfUp', () => {
  it.each<[string, string | number, string]>([
    ['0.01', 80, '0.01'], // 0.008 rounds up
    ['0.01', 40, '0.00'], // 0.004 rounds down
    ['0.05', 10, '0.01'], // exactly 0.005: half rounds up
    ['12345.67', 80, '9876.54'], // 9876.536
    ['12345.67', '80', '9876.54'],
    ['12345.67', '62.5', '7716.04'], // 7716.04375
    ['1000000.00', 60, '600000.00'],
    ['1.00', '33.333', '0.33'],
    ['1.00', 100, '1.00'],
    ['1.00', 0, '0.00'],
    ['100.00', 150, '150.00'],
  ])('%s × %p %% = %s', (amount, percent, expected) => {
    expect(yuan(amount).multiplyPercentHalfUp(percent).toString()).toBe(expected);
  });

  it('rounds halves away from zero for negative amounts', () => {
    expect(Money.parseSigned('-0.05').multiplyPercentHalfUp(10).toString()).toBe('-0.01');
    expect(Money.parseSigned('-0.01').multiplyPercentHalfUp(40).toString()).toBe('0.00');
  });

  it('splits a Zhangzhou 8 : 2 loss with the fund part rounded half-up and the bank getting the rest', () => {
    const { part, remainder } = yuan('12345.67').splitHalfUp(80);
    expect(part.toString()).toBe('9876.54');
    expect(remainder.toString()).toBe('2469.13');
    const cent = yuan('0.01').splitHalfUp('80');
    expect([cent.part.toString(), cent.remainder.toString()]).toEqual(['0.01', '0.00']);
  });

  it('refuses fractional numbers, negatives, malformed strings and, for a split, more than 100 %', () => {
    const amount = yuan('100');
    for (const bad of [62.5, -1, '-1', '1e2', '', ' 80', '80 %', '.5', '80.', NaN, Infinity]) {
      expect(() => amount.multiplyPercentHalfUp(bad)).toThrow(PercentFormatError);
    }
    expect(() => amount.splitHalfUp(101)).toThrow(/between 0 and 100/);
    expect(() => amount.splitHalfUp('100.01')).toThrow(PercentFormatError);
    expect(amount.splitHalfUp('100.00').part.toString()).toBe('100.00');
  });

  /** Percentages 0-100 with 0-4 decimals, as the string a policy would hold, plus integer forms. */
  const percentArbitrary = fc.oneof(
    fc.integer({ min: 0, max: 100 }),
    fc.integer({ min: 0, max: 4 }).chain((places) =>
      fc.integer({ min: 0, max: 100 * 10 ** places }).map((scaled) => {
        if (places === 0) return String(scaled);
        const digits = String(scaled).padStart(places + 1, '0');
        return `${digits.slice(0, -places)}.${digits.slice(-places)}`;
      }),
    ),
  );

  /**
   * Reference written differently from the implementation: floor division plus a comparison of
   * twice the remainder with the divisor, on the absolute value, sign restored afterwards.
   */
  function referenceHalfUpPart(fen: bigint, percent: string | number): bigint {
    const [integerPart, fraction = ''] = String(percent).split('.');
    const percentScaled = BigInt(integerPart + fraction);
    const divisor = 100n * 10n ** BigInt(fraction.length);
    const magnitude = (fen < 0n ? -fen : fen) * percentScaled;
    const quotient = magnitude / divisor;
    const roundedMagnitude = (magnitude % divisor) * 2n >= divisor ? quotient + 1n : quotient;
    return fen < 0n ? -roundedMagnitude : roundedMagnitude;
  }

  it('part + remainder is always the whole, and part is the half-up share', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -MAX_FEN, max: MAX_FEN }), percentArbitrary, (fen, percent) => {
        const whole = Money.fromFen(fen);
        const { part, remainder } = whole.splitHalfUp(percent);
        expect(part.add(remainder).equals(whole)).toBe(true);
        expect(part.fen).toBe(referenceHalfUpPart(fen, percent));
        expect(whole.multiplyPercentHalfUp(percent).equals(part)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('for non-negative amounts the part never exceeds the whole and the remainder is never negative', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_FEN }), percentArbitrary, (fen, percent) => {
        const { part, remainder } = Money.fromFen(fen).splitHalfUp(percent);
        expect(part.isNegative() || remainder.isNegative()).toBe(false);
      }),
    );
  });
});

function captureError(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected an error');
}
