import { expectScenario, loadFixture } from '../../../../test/scenarios/scenario-runner';

describe('scenario: pledge rules inside one registration', () => {
  it('refuses a right listed twice, a used pledge registration number and a utility model that expires before maturity', () => {
    expectScenario(loadFixture('not-ok', 'pledge-rules'));
  });
});
