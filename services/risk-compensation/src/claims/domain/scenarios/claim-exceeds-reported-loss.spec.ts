import { fileClaim } from '../claim';
import type { CoveredLoan } from '../covered-loan';
import { ZZ, borrower, defaulted, disbursed, foldLoan, known, registered, repaid, yuan } from './scenario-fixtures';

/**
 * A bank may claim at most the principal loss its own loan events reported (Σ of the non-reversed
 * `LoanDefaulted` losses), for the default date those events report.
 */
describe('claim larger than the reported loss', () => {
  const ref = { bank: 'bank-boc-zz', loanRef: 'ZZ-2024-000777' };
  const loan: CoveredLoan = known(
    foldLoan(
      [
        registered({
          ...ref,
          borrower: borrower('350604', 'MA32LH0X8', 'medium', '漳州市龙海区海晟机电有限公司'),
          principal: '2000000.00',
          occurredOn: '2024-04-01',
        }),
        disbursed(ref, 'd1', '2024-04-03', '1500000.00'),
        disbursed(ref, 'd2', '2024-07-01', '500000.00'),
        repaid(ref, 'r1', '2024-10-01', '400000.00', '19250.00'),
        defaulted(ref, 'def1', '2025-02-10', '900000.00'),
        defaulted(ref, 'def2', '2025-05-20', '350000.50'),
      ],
      [ZZ],
    ),
  );

  const claim = (principalLoss: string, defaultedOn = '2025-02-10') =>
    fileClaim(
      loan,
      { loanRef: ref.loanRef, principalLoss: yuan(principalLoss), defaultedOn },
      { claimId: 'c-777', bank: ref.bank, filedOn: '2025-06-02' },
      [],
      ZZ,
    );
  const codes = (result: ReturnType<typeof claim>): string[] => (result.ok ? [] : result.problems.map((p) => p.code));

  it('adds up the losses of every default and keeps the first default date', () => {
    expect(loan.reportedLoss.toString()).toBe('1250000.50');
    expect(loan.defaultedOn).toBe('2025-02-10');
    expect(loan.outstanding.toString()).toBe('349999.50');
  });

  it('accepts a claim for exactly the reported loss, or less', () => {
    expect(claim('1250000.50').ok).toBe(true);
    expect(claim('900000.00').ok).toBe(true);
  });

  it('refuses one fen more than the reported loss', () => {
    const result = claim('1250000.51');
    expect(codes(result)).toEqual(['claim-exceeds-reported-loss']);
    if (result.ok) return;
    expect(result.problems[0]).toMatchObject({ field: 'principalLoss', context: { reportedLoss: '1250000.50' } });
  });

  it('refuses a zero claim', () => {
    expect(codes(claim('0.00'))).toEqual(['claim-amount-not-positive']);
  });

  it('refuses a default date other than the reported one, so the window cannot be moved', () => {
    const result = claim('900000.00', '2025-05-20');
    expect(codes(result)).toEqual(['default-date-mismatch']);
    if (result.ok) return;
    expect(result.problems[0].context).toEqual({ reportedDefaultedOn: '2025-02-10' });
  });

  it('records the claim with the reported default date and the covering policy version', () => {
    const result = claim('1250000.50');
    if (!result.ok) throw new Error(result.problems[0].detail);
    expect(result.claim).toMatchObject({
      status: 'filed',
      region: '350600',
      policyVersion: '2024-02-02',
      defaultedOn: '2025-02-10',
      filedOn: '2025-06-02',
    });
    expect(result.event.data).toEqual({
      region: '350600',
      claimId: 'c-777',
      bank: 'bank-boc-zz',
      loanRef: 'ZZ-2024-000777',
      principalLoss: '1250000.50',
      defaultedOn: '2025-02-10',
      filedOn: '2025-06-02',
      policyVersion: '2024-02-02',
    });
  });
});
