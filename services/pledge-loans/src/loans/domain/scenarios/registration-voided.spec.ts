import { expectScenario, loadFixture } from '../../../../test/scenarios/scenario-runner';

describe('scenario: a voided registration, registered again', () => {
  it('voids the loan once every later event is reversed, frees its pledge, and lets the loanRef be registered anew', () => {
    const run = expectScenario(loadFixture('ok', 'registration-voided-and-registered-again'));
    expect(run.batches[1].pledgeChanges).toEqual({
      rights: { released: ['patent:202221357924.3'], acquired: [] },
      registrationNumbers: { released: ['Y2024980007777'], acquired: [] },
    });
    expect(run.batches[2].messages.map((m) => m.payload.sequence)).toEqual([5, 6]);
  });
});
