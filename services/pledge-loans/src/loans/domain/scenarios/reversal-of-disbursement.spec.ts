import type { EventReversedV1 } from '@ipfin/contracts';
import { expectScenario, loadFixture } from '../../../../test/scenarios/scenario-runner';

describe('scenario: reversing a disbursement', () => {
  it('accepts the reversal when the repayments still fit, and restates every total', () => {
    const run = expectScenario(loadFixture('ok', 'reversal-of-disbursement-after-repayments'));
    const reversal = run.batches[1].messages[0];
    expect(reversal.ceType).toBe('ipfin.loans.EventReversed.v1');
    const payload = reversal.payload as EventReversedV1;
    expect(payload).toMatchObject({ sequence: 5, reversedEventId: 'icbc-zz-0005-d2', reversedType: 'LoanDisbursed' });
    expect(payload.reversed).toEqual({
      bank: 'bank-icbc-zz',
      loanRef: 'ICBC-ZZ-2024-0005',
      eventId: 'icbc-zz-0005-d2',
      sequence: 3,
      occurredOn: '2024-07-01',
      recordedAt: '2024-09-30T09:00:00.000Z',
      amount: '300000.00',
    });
    expect(run.batches[1].reversedEarlierEvents).toEqual([
      { loanRef: 'ICBC-ZZ-2024-0005', eventId: 'icbc-zz-0005-d2', reversedBy: 'icbc-zz-0005-rev-d2' },
    ]);
  });

  it('refuses a reversal that later repayments depend on, naming the first event that would fail', () => {
    const run = expectScenario(loadFixture('not-ok', 'reversal-breaks-history'));
    expect(run.batches[1].results[0].problem?.detail).toContain('repayment-exceeds-outstanding');
  });
});
