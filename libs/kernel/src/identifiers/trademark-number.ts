import { ValueFormatError, describeInput } from '../errors/domain-error';
import { Validated, accepted, refused } from '../validated';

export type TrademarkNumberRefusal = 'format';

/**
 * Chinese trademark registration number (商标注册号): 1-10 digits, no check character, optionally
 * written with a `TM` prefix and spaces. Normalised to the digits without leading zeros.
 */
export function parseTrademarkNumber(input: string): Validated<string, TrademarkNumberRefusal> {
  const compact = typeof input === 'string' ? input.replace(/\s+/g, '').toUpperCase().replace(/^TM/, '') : '';
  if (!/^\d{1,10}$/.test(compact) || /^0+$/.test(compact)) {
    return refused(
      'format',
      `A trademark registration number has 1 to 10 digits (optionally prefixed TM), got ${describeInput(input)}.`,
    );
  }
  return accepted(compact.replace(/^0+/, ''));
}

export function isTrademarkNumber(input: string): boolean {
  return parseTrademarkNumber(input).ok;
}

/** Parses and returns the digits, throwing `invalid-trademark-number` when refused. */
export function normalizeTrademarkNumber(input: string): string {
  const result = parseTrademarkNumber(input);
  if (!result.ok) throw new ValueFormatError('invalid-trademark-number', result.message, input);
  return result.value;
}
