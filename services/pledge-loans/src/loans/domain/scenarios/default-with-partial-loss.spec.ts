import { expectScenario, findLoan, loadFixture } from '../../../../test/scenarios/scenario-runner';

describe('scenario: default with a partial loss', () => {
  const fixture = loadFixture('ok', 'default-with-partial-loss');

  it('declares a loss, books a recovery and a final write-off, then settles with nothing outstanding', () => {
    const run = expectScenario(fixture);
    const loan = findLoan(run.world, 'bank-zzrcb', 'ZZRCB-2024-0105');
    expect(loan?.state).toMatchObject({ defaultedOn: '2025-01-10', settledOn: '2025-07-01' });
    const [recovery, writeOff] = run.batches[2].messages;
    expect(recovery.payload).toMatchObject({ principal: '450000.00', interest: '0.00' });
    expect(writeOff.payload).toMatchObject({ principalLoss: '150000.00' });
  });
});
