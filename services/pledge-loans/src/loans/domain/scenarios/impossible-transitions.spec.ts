import { expectScenario, loadFixture } from '../../../../test/scenarios/scenario-runner';

describe('scenario: impossible transitions', () => {
  it('refuses events the loan status does not allow and amounts above the outstanding principal', () => {
    expectScenario(loadFixture('not-ok', 'impossible-transitions'));
  });
});
