import { expectScenario, loadFixture } from '../../../../test/scenarios/scenario-runner';

describe('scenario: overdue, then cured', () => {
  it('goes overdue, keeps the latest overdueDays, and a repayment of interest alone cures it', () => {
    expectScenario(loadFixture('ok', 'overdue-then-cured'));
  });
});
