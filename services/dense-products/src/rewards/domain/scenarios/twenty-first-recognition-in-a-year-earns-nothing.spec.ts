import { BusinessDate } from '@ipfin/kernel';
import { minxinValves } from '../../../products/domain/scenarios/zhangzhou.fixtures';
import { computeRewards } from '../reward-computation';
import { ZHANGZHOU_2024_PRODUCT_REWARD } from '../reward-policy';
import { RewardLedger, productNo } from './reward-ledger.fixtures';

describe('Zhangzhou: ¥5 000 per recognised product, at most ¥100 000 per enterprise per year', () => {
  it('pays the first 20 recognitions ¥5 000 each and the 21st ¥0', () => {
    const ledger = new RewardLedger(ZHANGZHOU_2024_PRODUCT_REWARD);
    const start = BusinessDate.of(2024, 3, 1);

    const changes = Array.from({ length: 21 }, (_, i) => ledger.recognise(productNo(i + 1), start.addDays(7 * i)));

    changes.slice(0, 20).forEach((c, i) => {
      expect(c).toEqual([
        expect.objectContaining({
          kind: 'award',
          productId: productNo(i + 1),
          basis: 'per-product',
          policyRegion: '350600',
          year: 2024,
        }),
      ]);
      expect(c[0].amount.toString()).toBe('5000.00');
    });
    expect(changes[20]).toEqual([
      expect.objectContaining({ kind: 'award', productId: productNo(21), basis: 'cap-reached' }),
    ]);
    expect(changes[20][0].amount.toString()).toBe('0.00');
    expect(ledger.paidOut(2024)).toBe('100000.00');
  });

  it('computes the same from the whole year at once, ordered by recognition date then sequence', () => {
    // Recorded in a scrambled order; same-day recognitions are ordered by their sequence.
    const recognitions = Array.from({ length: 21 }, (_, i) => ({
      productId: productNo(i + 1),
      enterpriseUscc: minxinValves.uscc,
      regionCode: minxinValves.regionCode,
      recognisedOn: BusinessDate.of(2024, 6, 1 + Math.floor(i / 3)),
      sequence: 100 - i,
      withdrawn: false,
      awarded: null,
    })).reverse();

    const result = computeRewards(recognitions, ZHANGZHOU_2024_PRODUCT_REWARD);

    // Day 7 (2024-06-07) holds products 19, 20, 21 with sequences 82, 81, 80: 21 comes first.
    const amounts = new Map(result.lines.map((l) => [l.productId, l.amount.toString()]));
    expect(amounts.get(productNo(21))).toBe('5000.00');
    expect(amounts.get(productNo(20))).toBe('5000.00');
    expect(amounts.get(productNo(19))).toBe('0.00');
    expect(result.lines.filter((l) => l.amount.isZero())).toHaveLength(1);
    expect(result.total(minxinValves.uscc, 2024).toString()).toBe('100000.00');
    expect(result.changes).toHaveLength(21);
  });
});
