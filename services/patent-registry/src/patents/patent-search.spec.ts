import { planSearchQuery } from './domain';
import type { SearchCriteria } from './dto';
import {
  FACET, bitmapQuery, criteriaHash, decodeSearchCursor, encodeSearchCursor, facetTokens, ipcFacets, matchBound, probeQuery, probeWindow, stepSpec,
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
    const c = criteria('光伏 逆变器', { kind: 'invention', grade: 'A', owner: 'univ-x' });
    expect(stepSpec(c, 2)).toEqual({
      array: 'title_grams',
      required: ['光伏', '逆变', '变器', `${FACET}k:invention`, `${FACET}g:A`],
      anyOf: [`${FACET}o:univ-x`, `${FACET}u:UNIV-X`],
    });
    expect(stepSpec(c, 1).array).toBe('search_grams');
    expect(stepSpec(criteria('', { ipcPrefix: 'H01L31' }), 0).required).toEqual([`${FACET}i:H01L31`]);
    // Below the main group an IPC prefix is a plain prefix of the symbol, not a facet.
    expect(stepSpec(criteria('', { ipcPrefix: 'H01L31/04' }), 0).required).toEqual([]);
    expect(bitmapQuery(criteria('', { ipcPrefix: 'H01L31/04' }), 0, '2024-10-01', 51).text).toContain("p.ipc like $1 || '%'");
  });

  it('probes the window with the row’s own text, and leads the bitmap with the GIN conditions', () => {
    const c = criteria('转换效率');
    const probe = probeQuery(c, 1, '2024-10-01', 51, 7000);
    expect(probe.text).toContain('strpos(p.search_text');
    expect(probe.text).not.toContain('p.search_grams @>');
    expect(probe.params).toContain(7000);
    const bitmap = bitmapQuery(c, 1, '2024-10-01', 51);
    expect(bitmap.text).toContain('p.search_grams @> $1::text[]');
    expect(bitmap.params[0]).toEqual(['转换', '换效', '效率']);
  });

  it('sizes the window as √(page × rows), bounded', () => {
    expect(probeWindow(51, 1_000_000)).toBe(7142);
    expect(probeWindow(51, 100)).toBe(1000);
    expect(probeWindow(501, 1e9)).toBe(50_000);
  });

  it('bounds the matches by the rarest required element, owners together', () => {
    const stats = {
      rows: 1_000_000,
      arrays: new Map([['title_grams', { frequencies: new Map([['光伏', 0.026], [`${FACET}k:invention`, 0.7], [`${FACET}o:a`, 0.01]]), floor: 0.001 }]]),
    };
    expect(matchBound({ array: 'title_grams', required: ['光伏', `${FACET}k:invention`], anyOf: [] }, stats)).toBeCloseTo(26_000);
    expect(matchBound({ array: 'title_grams', required: ['光伏', '罕见'], anyOf: [] }, stats)).toBeCloseTo(1000);
    expect(matchBound({ array: 'title_grams', required: ['光伏'], anyOf: [`${FACET}o:a`, `${FACET}u:A`] }, stats)).toBeCloseTo(11_000);
    expect(matchBound({ array: 'search_grams', required: ['光伏'], anyOf: [] }, stats)).toBe(Infinity);
    expect(matchBound({ array: 'title_grams', required: [], anyOf: [] }, stats)).toBe(Infinity);
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
