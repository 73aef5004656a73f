import { expectScenario, loadFixture } from '../../../../test/scenarios/scenario-runner';

describe('scenario: events out of order', () => {
  it('refuses events of an unregistered loan without remembering them, and accepts them re-sent after the registration', () => {
    const run = expectScenario(loadFixture('not-ok', 'out-of-order-events'));
    expect(run.batches[0].knownEvents.size).toBe(0);
    expect(run.batches[1].newEvents.map((e) => [e.eventId, e.sequence])).toEqual([
      ['icbc-zz-0003-reg', 1],
      ['icbc-zz-0003-d1', 2],
    ]);
  });
});
