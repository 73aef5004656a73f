import { planSearchQuery } from './domain';
import type { SearchCriteria } from './dto';
import {
  FACET, bitmapQuery, criteriaHash, decodeSearchCursor, encodeSearchCursor, facetTokens, ipcFacets, bitmapBudget, matchBound, probeQuery, probeWindow, rankKey, stepSpec,
} from './patent-search';

const criteria = (q: string, more: Partial<SearchCriteria> = {}): SearchCriteria => ({ plan: planSearchQuery(q), limit: 50, ...more });

describe('facet tokens', () => {
  it('give every IPC level down to the main group, and the symbol itself', () => {
    expect(ipcFacets('H01L31/048')).toEqual(['H', 'H01', 'H01L', 'H01L31', 'H01L31/048'].map((l) => `${FACET}i:${l}`));
    expect(ipcFacets('H01L')).toEqual(['H', 'H01', 'H01L'].map((l) => `${FACET}i:${l}`));
  });

  it('cover kind, grade, IPC and both owner identities, never colliding with text grams', () => {
    const tokens = facetTokens({ kind: 'invention', grade: 'A', ipc: 'C01B32/184', ownerSub: 'univ-x', ownerUscc: '12350600488000123X' });
    expect(tokens).toEqual(expect.arrayContaining([`${FACET}k:invention`, `${FACET}g:A`, `${FACET}i:C01B32`, `${FACET}o:univ-x`, `${FACET}u:12350600488000123X`]));
    expect(planSearchQuery(`${FACET}k:invention`).terms.map((t) => t.text)).toEqual(['k', 'invention']);
  });
});

