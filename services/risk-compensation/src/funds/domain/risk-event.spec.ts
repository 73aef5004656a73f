import { RISK_EVENT_TYPES, eventTypeSpec, riskCeType, validateEventData } from '@ipfin/contracts';

/** The risk events' wire contract: what a provincial data warehouse subscribing to `ipfin.risk.v1` may rely on. */
describe('ipfin.risk.v1 payload contract', () => {
  const approved = {
    region: '350600',
    claimId: 'c-1',
    bank: 'bank-icbc-zz',
    loanRef: 'ZZ-2024-000123',
    principalLoss: '123456.79',
    fundSharePercent: '80',
    capped: false,
    fundShare: '98765.43',
    bankShare: '24691.36',
    approvedOn: '2025-04-20',
    approvalSequence: 1,
  };

  it('registers every risk event as ipfin.risk.<Name>.v1 on the risk topic', () => {
    expect(RISK_EVENT_TYPES.map((t) => t.name)).toEqual([
      'PolicySet',
      'CapitalContributed',
      'LoanCovered',
      'ClaimFiled',
      'ClaimApproved',
      'ClaimRejected',
      'ClaimPaid',
      'RecoveryShared',
    ]);
    for (const { name, payload } of RISK_EVENT_TYPES) {
      expect(eventTypeSpec(riskCeType(name))).toEqual({
        ceType: `ipfin.risk.${name}.v1`,
        topic: 'ipfin.risk.v1',
        payload,
      });
    }
  });

  it('accepts a well-formed ClaimApproved', () => {
    expect(validateEventData(riskCeType('ClaimApproved'), approved)).toEqual({ ok: true, value: approved });
  });

  it.each([
    ['a percent as a JSON number', { fundSharePercent: 80 }, 'fundSharePercent'],
    ['a percent above 100', { fundSharePercent: '100.5' }, 'fundSharePercent'],
    ['money as a float', { fundShare: 98765.43 }, 'fundShare'],
    ['money with three decimals', { bankShare: '24691.360' }, 'bankShare'],
    ['a zero approval sequence', { approvalSequence: 0 }, 'approvalSequence'],
    ['a malformed fund region', { region: '3506' }, 'region'],
  ])('refuses %s', (_case, change, field) => {
    const result = validateEventData(riskCeType('ClaimApproved'), { ...approved, ...change });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.some((e) => e.startsWith(`${field}:`))).toBe(true);
  });

  it('refuses a LoanCovered with an unknown rule or a malformed borrower', () => {
    const covered = {
      region: '350600',
      bank: 'bank-icbc-zz',
      loanRef: 'ZZ-1',
      registrationEventId: 'e1',
      covered: false,
      reasons: [{ rule: 'too-risky', detail: '…' }],
      borrower: { uscc: 'not-a-uscc', size: 'small', regionCode: '350602' },
      principal: '1.00',
      registeredOn: '2024-03-01',
      cause: 'registered',
    };
    const result = validateEventData(riskCeType('LoanCovered'), covered);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors.map((e) => e.split(':')[0]).sort()).toEqual(['borrower.uscc', 'reasons.0.rule']);
  });
});
