import { KeptAnswers, type VersionedRead } from './kept-answers';

interface Report { asOf: string | null; lagEvents: number; figure: number }

/** A read of projections at `version` holding `figure`, which returns no figures when given that version. */
function projections(state: { version: string; figure: number; asOf: string; lagEvents: number }) {
  const calls: (string | undefined)[] = [];
  const read = async (kept: string | undefined): Promise<VersionedRead<Report>> => {
    calls.push(kept);
    const { version, asOf, lagEvents, figure } = state;
    return kept === version ? { version, unchanged: { asOf, lagEvents } } : { version, report: { asOf, lagEvents, figure } };
  };
  return { read, calls };
}

describe('KeptAnswers', () => {
  it('reads a query with the kept version, and answers the kept figures with the new asOf and lagEvents while it is current', async () => {
    const kept = new KeptAnswers<Report>(1024);
    const state = { version: 'v1', figure: 7, asOf: '2025-07-15T04:00:00.000Z', lagEvents: 0 };
    const { read, calls } = projections(state);
    expect(await kept.answer('q', read)).toEqual({ asOf: state.asOf, lagEvents: 0, figure: 7 });
    state.lagEvents = 3;
    expect(await kept.answer('q', read)).toEqual({ asOf: state.asOf, lagEvents: 3, figure: 7 });
    expect(calls).toEqual([undefined, 'v1']);
    // The projections moved: the figures are read, and kept at the new version.
    Object.assign(state, { version: 'v2', figure: 8, asOf: '2025-07-15T05:00:00.000Z' });
    expect(await kept.answer('q', read)).toEqual({ asOf: state.asOf, lagEvents: 3, figure: 8 });
    expect(await kept.answer('q', read)).toEqual({ asOf: state.asOf, lagEvents: 3, figure: 8 });
    expect(calls).toEqual([undefined, 'v1', 'v1', 'v2']);
    // Another query is read on its own.
    await kept.answer('other', read);
    expect(calls.at(-1)).toBeUndefined();
  });

  it('reads the figures when the kept answer was dropped while its version was read', async () => {
    const kept = new KeptAnswers<Report>(1024);
    const state = { version: 'v1', figure: 7, asOf: '2025-07-15T04:00:00.000Z', lagEvents: 0 };
    const { read, calls } = projections(state);
    await kept.answer('q', read);
    // A request for the query that started later kept a read of v2 while this one read v1.
    const racing = async (k: string | undefined): Promise<VersionedRead<Report>> => {
      const r = await read(k);
      await kept.answer('q', async () => ({ report: { asOf: null, lagEvents: 0, figure: 9 }, version: 'v2' }));
      return r;
    };
    expect(await kept.answer('q', racing)).toEqual({ asOf: state.asOf, lagEvents: 0, figure: 7 });
    expect(calls).toEqual([undefined, 'v1', undefined]);
  });

  it('keeps no answer larger than it may hold', async () => {
    const kept = new KeptAnswers<Report>(10);
    const { read, calls } = projections({ version: 'v1', figure: 7, asOf: '2025-07-15T04:00:00.000Z', lagEvents: 0 });
    await kept.answer('q', read);
    await kept.answer('q', read);
    expect(calls).toEqual([undefined, undefined]);
  });
});