describe('the steps of a search', () => {
  it('asks the title array for tier 2 and browsing, the document array for tier 1, with the filters as tokens', () => {
    const c = criteria('光伏 逆变器', { kind: 'invention', grade: 'A', owner: 'univ-x', ipcPrefix: 'H02M' });
    expect(stepSpec(c, 2)).toEqual({
      array: 'title_grams',
      required: ['光伏', '逆变', '变器', `${FACET}i:H02M`],
      anyOf: [`${FACET}o:univ-x`, `${FACET}u:UNIV-X`],
      scaled: [`${FACET}k:invention`, `${FACET}g:A`],
    });
    expect(stepSpec(c, 1).array).toBe('search_grams');
    expect(stepSpec(criteria('', { ipcPrefix: 'H01L31' }), 0).required).toEqual([`${FACET}i:H01L31`]);
    // Below the main group an IPC prefix is a plain prefix of the symbol, not a facet.
    expect(stepSpec(criteria('', { ipcPrefix: 'H01L31/04' }), 0).required).toEqual([]);
    expect(bitmapQuery(criteria('', { ipcPrefix: 'H01L31/04' }), 0, '2024-10-01', 51).text).toContain("p.ipc like $1 || '%'");
  });

  it('puts only the rarest elements into the GIN condition and tests the others exactly', () => {
    const frequency = (_array: string, e: string): number => ({ 一种: 0.6, 种光: 0.001, 光伏: 0.03, 伏组: 0.002, 组件: 0.05, [`${FACET}k:invention`]: 0.7 })[e] ?? 0.01;
    const c = criteria('一种光伏组件 5g', { kind: 'invention' });
    const sql = bitmapQuery(c, 2, '2024-10-01', 51, undefined, frequency);
    // 5g has no other exact test; then the two rarest grams.
    expect(sql.params[0]).toEqual(['5g', '种光', '伏组']);
    expect(sql.text).toContain('strpos(p.search_title, $2) > 0');
    expect(sql.params[1]).toBe('一种光伏组件');
    expect(sql.text).toContain('p.kind = $');
    // A facet in most rows stays out of GIN when a rarer element is in it.
    const faceted = bitmapQuery(criteria('光伏', { kind: 'invention', grade: 'A' }), 2, '2024-10-01', 51, undefined, (_a, e) => ({ 光伏: 0.03, [`${FACET}k:invention`]: 0.7, [`${FACET}g:A`]: 0.2 })[e]);
    expect(faceted.params[0]).toEqual(['光伏', `${FACET}g:A`]);
    expect(faceted.text).toContain('p.kind = $');
    // Without statistics every element goes to GIN.
    expect(bitmapQuery(c, 2, '2024-10-01', 51).params[0]).toEqual(['一种', '种光', '光伏', '伏组', '组件', '5g', `${FACET}k:invention`]);
    // A short Chinese term left out of the keys gets its exact test.
    const twoTerms = bitmapQuery(criteria('一种 光伏 组件 种光 伏组'), 1, '2024-10-01', 51, undefined, frequency);
    expect(twoTerms.params[0]).toEqual(['种光', '伏组', '光伏']);
    expect(twoTerms.text.match(/strpos\(p\.search_text/g)).toHaveLength(2);
  });

  it('probes the window with the row’s own text, and leads the bitmap with the GIN conditions', () => {
    const c = criteria('转换效率');
    const probe = probeQuery(c, 1, '2024-10-01', 51, 7000);
    expect(probe.text).toContain('strpos(t.search_text');
    expect(probe.text).toContain('join patents t on t.number = p.number');
    expect(probe.text).not.toContain('search_grams @>');
    expect(probe.params).toContain(7000);
    const bitmap = bitmapQuery(c, 1, '2024-10-01', 51);
    expect(bitmap.text).toContain('p.search_grams @> $1::text[]');
    expect(bitmap.params[0]).toEqual(['转换', '换效', '效率']);
  });

  it('sizes the window and the bitmap budget from page, rows and the cost ratio', () => {
    expect(probeWindow(51, 1_000_000)).toBe(28_566);
    expect(probeWindow(51, 1_000_000, 1)).toBe(6929);
    expect(Math.round(bitmapBudget(51, 1_000_000))).toBe(1785);
    expect(probeWindow(51, 100)).toBe(1000);
    expect(probeWindow(501, 1e9)).toBe(100_000);
  });

  it('ranks by year, serial, then type digit', () => {
    expect(rankKey('202310123456.6')).toBe('20230123456' + '1' + '.6');
    const numbers = ['202330000001.2', '202310000002.4', '202220000009.1'];
    expect([...numbers].sort((a, b) => rankKey(b).localeCompare(rankKey(a)))).toEqual(['202310000002.4', '202330000001.2', '202220000009.1']);
  });

  it('bounds the matches by the rarest required element, owners together, scaled by kind and grade', () => {
    const stats = {
      rows: 1_000_000,
      arrays: new Map([['title_grams', { frequencies: new Map([['光伏', 0.026], [`${FACET}k:invention`, 0.7], [`${FACET}g:A`, 0.2], [`${FACET}o:a`, 0.01]]), floor: 0.001 }]]),
    };
    const spec = (required: string[], anyOf: string[] = [], scaled: string[] = [], array: 'title_grams' | 'search_grams' = 'title_grams') => ({ array, required, anyOf, scaled });
    expect(matchBound(spec(['光伏']), stats)).toBeCloseTo(26_000);
    expect(matchBound(spec(['光伏', '罕见']), stats)).toBeCloseTo(1000);
    expect(matchBound(spec(['光伏'], [`${FACET}o:a`, `${FACET}u:A`]), stats)).toBeCloseTo(11_000);
    expect(matchBound(spec(['光伏'], [], [`${FACET}k:invention`, `${FACET}g:A`]), stats)).toBeCloseTo(3640);
    expect(matchBound(spec([], [], [`${FACET}k:invention`]), stats)).toBeCloseTo(700_000);
    expect(matchBound(spec(['光伏'], [], [], 'search_grams'), stats)).toBe(Infinity);
    expect(matchBound(spec([]), stats)).toBe(Infinity);
  });
});

describe('cursors', () => {
  it('are valid only for the search that issued them', () => {
    const c = criteria('光伏');
    const cursor = encodeSearchCursor({ t: 2, n: '202310001001.7', h: criteriaHash(c) });
    expect(decodeSearchCursor(cursor, c)).toEqual({ t: 2, n: '202310001001.7', h: criteriaHash(c) });
    expect(() => decodeSearchCursor(cursor, criteria('光伏', { grade: 'A' }))).toThrow();
    expect(() => decodeSearchCursor(cursor, criteria(''))).toThrow();
    expect(() => decodeSearchCursor('garbage', c)).toThrow();
  });
});
