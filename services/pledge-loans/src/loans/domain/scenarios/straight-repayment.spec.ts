import { expectScenario, loadFixture } from '../../../../test/scenarios/scenario-runner';

describe('scenario: straight repayment', () => {
  const fixture = loadFixture('ok', 'straight-repayment');

  it('registers, disburses, repays quarterly and settles, releasing the pledged patents', () => {
    const run = expectScenario(fixture);

    const [registration, disbursement] = run.batches[0].messages;
    expect(registration).toMatchObject({
      topic: 'ipfin.loans.v1',
      key: 'bank-icbc-zz:ICBC-ZZ-2024-0001',
      ceType: 'ipfin.loans.LoanRegistered.v1',
      id: 'bank-icbc-zz:ICBC-ZZ-2024-0001:1',
      payload: {
        sequence: 1,
        recordedAt: '2024-03-05T02:00:00.000Z',
        principal: '3000000.00',
        annualRate: '0.0385',
        agencyId: 'agency-zz-ipservice',
        borrower: { uscc: '91350602MA31K8P7X1', size: 'small', regionCode: '350602' },
        pledge: {
          appraisedValue: '4200000.00',
          rights: expect.arrayContaining([{ kind: 'patent', number: '202222345678.6', title: '一种精密零件夹持工装' }]),
        },
      },
    });
    expect(disbursement.payload).toMatchObject({ sequence: 2, amount: '3000000.00' });
    expect(run.batches[2].messages.map((m) => m.payload.sequence)).toEqual([4, 5, 6]);
  });
});
