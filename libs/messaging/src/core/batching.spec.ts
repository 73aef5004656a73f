import { chunk, chunkBySize, firstOfEachId } from './batching';

describe('batching', () => {
  it('chunks in order', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
    expect(() => chunk([1], 0)).toThrow();
  });

  it('chunks by size, an oversized item travelling alone', () => {
    const size = (n: number) => n;
    expect(chunkBySize([3, 3, 3, 1], size, 6)).toEqual([
      [3, 3],
      [3, 1],
    ]);
    expect(chunkBySize([2, 10, 2], size, 6)).toEqual([[2], [10], [2]]);
    expect(chunkBySize([], size, 6)).toEqual([]);
  });

  it('keeps order across chunks: concatenating gives the input back', () => {
    const items = Array.from({ length: 100 }, (_, i) => (i * 37) % 11);
    expect(chunkBySize(items, (n) => n + 1, 20).flat()).toEqual(items);
    expect(chunk(items, 7).flat()).toEqual(items);
  });

  it('keeps the first delivery of an event id', () => {
    const deliveries = [
      { id: 'a', offset: 1 },
      { id: 'b', offset: 2 },
      { id: 'a', offset: 3 },
      { id: 'c', offset: 4 },
      { id: 'b', offset: 5 },
    ];
    expect(firstOfEachId(deliveries, (d) => d.id).map((d) => d.offset)).toEqual([1, 2, 4]);
  });
});
