import fc from 'fast-check';
import { ValueFormatError } from '../errors/domain-error';
import { PROVINCE_PREFIXES, RegionCode } from './region-code';

const region = (code: string): RegionCode => RegionCode.parse(code);

describe('RegionCode.parse', () => {
  it.each([
    '350000',
    '350500',
    '350583',
    '350600',
    '430500',
    '371002',
    '110000',
    '110101',
    '429004',
    '710000',
    '810000',
    '820000',
  ])('accepts %s', (code) => {
    expect(region(code).toString()).toBe(code);
  });

  it.each([
    ['35060', 'format'],
    ['3506000', 'format'],
    ['35O600', 'format'],
    ['', 'format'],
    ['100000', 'province'],
    ['160000', 'province'],
    ['000000', 'province'],
    ['240100', 'province'],
    ['470000', 'province'],
    ['720000', 'province'],
    ['990000', 'province'],
    ['350001', 'structure'],
  ])('refuses %p (%s)', (code, reason) => {
    expect(RegionCode.validate(code)).toMatchObject({ ok: false, reason });
    expect(() => region(code)).toThrow(ValueFormatError);
  });

  it('knows exactly the 34 province-level prefixes', () => {
    expect(PROVINCE_PREFIXES.size).toBe(34);
    const valid = [
      11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62,
      63, 64, 65, 71, 81, 82,
    ];
    for (let prefix = 10; prefix <= 99; prefix++) {
      expect(RegionCode.isValid(`${prefix}0000`)).toBe(valid.includes(prefix));
    }
  });

  it('trims and serialises to the bare code', () => {
    expect(JSON.stringify({ region: region(' 350600 ') })).toBe('{"region":"350600"}');
  });
});

describe('RegionCode hierarchy', () => {
  it.each([
    ['350000', 'province', '350000', null, []],
    ['350500', 'prefecture', '350000', '350500', ['350000']],
    ['350583', 'county', '350000', '350500', ['350000', '350500']],
    ['350102', 'county', '350000', '350100', ['350000', '350100']],
    ['371002', 'county', '370000', '371000', ['370000', '371000']],
  ] as const)('%s is a %s in %s / %p', (code, level, province, prefecture, ancestors) => {
    const subject = region(code);
    expect(subject.level()).toBe(level);
    expect(subject.province().toString()).toBe(province);
    expect(subject.prefecture()?.toString() ?? null).toBe(prefecture);
    expect(subject.ancestors().map(String)).toEqual(ancestors);
  });

  it('Fujian contains its prefectures and counties, not other provinces', () => {
    const fujian = region('350000');
    for (const inside of ['350000', '350500', '350583', '350600', '350681']) expect(fujian.contains(inside)).toBe(true);
    for (const outside of ['430500', '370000', '360100']) expect(fujian.contains(outside)).toBe(false);
  });

  it("Zhangzhou contains its counties, not Quanzhou or Nan'an, nor its province", () => {
    const zhangzhou = region('350600');
    expect(zhangzhou.contains('350600')).toBe(true);
    expect(zhangzhou.contains('350681')).toBe(true);
    expect(zhangzhou.contains('350583')).toBe(false);
    expect(zhangzhou.contains('350500')).toBe(false);
    expect(zhangzhou.contains('350000')).toBe(false);
  });

  it('a county contains only itself', () => {
    const nanan = region('350583');
    expect(nanan.contains('350583')).toBe(true);
    expect(nanan.contains(region('350582'))).toBe(false);
    expect(nanan.contains('350500')).toBe(false);
  });

  it('every region contains itself and is contained by each of its ancestors, and nothing else contains them', () => {
    const province = fc.constantFrom(...PROVINCE_PREFIXES);
    const twoDigits = fc.integer({ min: 1, max: 99 }).map((n) => String(n).padStart(2, '0'));
    const anyRegion = fc
      .tuple(province, fc.option(fc.tuple(twoDigits, fc.option(twoDigits))))
      .map(([p, rest]) => region(`${p}${rest === null ? '00' : rest[0]}${rest?.[1] ?? '00'}`));
    fc.assert(
      fc.property(anyRegion, anyRegion, (a, b) => {
        expect(a.contains(a)).toBe(true);
        for (const ancestor of a.ancestors()) expect(ancestor.contains(a)).toBe(true);
        const bIsAOrAncestor = b.equals(a) || a.ancestors().some((ancestor) => ancestor.equals(b));
        expect(b.contains(a)).toBe(bIsAOrAncestor);
      }),
    );
  });

  it('gives the prefix shared by everything inside', () => {
    expect(region('350000').prefix()).toBe('35');
    expect(region('350600').prefix()).toBe('3506');
    expect(region('350583').prefix()).toBe('350583');
  });
});
