import {
  cjkGrams,
  compareHits,
  listingSearchDocument,
  matchTier,
  planSearchQuery,
  queryGrams,
  type RankedHit,
} from '..';

describe('searching Chinese patent titles', () => {
  it('makes unigrams and bigrams of 一种光伏组件', () => {
    expect(cjkGrams('一种光伏组件')).toEqual([
      '一',
      '一种',
      '种',
      '种光',
      '光',
      '光伏',
      '伏',
      '伏组',
      '组',
      '组件',
      '件',
    ]);
  });

  it('never joins characters across punctuation, spaces or Latin text', () => {
    expect(cjkGrams('光伏，组件 PD-1抗体')).toEqual(['光', '光伏', '伏', '组', '组件', '件', '抗', '抗体', '体']);
  });

  it('plans short Chinese terms on the gram index and long ones on trigrams with a bigram prefilter', () => {
    const plan = planSearchQuery('  光伏 锂离子电池，PD-1 ');
    expect(plan.terms.map((t) => [t.text, t.strategy, t.grams])).toEqual([
      ['光伏', 'grams', ['光伏']],
      ['锂离子电池', 'trigram', ['锂离', '离子', '子电', '电池']],
      ['pd', 'grams', ['pd']],
      ['1', 'grams', ['1']],
    ]);
    expect(queryGrams('光伏 锂离子电池')).toEqual(['光伏', '锂离', '离子', '子电', '电池']);
  });

  it('finds 光伏 in a listing and ranks an exact title above a title match above an abstract match', () => {
    const plan = planSearchQuery('光伏组件');
    const exact = { title: '光伏组件' };
    const inTitle = { title: '一种光伏组件的封装方法' };
    const inAbstract = { title: '一种太阳能电池板', abstract: '本发明涉及光伏组件的层压工艺。' };
    const elsewhere = { title: '一种茶叶烘干装置', keywords: ['光伏', '组件'] };
    expect([exact, inTitle, inAbstract, elsewhere].map((l) => matchTier(l, plan))).toEqual([3, 2, 1, 0]);
    expect(listingSearchDocument(inAbstract).grams).toContain('光伏');
  });

  it('orders hits by tier, then newest application first (rank key), as the SQL does', () => {
    const hits: RankedHit[] = [
      { number: '202310000002.1', tier: 1 },
      { number: '202210000009.1', tier: 2 },
      { number: '202310000001.2', tier: 2 },
      { number: '202330000003.X', tier: 2 },
      { number: '202310000004.0', tier: 3 },
    ];
    expect([...hits].sort(compareHits).map((h) => h.number)).toEqual([
      '202310000004.0',
      '202330000003.X',
      '202310000001.2',
      '202210000009.1',
      '202310000002.1',
    ]);
  });
});
