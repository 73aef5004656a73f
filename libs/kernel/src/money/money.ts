import { ValueFormatError, describeInput } from '../errors/domain-error';
import { divideHalfUp, formatFixed } from './half-up';
import { PercentInput, parsePercent } from './percent';

export class MoneyFormatError extends ValueFormatError {
  constructor(detail: string, input: unknown) {
    super('invalid-money', detail, input);
  }
}

/** `{ part, remainder }` of a half-up split: `part + remainder` is always the whole. */
export interface MoneySplit {
  readonly part: Money;
  readonly remainder: Money;
}

/*
 * Wire format: plain decimal, no sign, no leading zeros, at most two decimals, at most 16 integer
 * digits (so every amount fits a PostgreSQL bigint in fen). Same shape as contracts' MONEY_PATTERN.
 */
const UNSIGNED_AMOUNT = /^(0|[1-9]\d{0,15})(?:\.(\d{1,2}))?$/;
const SIGNED_AMOUNT = /^(-?)(0|[1-9]\d{0,15})(?:\.(\d{1,2}))?$/;

const FORMAT_HINT = 'a decimal string with at most two decimals, e.g. "1250000.00"';

/**
 * An amount of CNY, exact to the fen, held as a bigint number of fen. Immutable.
 * Comes in from the wire via `parse` (a decimal string) and goes out via `toString`/`toJSON`
 * (always two decimals). Refuses to be coerced to a number, so `a > b` or `a + 1` throws instead of
 * silently comparing strings or losing precision: use `compare`, `add`, etc.
 */
export class Money {
  static readonly ZERO = new Money(0n);

  private constructor(readonly fen: bigint) {
    Object.freeze(this);
  }

  /** Parses a non-negative API amount: `"1250000.00"`, `"5"`, `"0.5"`. */
  static parse(text: string): Money {
    return Money.parseWith(text, UNSIGNED_AMOUNT, false);
  }

  /** Parses an amount that may be negative (`"-1.20"`), for internal adjustments, never API input. */
  static parseSigned(text: string): Money {
    return Money.parseWith(text, SIGNED_AMOUNT, true);
  }

  static fromFen(fen: bigint): Money {
    if (typeof fen !== 'bigint') {
      throw new MoneyFormatError(`Money.fromFen needs a bigint number of fen, got ${describeInput(fen)}.`, fen);
    }
    return fen === 0n ? Money.ZERO : new Money(fen);
  }

  static sum(amounts: Iterable<Money>): Money {
    let total = 0n;
    for (const amount of amounts) total += amount.fen;
    return Money.fromFen(total);
  }

  static isMoney(value: unknown): value is Money {
    return value instanceof Money;
  }

  private static parseWith(text: string, pattern: RegExp, signed: boolean): Money {
    if (typeof text !== 'string') {
      throw new MoneyFormatError(
        `An amount must be ${FORMAT_HINT}, not a ${typeof text} (${describeInput(text)}).`,
        text,
      );
    }
    const match = pattern.exec(text);
    if (match === null) {
      const why = text.startsWith('-') && !signed ? 'may not be negative' : `must be ${FORMAT_HINT}`;
      throw new MoneyFormatError(`An amount ${why}; got ${describeInput(text)}.`, text);
    }
    const [sign, yuan, decimals] = signed ? [match[1], match[2], match[3]] : ['', match[1], match[2]];
    const magnitude = BigInt(yuan) * 100n + BigInt((decimals ?? '').padEnd(2, '0'));
    return Money.fromFen(sign === '-' ? -magnitude : magnitude);
  }

  add(other: Money): Money {
    return Money.fromFen(this.fen + other.fen);
  }

  subtract(other: Money): Money {
    return Money.fromFen(this.fen - other.fen);
  }

  negate(): Money {
    return Money.fromFen(-this.fen);
  }

  /** Multiplies by a whole count, e.g. ¥5 000 per recognised product. */
  times(count: bigint | number): Money {
    if (typeof count === 'number' && !Number.isSafeInteger(count)) {
      throw new RangeError(
        `Money can only be multiplied by an integer count, got ${count}; use multiplyPercentHalfUp for shares.`,
      );
    }
    return Money.fromFen(this.fen * BigInt(count));
  }

  /** `round_half_up(this × percent / 100)` to the fen, computed exactly. `percent` may exceed 100. */
  multiplyPercentHalfUp(percent: PercentInput): Money {
    const { numerator, denominator } = parsePercent(percent);
    return Money.fromFen(divideHalfUp(this.fen * numerator, 100n * denominator));
  }

  /**
   * Splits this amount: `part` = half-up(this × percent / 100) to the fen, `remainder` = this − part.
   * The fund's share of a loss is the part, the bank's the remainder. `percent` must be 0–100.
   */
  splitHalfUp(percent: PercentInput): MoneySplit {
    const { numerator, denominator } = parsePercent(percent, 100);
    const part = Money.fromFen(divideHalfUp(this.fen * numerator, 100n * denominator));
    return { part, remainder: this.subtract(part) };
  }

  compare(other: Money): -1 | 0 | 1 {
    return this.fen < other.fen ? -1 : this.fen > other.fen ? 1 : 0;
  }

  equals(other: Money): boolean {
    return this.fen === other.fen;
  }

  lessThan(other: Money): boolean {
    return this.fen < other.fen;
  }

  lessThanOrEqual(other: Money): boolean {
    return this.fen <= other.fen;
  }

  greaterThan(other: Money): boolean {
    return this.fen > other.fen;
  }

  greaterThanOrEqual(other: Money): boolean {
    return this.fen >= other.fen;
  }

  isZero(): boolean {
    return this.fen === 0n;
  }

  isNegative(): boolean {
    return this.fen < 0n;
  }

  isPositive(): boolean {
    return this.fen > 0n;
  }

  min(other: Money): Money {
    return this.fen <= other.fen ? this : other;
  }

  max(other: Money): Money {
    return this.fen >= other.fen ? this : other;
  }

  /** Always exactly two decimals: `"0.05"`, `"-1.20"`, `"1250000.00"`. */
  toString(): string {
    return formatFixed(this.fen, 2);
  }

  toJSON(): string {
    return this.toString();
  }

  /** Template literals and `String(m)` get the decimal string; numeric coercion throws. */
  [Symbol.toPrimitive](hint: 'string' | 'number' | 'default'): string {
    if (hint === 'string') return this.toString();
    throw new TypeError(`Money ${this.toString()} cannot be coerced to a ${hint} value: use compare/add/toString.`);
  }
}
