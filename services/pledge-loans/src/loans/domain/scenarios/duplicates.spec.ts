import { expectScenario, loadFixture } from '../../../../test/scenarios/scenario-runner';

describe('scenario: duplicates and conflicting duplicates', () => {
  it('answers a retry with duplicates, a changed body under a known eventId with 409, and remembers only accepted events', () => {
    const run = expectScenario(loadFixture('not-ok', 'duplicates'));
    expect(run.batches[1].results[0]).toEqual({ eventId: 'icbc-zz-0001-reg', status: 'duplicate' });
    expect(run.batches[1].newEvents.map((e) => e.eventId)).toEqual(['icbc-zz-0001-d2']);
  });
});
