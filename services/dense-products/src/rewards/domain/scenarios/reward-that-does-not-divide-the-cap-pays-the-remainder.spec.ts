import { BusinessDate } from '@ipfin/kernel';
import { RewardLedger, policyOf, productNo } from './reward-ledger.fixtures';

describe('a per-product amount that does not divide the yearly cap', () => {
  it('pays ¥30 000, ¥30 000, ¥30 000, then the remainder ¥10 000, then ¥0', () => {
    const ledger = new RewardLedger(policyOf('30000.00', '100000.00'));

    const changes = [1, 2, 3, 4, 5].map((n) => ledger.recognise(productNo(n), BusinessDate.of(2024, 4, n)));

    expect(changes.map((c) => [c[0].amount.toString(), c[0].kind === 'award' ? c[0].basis : null])).toEqual([
      ['30000.00', 'per-product'],
      ['30000.00', 'per-product'],
      ['30000.00', 'per-product'],
      ['10000.00', 'cap-remainder'],
      ['0.00', 'cap-reached'],
    ]);
    expect(ledger.paidOut(2024)).toBe('100000.00');
  });

  it('handles amounts to the fen', () => {
    const ledger = new RewardLedger(policyOf('3333.33', '10000.00'));

    const amounts = [1, 2, 3, 4].map((n) =>
      ledger.recognise(productNo(n), BusinessDate.of(2024, 4, n))[0].amount.toString(),
    );

    expect(amounts).toEqual(['3333.33', '3333.33', '3333.33', '0.01']);
  });
});
