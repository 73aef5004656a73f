import { expectScenario, loadFixture } from '../../../../test/scenarios/scenario-runner';

describe('scenario: a tranche above the contracted principal', () => {
  it('refuses the tranche that would exceed the principal, and the fen after the last one', () => {
    const run = expectScenario(loadFixture('not-ok', 'tranche-exceeds-principal'));
    expect(run.batches[0].results[3].problem).toMatchObject({
      type: 'disbursement-exceeds-principal',
      status: 422,
      errors: [{ field: 'data.amount' }],
    });
  });
});
