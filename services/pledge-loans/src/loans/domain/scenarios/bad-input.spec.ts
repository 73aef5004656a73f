import { expectScenario, loadFixture } from '../../../../test/scenarios/scenario-runner';

describe('scenario: bad input', () => {
  it('refuses malformed items with 400 naming each field at fault, and applies the valid ones', () => {
    const run = expectScenario(loadFixture('not-ok', 'bad-input'));
    const results = run.batches[0].results;
    expect(results[2].problem?.errors).toEqual([
      {
        field: 'data.principal',
        message: 'principal must be a decimal string with at most two decimals, e.g. "1250000.00", not a JSON number',
      },
      {
        field: 'data.pledge.rights[0].number',
        message: 'number: Patent number 202121234567.8 has a wrong check character: expected 7.',
      },
    ]);
    expect(results[12]).toMatchObject({ eventId: null, status: 'rejected' });
    expect(results[9].problem?.errors).toEqual([{ field: 'bank', message: 'property bank should not exist' }]);
  });
});
