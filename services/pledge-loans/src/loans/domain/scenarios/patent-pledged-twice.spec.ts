import { expectScenario, loadFixture } from '../../../../test/scenarios/scenario-runner';

describe('scenario: the same patent pledged twice', () => {
  it('refuses a second pledge in the same batch and across batches, until the first loan releases it', () => {
    const run = expectScenario(loadFixture('not-ok', 'patent-pledged-twice'));
    // Another bank's loanRef never leaks into the problem.
    const refusals = run.batches.flatMap((b) => b.results).filter((r) => r.problem?.type === 'right-already-pledged');
    expect(refusals).toHaveLength(4);
    for (const r of refusals) expect(r.problem?.detail).not.toContain('BOC-ZZ');
    // 202222345678.6 moves from loan 0010 to 0011: released, then acquired by the new holder.
    expect(run.batches[1].pledgeChanges.rights).toEqual({
      released: ['patent:202121234567.7', 'patent:202222345678.6'],
      acquired: [
        { key: 'patent:202011456789.3', holder: { bank: 'bank-icbc-zz', loanRef: 'ICBC-ZZ-2024-0011' } },
        { key: 'patent:202222345678.6', holder: { bank: 'bank-icbc-zz', loanRef: 'ICBC-ZZ-2024-0011' } },
      ],
    });
  });
});
