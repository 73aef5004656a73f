import { ValueFormatError, describeInput } from '../errors/domain-error';

/**
 * A percentage as policy data gives it: an integer (`80`, `80n`) or a decimal string (`"80"`,
 * `"62.5"`). Never a fractional binary float.
 */
export type PercentInput = string | number | bigint;

/** An exact non-negative percentage `numerator / denominator` (in percent, so 62.5 % = 625/10). */
export interface ExactPercent {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

export class PercentFormatError extends ValueFormatError {
  constructor(detail: string, input: unknown) {
    super('invalid-percent', detail, input);
  }
}

const PERCENT_PATTERN = /^(0|[1-9]\d{0,5})(?:\.(\d{1,10}))?$/;

/** Parses a percentage exactly; rejects negatives, floats, exponents and anything above `max`. */
export function parsePercent(input: PercentInput, max?: number): ExactPercent {
  let percent: ExactPercent;
  if (typeof input === 'bigint') {
    percent = { numerator: input, denominator: 1n };
  } else if (typeof input === 'number') {
    if (!Number.isSafeInteger(input)) {
      throw new PercentFormatError(
        `A percentage given as a number must be an integer; pass fractional percentages as a decimal string such as "62.5", got ${describeInput(input)}.`,
        input,
      );
    }
    percent = { numerator: BigInt(input), denominator: 1n };
  } else if (typeof input === 'string') {
    const match = PERCENT_PATTERN.exec(input);
    if (match === null) {
      throw new PercentFormatError(
        `A percentage must be a non-negative decimal such as "80" or "62.5", got ${describeInput(input)}.`,
        input,
      );
    }
    const fraction = match[2] ?? '';
    percent = { numerator: BigInt(match[1] + fraction), denominator: 10n ** BigInt(fraction.length) };
  } else {
    throw new PercentFormatError(
      `A percentage must be a decimal string or an integer, got ${describeInput(input)}.`,
      input,
    );
  }
  if (percent.numerator < 0n)
    throw new PercentFormatError(`A percentage may not be negative, got ${describeInput(input)}.`, input);
  if (max !== undefined && percent.numerator > BigInt(max) * percent.denominator) {
    throw new PercentFormatError(`A percentage here must be between 0 and ${max}, got ${describeInput(input)}.`, input);
  }
  return percent;
}
