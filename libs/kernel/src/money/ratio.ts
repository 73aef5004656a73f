import { divideHalfUp, formatFixed } from './half-up';
import { Money } from './money';

/** A money amount or an integer count (loans, licences…), never a fractional number. */
export type RatioOperand = Money | bigint | number;

function toInteger(operand: RatioOperand, role: string): bigint {
  if (operand instanceof Money) return operand.fen;
  if (typeof operand === 'bigint') return operand;
  if (Number.isSafeInteger(operand)) return BigInt(operand);
  throw new RangeError(`ratio ${role} must be Money, a bigint or an integer, got ${String(operand)}`);
}

/**
 * `numerator ÷ denominator` as a decimal string with `places` decimals, rounded half-up
 * (halves away from zero). `"0.0000"` when the denominator is zero, as for a default rate when
 * nothing was contracted. Money operands are compared in fen, so the ratio is unit-free.
 */
export function ratio(numerator: RatioOperand, denominator: RatioOperand, places = 4): string {
  if (!Number.isSafeInteger(places) || places < 0 || places > 30) {
    throw new RangeError(`ratio places must be an integer between 0 and 30, got ${places}`);
  }
  const n = toInteger(numerator, 'numerator');
  const d = toInteger(denominator, 'denominator');
  if (d === 0n) return formatFixed(0n, places);
  return formatFixed(divideHalfUp(n * 10n ** BigInt(places), d), places);
}
