import { ValueFormatError, describeInput } from '../errors/domain-error';
import { Validated, accepted, refused } from '../validated';

/**
 * Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters; character 1 the
 * registering authority, 2 the institution type, 3-8 the region code, 9-17 the organisation
 * code, 18 a mod-31 check character.
 */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const USCC_LENGTH = 18;
const USCC_CHARSET = /^[0-9A-HJ-NPQRTUWXY]*$/;

export type UsccRefusal = 'length' | 'charset' | 'check';
export type UsccValidation = Validated<string, UsccRefusal>;

function alphabetValue(char: string): number {
  return USCC_ALPHABET.indexOf(char);
}

/** The check character for the first 17 characters of a USCC (already upper-case). */
export function usccCheckChar(first17: string): string {
  if (first17.length !== USCC_LENGTH - 1 || !USCC_CHARSET.test(first17)) {
    throw new RangeError(`usccCheckChar needs 17 characters from ${USCC_ALPHABET}, got ${describeInput(first17)}`);
  }
  let sum = 0;
  for (let i = 0; i < USCC_WEIGHTS.length; i++) sum += alphabetValue(first17[i]) * USCC_WEIGHTS[i];
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

/**
 * Checks a USCC; the value is trimmed and upper-cased. `allowList` holds upper-case codes that
 * are legal although they fail the check character (a few early codes); it admits nothing else.
 */
export function validateUscc(input: string, allowList?: ReadonlySet<string>): UsccValidation {
  if (typeof input !== 'string') return refused('charset', `A USCC must be a string, got ${describeInput(input)}.`);
  const code = input.trim().toUpperCase();
  if (code.length !== USCC_LENGTH) {
    return refused('length', `A USCC has 18 characters, got ${code.length} in ${describeInput(input)}.`);
  }
  if (!USCC_CHARSET.test(code)) {
    return refused(
      'charset',
      `A USCC uses only digits and the letters ${USCC_ALPHABET.slice(10)} (no I, O, S, V, Z), got ${describeInput(input)}.`,
    );
  }
  const expected = usccCheckChar(code.slice(0, 17));
  if (code[17] !== expected && allowList?.has(code) !== true) {
    return refused('check', `USCC ${code} has a wrong check character: expected ${expected}, got ${code[17]}.`);
  }
  return accepted(code);
}

export function isUscc(input: string, allowList?: ReadonlySet<string>): boolean {
  return validateUscc(input, allowList).ok;
}

/** Validates and normalises, throwing a `ValueFormatError` (`invalid-uscc`) when refused. */
export function parseUscc(input: string, allowList?: ReadonlySet<string>): string {
  const result = validateUscc(input, allowList);
  if (!result.ok) throw new ValueFormatError('invalid-uscc', result.message, input);
  return result.value;
}

/**
 * Characters 3-8: the code of the region where the institution registered (for a valid code,
 * normally a GB/T 2260 code; national-level registrations use e.g. `100000`). Needs a well-formed
 * code (length and charset); the check character is not verified here.
 */
export function usccRegionCode(uscc: string): string {
  const code = typeof uscc === 'string' ? uscc.trim().toUpperCase() : '';
  if (code.length !== USCC_LENGTH || !USCC_CHARSET.test(code)) {
    throw new ValueFormatError('invalid-uscc', `Not a USCC: ${describeInput(uscc)}.`, uscc);
  }
  return code.slice(2, 8);
}

/** Appends the correct check character to 17 characters: for tests and fixtures. */
export function makeUscc(prefix17: string): string {
  const prefix = prefix17.toUpperCase();
  return prefix + usccCheckChar(prefix);
}
