import { ValueFormatError } from '../errors/domain-error';
import { isTrademarkNumber, normalizeTrademarkNumber, parseTrademarkNumber } from './trademark-number';

describe('parseTrademarkNumber', () => {
  it.each([
    ['12345678', '12345678'],
    ['TM12345678', '12345678'],
    ['tm 1234 5678', '12345678'],
    ['1', '1'],
    ['0012345', '12345'],
    ['1234567890', '1234567890'],
  ])('normalises %p to %p', (text, digits) => {
    expect(parseTrademarkNumber(text)).toEqual({ ok: true, value: digits });
  });

  it.each(['', 'TM', '0', '12345678901', '1234-5678', 'R12345', '１２３'])('refuses %p', (text) => {
    expect(parseTrademarkNumber(text)).toMatchObject({ ok: false, reason: 'format' });
    expect(isTrademarkNumber(text)).toBe(false);
  });

  it('normalizeTrademarkNumber throws a validation error', () => {
    expect(normalizeTrademarkNumber('TM 888')).toBe('888');
    expect(() => normalizeTrademarkNumber('TM')).toThrow(ValueFormatError);
  });
});
