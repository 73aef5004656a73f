import fc from 'fast-check';
import { ValueFormatError } from '../errors/domain-error';
import { USCC_ALPHABET, isUscc, makeUscc, parseUscc, usccCheckChar, usccRegionCode, validateUscc } from './uscc';

/** Codes published by large companies: an external check that alphabet and weights are right. */
const PUBLISHED_CODES = ['914403001922038216', '91440300708461136T', '91330100799655058B', '91110000802100433B'];

/** Codes shaped like the platform's users, check characters computed with the GB 32100 algorithm. */
const ZHANGZHOU_ENTERPRISE = '91350600MA2YQ8LK3A';
const FUJIAN_PUBLIC_INSTITUTION = '123500004880000001';
const NANAN_ENTERPRISE = makeUscc('91350583MA3456789');

describe('validateUscc', () => {
  it.each([...PUBLISHED_CODES, ZHANGZHOU_ENTERPRISE, FUJIAN_PUBLIC_INSTITUTION, NANAN_ENTERPRISE])(
    'accepts %s',
    (code) => {
      expect(validateUscc(code)).toEqual({ ok: true, value: code });
      expect(isUscc(code)).toBe(true);
    },
  );

  it('trims and upper-cases', () => {
    expect(validateUscc('  91350600ma2yq8lk3a\n')).toEqual({ ok: true, value: ZHANGZHOU_ENTERPRISE });
    expect(parseUscc('91330100799655058b')).toBe('91330100799655058B');
  });

  it.each([...PUBLISHED_CODES, ZHANGZHOU_ENTERPRISE, FUJIAN_PUBLIC_INSTITUTION])(
    'refuses every other check character on %s',
    (code) => {
      const others = [...USCC_ALPHABET].filter((char) => char !== code[17]);
      expect(others).toHaveLength(30);
      for (const wrong of others) {
        const result = validateUscc(code.slice(0, 17) + wrong);
        expect(result).toMatchObject({ ok: false, reason: 'check' });
      }
    },
  );

  it('names the expected check character', () => {
    const result = validateUscc('91350600MA2YQ8LK3B');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('expected A');
  });

  it('detects any single-character substitution in the first 17 characters', () => {
    // 31 is prime and no weight is 0 mod 31, so every single substitution changes the check.
    fc.assert(
      fc.property(
        fc.constantFrom(...PUBLISHED_CODES, ZHANGZHOU_ENTERPRISE),
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 30 }),
        (code, position, shift) => {
          const replaced = USCC_ALPHABET[(USCC_ALPHABET.indexOf(code[position]) + shift) % 31];
          const altered = code.slice(0, position) + replaced + code.slice(position + 1);
          expect(validateUscc(altered)).toMatchObject({ ok: false, reason: 'check' });
        },
      ),
    );
  });

  it.each(['I', 'O', 'Z', 'S', 'V'])('refuses the letter %s, which the alphabet leaves out', (letter) => {
    const code = `${ZHANGZHOU_ENTERPRISE.slice(0, 10)}${letter}${ZHANGZHOU_ENTERPRISE.slice(11)}`;
    expect(validateUscc(code)).toMatchObject({ ok: false, reason: 'charset' });
  });

  it.each(['9135060-MA2YQ8LK3A', '91350600MA2YQ8LK3Ａ', '91350600 MA2YQ8LK3'])(
    'refuses other characters in %p',
    (code) => {
      expect(validateUscc(code)).toMatchObject({ ok: false, reason: 'charset' });
    },
  );

  it.each(['', '91350600MA2YQ8LK3', '91350600MA2YQ8LK3AA', '12345678'])('refuses length of %p', (code) => {
    expect(validateUscc(code)).toMatchObject({ ok: false, reason: 'length' });
  });

  it('admits a code that fails the check only when the operator allow-listed it', () => {
    const legacy = '91350600MA2YQ8LK3B';
    expect(validateUscc(legacy).ok).toBe(false);
    const allowList: ReadonlySet<string> = new Set([legacy]);
    expect(validateUscc(legacy, allowList)).toEqual({ ok: true, value: legacy });
    expect(validateUscc(' 91350600ma2yq8lk3b ', allowList)).toEqual({ ok: true, value: legacy });
    expect(validateUscc('91350600MA2YQ8LK3C', allowList)).toMatchObject({ ok: false, reason: 'check' });
    expect(validateUscc('91350600MA2YQ8LKIB', new Set(['91350600MA2YQ8LKIB']))).toMatchObject({
      ok: false,
      reason: 'charset',
    });
  });

  it('parseUscc throws a validation error', () => {
    expect(() => parseUscc('91350600MA2YQ8LK3B')).toThrow(ValueFormatError);
    expect(() => parseUscc('91350600MA2YQ8LK3B')).toThrow(
      expect.objectContaining({ code: 'invalid-uscc', kind: 'validation' }),
    );
  });
});

describe('usccRegionCode', () => {
  it('returns characters 3-8', () => {
    expect(usccRegionCode(ZHANGZHOU_ENTERPRISE)).toBe('350600');
    expect(usccRegionCode(NANAN_ENTERPRISE)).toBe('350583');
    expect(usccRegionCode('914403001922038216')).toBe('440300');
  });

  it('refuses what is not shaped like a USCC', () => {
    expect(() => usccRegionCode('350600')).toThrow(ValueFormatError);
  });
});

describe('makeUscc', () => {
  it('always produces a valid code for any 17-character prefix', () => {
    const alphabetChar = fc.integer({ min: 0, max: 30 }).map((i) => USCC_ALPHABET[i]);
    fc.assert(
      fc.property(fc.array(alphabetChar, { minLength: 17, maxLength: 17 }), (chars) => {
        const code = makeUscc(chars.join(''));
        expect(code.startsWith(chars.join(''))).toBe(true);
        expect(isUscc(code)).toBe(true);
      }),
    );
  });

  it('reproduces the published check characters', () => {
    for (const code of PUBLISHED_CODES) expect(makeUscc(code.slice(0, 17))).toBe(code);
    expect(usccCheckChar('91350600MA2YQ8LK3')).toBe('A');
  });

  it('refuses a prefix of the wrong length or alphabet', () => {
    expect(() => makeUscc('9135060')).toThrow(RangeError);
    expect(() => makeUscc('91350600MA2YQ8LKI')).toThrow(RangeError);
  });
});
