import { ratio } from '@ipfin/kernel';
import { approveClaim } from '../claim';
import {
  WEIHAI_FIRST_YEAR,
  WEIHAI_LATER,
  borrower,
  contractErrors,
  defaultedLoan,
  fundWith,
  mustApprove,
  mustFile,
  settleFund,
  yuan,
} from './scenario-fixtures';

/**
 * Huancui District, Weihai (371002): the province pays 40 % and the city 20 % of a principal loss
 * (fund 60 %, bank 40 %), at most ¥1 000 000 per loan in the pilot's first year. Expressed as two
 * policy versions: the first year with `perLoanCap`, later years without.
 */
describe('Weihai per-loan cap', () => {
  const policies = [WEIHAI_FIRST_YEAR, WEIHAI_LATER];
  const bank = 'bank-whccb';
  const marineBiotech = borrower('371002', 'MA3C7XKQ2', 'medium', '威海环翠海洋生物科技有限公司');

  const loanOf = (loanRef: string, principal: string, loss: string, registeredOn: string) =>
    defaultedLoan({
      bank,
      loanRef,
      borrower: marineBiotech,
      principal,
      registeredOn,
      disbursedOn: registeredOn,
      loss,
      defaultedOn: '2025-06-02',
      policies,
    });

  it('expresses province 40 % + city 20 % as a 60 % fund share', () => {
    expect(WEIHAI_FIRST_YEAR).toMatchObject({
      region: '371002',
      fundSharePercent: '60',
      claimWindow: { days: 10, unit: 'working' },
    });
    expect(WEIHAI_FIRST_YEAR.perLoanCap?.toString()).toBe('1000000.00');
  });

  it('cuts the fund share of a ¥2 500 000 loss from 1 500 000 to the 1 000 000 cap; the bank bears the rest', () => {
    const loan = loanOf('WH-2024-0007', '3000000.00', '2500000.00', '2024-05-08');
    expect(loan).toMatchObject({ covered: true, region: '371002', policyVersion: '2024-02-20' });
    const claim = mustFile(loan, '2500000.00', '2025-06-05', policies);
    const waiting = mustApprove(claim, loan, policies, '2025-06-10', [claim]);

    expect(waiting).toMatchObject({ capped: true, fundSharePercent: '60' });
    expect(waiting.fundShare.toString()).toBe('1000000.00');
    expect(waiting.bankShare.toString()).toBe('1500000.00');
    expect(ratio(waiting.fundShare, waiting.principalLoss)).toBe('0.4000');
  });

  it('does not cap a loss whose 60 % stays under the cap', () => {
    const loan = loanOf('WH-2024-0008', '2000000.00', '1666666.67', '2024-05-08');
    const claim = mustFile(loan, '1666666.67', '2025-06-05', policies);
    const waiting = mustApprove(claim, loan, policies, '2025-06-10', [claim]);
    // 1 666 666.67 × 0.6 = 1 000 000.002 → 1 000 000.00: at the cap, not cut by it.
    expect(waiting).toMatchObject({ capped: false, fundShare: yuan('1000000.00'), bankShare: yuan('666666.67') });
  });

  it('judges a loan registered after the first year by the later version: no cap', () => {
    const loan = loanOf('WH-2025-0101', '3000000.00', '2500000.00', '2025-03-03');
    expect(loan.policyVersion).toBe('2025-02-20');
    const claim = mustFile(loan, '2500000.00', '2025-06-05', policies);
    const waiting = mustApprove(claim, loan, policies, '2025-06-10', [claim]);
    expect(waiting).toMatchObject({ capped: false, fundShare: yuan('1500000.00'), bankShare: yuan('1000000.00') });
  });

  it('publishes the cap in ClaimApproved and pays the capped share', () => {
    const loan = loanOf('WH-2024-0009', '3000000.00', '2500000.00', '2024-05-08');
    const claim = mustFile(loan, '2500000.00', '2025-06-05', policies);
    const approval = approveClaim(claim, WEIHAI_FIRST_YEAR, { approvedOn: '2025-06-10', approvalSequence: 1 }, loan);
    if (!approval.ok) throw new Error(approval.problems[0].detail);
    expect(approval.event.data).toEqual({
      region: '371002',
      claimId: claim.id,
      bank,
      loanRef: 'WH-2024-0009',
      principalLoss: '2500000.00',
      fundSharePercent: '60',
      perLoanCap: '1000000.00',
      capped: true,
      fundShare: '1000000.00',
      bankShare: '1500000.00',
      approvedOn: '2025-06-10',
      approvalSequence: 1,
    });
    const payout = settleFund(fundWith('371002', '5000000.00'), [approval.claim], '2025-06-10');
    expect(payout.fund.paidOut.toString()).toBe('1000000.00');
    expect(payout.fund.balance.toString()).toBe('4000000.00');
    expect(contractErrors([approval.event, ...payout.events])).toEqual([]);
  });
});
