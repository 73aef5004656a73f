import { BusinessDate, Money } from '@ipfin/kernel';
import { minxinValves } from '../../../products/domain/scenarios/zhangzhou.fixtures';
import { computeRewards } from '../reward-computation';
import { ZHANGZHOU_2024_PRODUCT_REWARD } from '../reward-policy';
import { RewardLedger, policyOf, productNo } from './reward-ledger.fixtures';

describe('a product is rewarded once (就高、从优、不重复)', () => {
  it('emits nothing when the year is recomputed without a new fact (replays, retries)', () => {
    const ledger = new RewardLedger(ZHANGZHOU_2024_PRODUCT_REWARD);
    for (let n = 1; n <= 21; n++) ledger.recognise(productNo(n), BusinessDate.of(2024, 3, 1).addDays(n));
    ledger.withdraw(productNo(5));

    expect(ledger.recompute()).toEqual([]);
    expect(ledger.recompute()).toEqual([]);
    expect(ledger.paidOut(2024)).toBe('100000.00');
  });

  it('never takes back an award from a recognition still in force: a back-dated one gets what is left', () => {
    const ledger = new RewardLedger(policyOf('30000.00', '100000.00'));
    [1, 2, 3, 4].forEach((n) => ledger.recognise(productNo(n), BusinessDate.of(2024, 6, n)));

    // Recorded late, but recognised in March: it would be first in line, yet the others were paid.
    const changes = ledger.recognise(productNo(5), BusinessDate.of(2024, 3, 1));

    expect(changes).toEqual([
      expect.objectContaining({ kind: 'award', productId: productNo(5), basis: 'cap-reached' }),
    ]);
    expect([1, 2, 3, 4].map((n) => ledger.amountOf(productNo(n)))).toEqual([
      '30000.00',
      '30000.00',
      '30000.00',
      '10000.00',
    ]);
  });

  it('does not award a withdrawn recognition that was never decided', () => {
    const result = computeRewards(
      [
        {
          productId: productNo(1),
          enterpriseUscc: minxinValves.uscc,
          regionCode: minxinValves.regionCode,
          recognisedOn: '2024-05-01',
          sequence: 1,
          withdrawn: true,
          awarded: null,
        },
      ],
      ZHANGZHOU_2024_PRODUCT_REWARD,
    );

    expect(result.changes).toEqual([]);
    expect(result.lines[0].amount.isZero()).toBe(true);
  });

  it('refuses the same product listed twice in one computation', () => {
    const once = {
      productId: productNo(1),
      enterpriseUscc: minxinValves.uscc,
      regionCode: minxinValves.regionCode,
      recognisedOn: '2024-05-01',
      sequence: 1,
      withdrawn: false,
      awarded: Money.parse('5000'),
    };

    expect(() => computeRewards([once, { ...once, sequence: 2 }], ZHANGZHOU_2024_PRODUCT_REWARD)).toThrow(
      /listed twice/,
    );
  });
});
