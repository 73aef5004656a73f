import { expectScenario, loadFixture } from '../../../../test/scenarios/scenario-runner';

describe('scenario: tranches up to the principal', () => {
  it('accepts tranches that add up to exactly the contracted principal', () => {
    const run = expectScenario(loadFixture('ok', 'tranches'));
    expect(run.batches[1].messages.map((m) => m.payload.sequence)).toEqual([3, 4, 5]);
  });
});
