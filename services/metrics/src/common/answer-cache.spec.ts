import { AnswerCache } from './answer-cache';

describe('AnswerCache', () => {
  it('hands an answer out only at the version it was kept at, and drops it at another', () => {
    const cache = new AnswerCache<string>(100);
    cache.set('350600|2024', 'v1', 'answer', 10);
    expect(cache.get('350600|2024', 'v1')).toBe('answer');
    expect(cache.get('350600|2025', 'v1')).toBeUndefined();
    expect(cache.get('350600|2024', 'v2')).toBeUndefined();
    expect(cache.has('350600|2024')).toBe(false);
    expect(cache.bytes).toBe(0);
    // An answer of an older version kept after a newer one is read is not handed to the newer.
    cache.set('350600|2024', 'v1', 'older', 10);
    expect(cache.get('350600|2024', 'v2')).toBeUndefined();
  });

  it('replaces the answer of a key, counting its bytes once', () => {
    const cache = new AnswerCache<string>(100);
    cache.set('k', 'v1', 'a', 40);
    cache.set('k', 'v2', 'b', 30);
    expect(cache.bytes).toBe(30);
    expect(cache.get('k', 'v2')).toBe('b');
  });

  it('keeps at most maxBytes, the least recently used leaving first', () => {
    const cache = new AnswerCache<string>(100);
    cache.set('a', 'v', 'A', 40);
    cache.set('b', 'v', 'B', 40);
    expect(cache.get('a', 'v')).toBe('A'); // now b is the least recently used
    cache.set('c', 'v', 'C', 40);
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true]);
    expect(cache.bytes).toBe(80);
  });

  it('does not keep an answer larger than maxBytes, nor evict the others for it', () => {
    const cache = new AnswerCache<string>(100);
    cache.set('a', 'v', 'A', 60);
    cache.set('huge', 'v', 'H', 101);
    expect([cache.has('a'), cache.has('huge')]).toEqual([true, false]);
    expect(cache.bytes).toBe(60);
  });
});
