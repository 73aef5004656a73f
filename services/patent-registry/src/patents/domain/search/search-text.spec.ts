import { cjkGrams, listingSearchDocument, normalizeSearchText, searchGrams, tokenize } from './search-text';
import { MAX_SEARCH_TERMS, escapeLike, planSearchQuery, queryGrams } from './search-query';

describe('normalizeSearchText', () => {
  it('applies NFKC, lower-cases and collapses whitespace', () => {
    expect(normalizeSearchText('  ＬＥＤ　灯具\t\n PD-1 ')).toBe('led 灯具 pd-1');
  });
});

describe('tokenize', () => {
  it('splits on Chinese and Western punctuation and at script boundaries', () => {
    expect(tokenize('石墨烯（导热）膜；5G通信、H01L')).toEqual(['石墨烯', '导热', '膜', '5g', '通信', 'h01l']);
  });
});

describe('cjkGrams', () => {
  it('is empty for text without Han characters', () => {
    expect(cjkGrams('LED lamp')).toEqual([]);
  });

  it('gives a single character its unigram only, and dedupes', () => {
    expect(cjkGrams('膜')).toEqual(['膜']);
    expect(cjkGrams('光光光')).toEqual(['光', '光光']);
  });

  it('normalises compatibility ideographs first (U+F900 → U+8C48)', () => {
    expect(cjkGrams('\uF900')).toEqual(['\u8C48']);
  });
});

describe('searchGrams and the listing document', () => {
  it('adds short words whole and leaves long words to the trigram index', () => {
    expect(searchGrams('5G 基站 antenna')).toEqual(['基', '基站', '站', '5g']);
  });

  it('separates fields so grams never join one field to the next', () => {
    const doc = listingSearchDocument({ title: '光伏', abstract: '组件', keywords: ['封装'] });
    expect(doc.text).toBe('光伏 | 组件 | 封装');
    expect(doc.grams).not.toContain('伏组');
    expect(doc.title).toBe('光伏');
  });
});

describe('planSearchQuery', () => {
  it('drops duplicate terms and keeps at most the first terms', () => {
    const many = Array.from({ length: 12 }, (_, i) => `term${i}`).join(' ');
    expect(planSearchQuery('光伏 光伏').terms).toHaveLength(1);
    expect(planSearchQuery(many).terms).toHaveLength(MAX_SEARCH_TERMS);
    expect(planSearchQuery('  ，。 ').terms).toEqual([]);
  });

  it('escapes LIKE wildcards', () => {
    expect(escapeLike('50%_a\\b')).toBe('50\\%\\_a\\\\b');
    expect(planSearchQuery('graphene').terms[0]).toEqual({
      text: 'graphene',
      strategy: 'trigram',
      grams: [],
      likePattern: '%graphene%',
    });
  });

  it('collects the grams of every term for one containment condition', () => {
    expect(queryGrams('电池 PD 石墨烯')).toEqual(['电池', 'pd', '石墨', '墨烯']);
  });
});
