import { expectScenario, loadFixture } from '../../../../test/scenarios/scenario-runner';

describe('scenario: settlement rules', () => {
  it('settles only with nothing outstanding, then accepts nothing but reversals, and re-pledges on a reversed settlement', () => {
    const run = expectScenario(loadFixture('not-ok', 'settlement-rules'));
    expect(run.batches[0].results[3].problem?.detail).toContain('400000.00');
    expect(run.batches[1].pledgeChanges.rights).toEqual({ released: [], acquired: [] });
  });
});
