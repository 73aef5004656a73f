import { ValueFormatError, describeInput } from '../errors/domain-error';
import { Validated, accepted, refused } from '../validated';

/** The 34 province-level prefixes of GB/T 2260. */
export const PROVINCE_PREFIXES: ReadonlySet<string> = new Set(
  [
    '11 12 13 14 15', // North
    '21 22 23', // North-east
    '31 32 33 34 35 36 37', // East
    '41 42 43 44 45 46', // Central South
    '50 51 52 53 54', // South-west
    '61 62 63 64 65', // North-west
    '71 81 82', // Taiwan, Hong Kong, Macao
  ].flatMap((group) => group.split(' ')),
);

export type RegionLevel = 'province' | 'prefecture' | 'county';
export type RegionCodeRefusal = 'format' | 'province' | 'structure';

/**
 * A 6-digit administrative division code (GB/T 2260): `xx0000` a province, `xxyy00` a prefecture
 * (`350600` Zhangzhou), anything else a county-level division (`350583` Nan'an belongs to
 * `350500` Quanzhou). Only the province prefix is checked against the real list; the national
 * table of prefectures and counties is not embedded. `xx00zz` (a county with no prefecture) does
 * not exist and is refused.
 */
export class RegionCode {
  private constructor(readonly code: string) {
    Object.freeze(this);
  }

  static validate(input: string): Validated<RegionCode, RegionCodeRefusal> {
    const code = typeof input === 'string' ? input.trim() : '';
    if (!/^\d{6}$/.test(code)) return refused('format', `A region code has 6 digits, got ${describeInput(input)}.`);
    if (!PROVINCE_PREFIXES.has(code.slice(0, 2))) {
      return refused(
        'province',
        `Region code ${code} does not start with a province-level code (11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81, 82).`,
      );
    }
    if (code.slice(2, 4) === '00' && code.slice(4) !== '00') {
      return refused('structure', `Region code ${code} names a county without a prefecture (digits 3-4 are 00).`);
    }
    return accepted(new RegionCode(code));
  }

  /** Parses a region code, throwing `invalid-region-code` when refused. */
  static parse(input: string): RegionCode {
    const result = RegionCode.validate(input);
    if (!result.ok) throw new ValueFormatError('invalid-region-code', result.message, input);
    return result.value;
  }

  static isValid(input: string): boolean {
    return RegionCode.validate(input).ok;
  }

  static from(value: RegionCode | string): RegionCode {
    return value instanceof RegionCode ? value : RegionCode.parse(value);
  }

  level(): RegionLevel {
    if (this.code.endsWith('0000')) return 'province';
    if (this.code.endsWith('00')) return 'prefecture';
    return 'county';
  }

  province(): RegionCode {
    return this.level() === 'province' ? this : new RegionCode(`${this.code.slice(0, 2)}0000`);
  }

  /** The prefecture-level division: itself for a prefecture, `null` for a province. */
  prefecture(): RegionCode | null {
    switch (this.level()) {
      case 'province':
        return null;
      case 'prefecture':
        return this;
      case 'county':
        return new RegionCode(`${this.code.slice(0, 4)}00`);
    }
  }

  /** The enclosing divisions, broadest first, without this one: `350583` → [`350000`, `350500`]. */
  ancestors(): RegionCode[] {
    switch (this.level()) {
      case 'province':
        return [];
      case 'prefecture':
        return [this.province()];
      case 'county':
        return [this.province(), new RegionCode(`${this.code.slice(0, 4)}00`)];
    }
  }

  /**
   * The leading digits every division inside this one shares: `35` for Fujian, `3506` for
   * Zhangzhou, the full code for a county. Handy for `LIKE '3506%'` queries.
   */
  prefix(): string {
    switch (this.level()) {
      case 'province':
        return this.code.slice(0, 2);
      case 'prefecture':
        return this.code.slice(0, 4);
      case 'county':
        return this.code;
    }
  }

  /** Whether `other` is this division or lies inside it (a region contains itself). */
  contains(other: RegionCode | string): boolean {
    return RegionCode.from(other).code.startsWith(this.prefix());
  }

  equals(other: RegionCode | string): boolean {
    return RegionCode.from(other).code === this.code;
  }

  toString(): string {
    return this.code;
  }

  toJSON(): string {
    return this.code;
  }
}
