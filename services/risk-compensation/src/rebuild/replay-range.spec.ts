import { replayRanges } from './replay-range';

const TOPIC = 'ipfin.loans.v1';
const marks = (...highs: number[]) => highs.map((high, partition) => ({ partition, low: '0', high: String(high) }));
const committed = (...offsets: number[]) => offsets.map((offset, partition) => ({ topic: TOPIC, partition, offset: String(offset) }));

describe('what a coverage rebuild folds again', () => {
  it('folds each partition from 0 up to the offset the service committed, not to the end of the topic', () => {
    expect(replayRanges(TOPIC, marks(10, 7, 0), committed(8, 7, -1), new Map([[0, 8n], [1, 7n]]))).toEqual({
      ok: true,
      ranges: [{ partition: 0, from: 0n, to: 8n }, { partition: 1, from: 0n, to: 7n }, { partition: 2, from: 0n, to: 0n }],
    });
  });

  it('goes as far as the inbox records when the offset commit after a fold was lost', () => {
    expect(replayRanges(TOPIC, marks(10), committed(5), new Map([[0, 9n]]))).toEqual({ ok: true, ranges: [{ partition: 0, from: 0n, to: 9n }] });
  });

  it('relies on the inbox when the group has no committed offsets (expired, or never committed)', () => {
    expect(replayRanges(TOPIC, marks(10, 4), [], new Map([[0, 6n]]))).toEqual({
      ok: true,
      ranges: [{ partition: 0, from: 0n, to: 6n }, { partition: 1, from: 0n, to: 0n }],
    });
  });

  it('refuses a topic whose first events are gone', () => {
    const result = replayRanges(TOPIC, [{ partition: 0, low: '0', high: '5' }, { partition: 1, low: '3', high: '9' }], committed(5, 9), new Map());
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/^ipfin\.loans\.v1 partition 1 starts at offset 3, not 0/) });
  });

  it('refuses when the service consumed further than the topic holds (a recreated topic)', () => {
    expect(replayRanges(TOPIC, marks(4), committed(9), new Map())).toEqual({ ok: false, reason: expect.stringMatching(/up to offset 9, past its end 4/) });
    expect(replayRanges(TOPIC, marks(4), committed(4), new Map([[2, 1n]]))).toEqual({ ok: false, reason: expect.stringMatching(/partition 2, which the topic does not have/) });
  });
});
