/**
 * Integer division rounded half-up, i.e. to the nearest integer with halves away from zero
 * (like Java's `RoundingMode.HALF_UP`): 2.5 → 3, −2.5 → −3, 2.4 → 2.
 */
export function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('Division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const magnitude = (2n * n + d) / (2n * d);
  return negative ? -magnitude : magnitude;
}

export function pow10(exponent: number): bigint {
  if (!Number.isSafeInteger(exponent) || exponent < 0)
    throw new RangeError(`Exponent must be a non-negative integer, got ${exponent}`);
  return 10n ** BigInt(exponent);
}

/** Formats `scaled / 10^places` as a fixed-point decimal string; never prints `-0`. */
export function formatFixed(scaled: bigint, places: number): string {
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(places + 1, '0');
  const integerPart = digits.slice(0, digits.length - places);
  const fraction = places === 0 ? '' : `.${digits.slice(digits.length - places)}`;
  return `${negative ? '-' : ''}${integerPart}${fraction}`;
}
