import { ledgerIdentityHolds } from '../../../funds/domain/fund-ledger';
import { computeShares } from '../claim';
import {
  ZZ,
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
 * Zhangzhou, 8 : 2. A small enterprise in Xiangcheng District (350602) defaults on an ICBC
 * Zhangzhou patent-pledge loan with a principal loss of ¥123 456.79; 80 % of it is 98 765.432, so
 * the fund's share rounds half-up to 98 765.43 and the bank bears the remaining 24 691.36.
 */
describe('Zhangzhou 80/20 split of an odd-fen loss', () => {
  const policies = [ZZ];
  const loan = defaultedLoan({
    bank: 'bank-icbc-zz',
    loanRef: 'ZZ-2024-000123',
    borrower: borrower('350602', 'MA31ABCD5', 'small', '漳州市芗城区芯创电子科技有限公司'),
    principal: '500000.00',
    registeredOn: '2024-03-01',
    disbursedOn: '2024-03-05',
    loss: '123456.79',
    defaultedOn: '2025-04-10',
    policies,
  });

  /** Independent reference: integer fen, half-up by adding half the divisor before dividing. */
  const referenceFundShareFen = (lossFen: bigint, percent: bigint): bigint => (lossFen * percent + 50n) / 100n;

  it("covers the county loan under the city fund's seeded policy", () => {
    expect(loan).toMatchObject({
      covered: true,
      region: '350600',
      policyVersion: '2024-02-02',
      status: 'defaulted',
      defaultedOn: '2025-04-10',
    });
    expect(loan.reportedLoss.toString()).toBe('123456.79');
    expect(loan.outstanding.toString()).toBe('376543.21');
  });

  it('approves fund 98 765.43 and bank 24 691.36, adding up to the loss', () => {
    const claim = mustFile(loan, '123456.79', '2025-04-15', policies);
    const waiting = mustApprove(claim, loan, policies, '2025-04-20', [claim]);

    const referenceFen = referenceFundShareFen(12345679n, 80n);
    expect(referenceFen).toBe(9876543n);
    expect(waiting.fundShare.fen).toBe(referenceFen);
    expect(waiting.fundShare.toString()).toBe('98765.43');
    expect(waiting.bankShare.toString()).toBe('24691.36');
    expect(waiting.fundShare.add(waiting.bankShare).equals(yuan('123456.79'))).toBe(true);
    expect(waiting).toMatchObject({ status: 'waiting', fundSharePercent: '80', capped: false, approvalSequence: 1 });
  });

  it('rounds an exact half fen up: ¥0.01 × 50 % = 0.005 → 0.01, ¥0.03 × 50 % = 0.015 → 0.02', () => {
    expect(computeShares(yuan('0.01'), '50')).toMatchObject({ fundShare: yuan('0.01'), bankShare: yuan('0.00') });
    expect(computeShares(yuan('0.03'), '50').fundShare.toString()).toBe('0.02');
  });

  it("pays the claim from the fund's ¥100 m and publishes valid events", () => {
    const claim = mustFile(loan, '123456.79', '2025-04-15', policies);
    const waiting = mustApprove(claim, loan, policies, '2025-04-20', [claim]);
    const fund = fundWith('350600', '100000000.00');

    const payout = settleFund(fund, [waiting], '2025-04-20');

    expect(payout.paid).toHaveLength(1);
    expect(payout.paid[0]).toMatchObject({ status: 'paid', paidOn: '2025-04-20' });
    expect(payout.fund.paidOut.toString()).toBe('98765.43');
    expect(payout.fund.balance.toString()).toBe('99901234.57');
    expect(ledgerIdentityHolds(payout.fund)).toBe(true);
    expect(payout.entries).toEqual([
      expect.objectContaining({
        kind: 'payout',
        reference: claim.id,
        lines: [
          { account: 'paid_out', side: 'debit', amount: yuan('98765.43') },
          { account: 'balance', side: 'credit', amount: yuan('98765.43') },
        ],
      }),
    ]);
    expect(payout.events).toEqual([
      {
        type: 'ClaimPaid',
        key: '350600',
        data: {
          region: '350600',
          claimId: claim.id,
          bank: 'bank-icbc-zz',
          loanRef: 'ZZ-2024-000123',
          fundShare: '98765.43',
          paidOn: '2025-04-20',
          approvalSequence: 1,
        },
      },
    ]);
    expect(contractErrors(payout.events)).toEqual([]);
  });
});
