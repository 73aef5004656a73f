import { BusinessDate } from '@ipfin/kernel';
import { ZHANGZHOU_2024_PRODUCT_REWARD } from '../reward-policy';
import { RewardLedger, policyOf, productNo } from './reward-ledger.fixtures';

describe('withdrawing a recognition gives its reward back and re-evaluates the next in line', () => {
  it('moves the freed ¥5 000 to the 21st product, which had ¥0', () => {
    const ledger = new RewardLedger(ZHANGZHOU_2024_PRODUCT_REWARD);
    for (let n = 1; n <= 22; n++) ledger.recognise(productNo(n), BusinessDate.of(2024, 3, 1).addDays(n));

    const changes = ledger.withdraw(productNo(3));

    expect(changes.map((c) => [c.productId, c.kind, c.amount.toString()])).toEqual([
      [productNo(3), 'adjustment', '0.00'],
      [productNo(21), 'adjustment', '5000.00'],
    ]);
    expect(changes[0]).toMatchObject({ reason: 'recognition-withdrawn' });
    expect(changes[0].kind === 'adjustment' && changes[0].previousAmount.toString()).toBe('5000.00');
    expect(changes[0].kind === 'adjustment' && changes[0].change.toString()).toBe('-5000.00');
    expect(changes[1]).toMatchObject({ reason: 'cap-freed' });
    expect(changes[1].kind === 'adjustment' && changes[1].change.toString()).toBe('5000.00');
    expect(ledger.amountOf(productNo(22))).toBe('0.00');
    expect(ledger.paidOut(2024)).toBe('100000.00');
  });

  it('tops up the product that got the remainder before reaching a ¥0 one', () => {
    const ledger = new RewardLedger(policyOf('30000.00', '100000.00'));
    [1, 2, 3, 4, 5].forEach((n) => ledger.recognise(productNo(n), BusinessDate.of(2024, 4, n)));

    const changes = ledger.withdraw(productNo(1));

    expect(
      changes.map((c) => [
        c.productId,
        c.kind === 'adjustment' ? c.previousAmount.toString() : null,
        c.amount.toString(),
      ]),
    ).toEqual([
      [productNo(1), '30000.00', '0.00'],
      [productNo(4), '10000.00', '30000.00'],
      [productNo(5), '0.00', '10000.00'],
    ]);
    expect(ledger.paidOut(2024)).toBe('100000.00');
  });

  it('changes nothing else when the withdrawn product had ¥0', () => {
    const ledger = new RewardLedger(ZHANGZHOU_2024_PRODUCT_REWARD);
    for (let n = 1; n <= 21; n++) ledger.recognise(productNo(n), BusinessDate.of(2024, 3, 1).addDays(n));

    expect(ledger.withdraw(productNo(21))).toEqual([]);
    expect(ledger.paidOut(2024)).toBe('100000.00');
  });

  it('gives back without re-evaluating another year', () => {
    const ledger = new RewardLedger(policyOf('30000.00', '100000.00'));
    [1, 2, 3, 4].forEach((n) => ledger.recognise(productNo(n), BusinessDate.of(2024, 12, 27 + n)));
    ledger.recognise(productNo(5), BusinessDate.of(2025, 1, 1));
    [6, 7, 8, 9].forEach((n) => ledger.recognise(productNo(n), BusinessDate.of(2025, 2, n)));

    const changes = ledger.withdraw(productNo(2));

    expect(changes.map((c) => [c.productId, c.year, c.amount.toString()])).toEqual([
      [productNo(2), 2024, '0.00'],
      [productNo(4), 2024, '30000.00'],
    ]);
  });
});
