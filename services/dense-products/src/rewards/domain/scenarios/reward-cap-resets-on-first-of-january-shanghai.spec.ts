import { BusinessDate } from '@ipfin/kernel';
import { calendarYearOf } from '../../../products/domain/calendar';
import { jiulongOptics, minxinValves } from '../../../products/domain/scenarios/zhangzhou.fixtures';
import { RewardLedger, policyOf, productNo } from './reward-ledger.fixtures';

describe('the yearly cap resets on 1 January in Asia/Shanghai', () => {
  it('gives a recognition on 1 January the next year’s full cap', () => {
    const ledger = new RewardLedger(policyOf('30000.00', '100000.00'));
    [1, 2, 3, 4].forEach((n) => ledger.recognise(productNo(n), BusinessDate.of(2024, 12, 27 + n)));

    // Fourth one was recognised on 2024-12-31: the remainder. The fifth is in 2025.
    expect(ledger.amountOf(productNo(4))).toBe('10000.00');
    const [fifth] = ledger.recognise(productNo(5), '2025-01-01');

    expect(fifth).toMatchObject({ year: 2025, kind: 'award', basis: 'per-product' });
    expect(fifth.amount.toString()).toBe('30000.00');
    expect(ledger.paidOut(2024)).toBe('100000.00');
    expect(ledger.paidOut(2025)).toBe('30000.00');
  });

  it('places a timestamp on its Asia/Shanghai day: 2024-12-31T23:30+08:00 is in 2024', () => {
    expect(calendarYearOf('2024-12-31T23:30+08:00')).toBe(2024);
    expect(calendarYearOf('2024-12-31T15:59:59Z')).toBe(2024);
    expect(calendarYearOf('2024-12-31T16:00:00Z')).toBe(2025);
    expect(calendarYearOf(new Date(Date.UTC(2024, 11, 31, 16, 30)))).toBe(2025);
  });

  it('counts a late-evening recognition against the year that is ending', () => {
    const ledger = new RewardLedger(policyOf('30000.00', '100000.00'));
    [1, 2, 3].forEach((n) => ledger.recognise(productNo(n), `2024-12-0${n}`));

    const [lateEvening] = ledger.recognise(productNo(4), '2024-12-31T23:30+08:00');
    const [utcNewYear] = ledger.recognise(productNo(5), '2024-12-31T16:30:00Z');

    expect(lateEvening).toMatchObject({ year: 2024, basis: 'cap-remainder' });
    expect(lateEvening.amount.toString()).toBe('10000.00');
    expect(utcNewYear).toMatchObject({ year: 2025, basis: 'per-product' });
    expect(utcNewYear.recognisedOn.toString()).toBe('2025-01-01');
  });

  it('keeps one cap per enterprise: another enterprise in the same year starts from zero', () => {
    const ledger = new RewardLedger(policyOf('30000.00', '100000.00'));
    [1, 2, 3, 4].forEach((n) => ledger.recognise(productNo(n), BusinessDate.of(2024, 5, n), minxinValves));

    const [other] = ledger.recognise(productNo(5), BusinessDate.of(2024, 5, 5), jiulongOptics);

    expect(other.amount.toString()).toBe('30000.00');
    expect(ledger.paidOut(2024, jiulongOptics)).toBe('30000.00');
  });
});
