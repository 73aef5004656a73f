import fc from 'fast-check';
import { Money } from './money';
import { ratio } from './ratio';

describe('ratio', () => {
  it.each<[Money | bigint | number, Money | bigint | number, number | undefined, string]>([
    [1n, 3n, undefined, '0.3333'],
    [2n, 3n, undefined, '0.6667'],
    [1n, 8n, 3, '0.125'],
    [1n, 16n, 3, '0.063'], // 0.0625: half rounds up
    [Money.parse('0'), Money.parse('0'), undefined, '0.0000'],
    [Money.parse('150000.00'), Money.parse('0'), undefined, '0.0000'],
    [Money.parse('51000000'), Money.parse('150000000'), undefined, '0.3400'],
    [Money.parse('0.01'), Money.parse('300000.00'), undefined, '0.0000'],
    [Money.parse('3.00'), Money.parse('2.00'), undefined, '1.5000'],
    [12, 50, undefined, '0.2400'], // 12 of 50 open licences
    [5n, 10n, 0, '1'], // 0.5 rounds up to 1
    [-1n, 3n, undefined, '-0.3333'],
    [-1n, 8n, 2, '-0.13'], // half away from zero
    [-1n, 1000000n, 4, '0.0000'], // no negative zero
  ])('ratio(%p, %p, %p) = %s', (numerator, denominator, places, expected) => {
    expect(ratio(numerator, denominator, places)).toBe(expected);
  });

  it('prints zero with the requested places when the denominator is zero', () => {
    expect(ratio(5n, 0n, 2)).toBe('0.00');
    expect(ratio(5n, 0n, 0)).toBe('0');
  });

  it('refuses fractional numbers and bad places', () => {
    expect(() => ratio(0.5, 1)).toThrow(RangeError);
    expect(() => ratio(1n, 2n, -1)).toThrow(RangeError);
    expect(() => ratio(1n, 2n, 1.5)).toThrow(RangeError);
  });

  /** Reference: schoolbook long division producing one digit more than needed, then round on it. */
  function longDivisionHalfUp(numerator: bigint, denominator: bigint, places: number): string {
    let integerPart = numerator / denominator;
    let rest = numerator % denominator;
    const digits: number[] = [];
    for (let i = 0; i <= places; i++) {
      rest *= 10n;
      digits.push(Number(rest / denominator));
      rest %= denominator;
    }
    const roundUp = digits.pop()! >= 5;
    if (roundUp) {
      let i = digits.length - 1;
      while (i >= 0 && digits[i] === 9) digits[i--] = 0;
      if (i >= 0) digits[i] += 1;
      else integerPart += 1n;
    }
    return places === 0 ? `${integerPart}` : `${integerPart}.${digits.join('')}`;
  }

  it('matches long division rounded half-up for any non-negative operands', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 20n }),
        fc.bigInt({ min: 1n, max: 10n ** 20n }),
        fc.integer({ min: 0, max: 8 }),
        (n, d, places) => {
          expect(ratio(n, d, places)).toBe(longDivisionHalfUp(n, d, places));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('is within half a unit of the last place of the true value', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        (n, d) => {
          const scaled = BigInt(ratio(n, d, 4).replace('.', ''));
          const error = scaled * d - n * 10_000n; // (rounded − exact) × d × 10⁴
          expect(2n * (error < 0n ? -error : error) <= d).toBe(true);
        },
      ),
    );
  });

  it('flips sign, not magnitude, when an operand is negated', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), (n, d) => {
        expect(ratio(-n, d)).toBe(ratio(n, -d));
        const positive = ratio(n, d);
        const negative = ratio(-n, d);
        expect(negative === positive || negative === `-${positive}`).toBe(true);
      }),
    );
  });
});
