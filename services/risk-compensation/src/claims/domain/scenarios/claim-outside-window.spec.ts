import { BusinessDate } from '@ipfin/kernel';
import { claimDeadline, type FundPolicy } from '../../../funds/domain/fund-policy';
import { fileClaim } from '../claim';
import type { CoveredLoan } from '../covered-loan';
import { WEIHAI_FIRST_YEAR, borrower, defaultedLoan, yuan, zhangzhouWith } from './scenario-fixtures';

/**
 * A claim is accepted until the deadline `claimDeadline(defaultedOn, window)`, counted to the day
 * it is filed: `days` calendar days after the default, or the `days`-th working day (Mon–Fri) after
 * it. Filing on the deadline is in time; the day after is not.
 */
describe('claim outside the window', () => {
  const file = (loan: CoveredLoan, policy: FundPolicy, filedOn: string) =>
    fileClaim(
      loan,
      { loanRef: loan.loanRef, principalLoss: loan.reportedLoss, defaultedOn: loan.defaultedOn ?? '' },
      { claimId: `c-${filedOn}`, bank: loan.bank, filedOn },
      [],
      policy,
    );
  const codes = (result: ReturnType<typeof file>): string[] => (result.ok ? [] : result.problems.map((p) => p.code));

  describe('calendar days: Zhangzhou with a 30-day window', () => {
    const policy = zhangzhouWith({ claimWindowDays: 30 });
    const loan = defaultedLoan({
      bank: 'bank-cib-zz',
      loanRef: 'ZZ-2024-000456',
      borrower: borrower('350603', 'MA2YQ8LL3', 'micro', '漳州市龙文区青禾食品有限公司'),
      principal: '800000.00',
      registeredOn: '2024-06-03',
      disbursedOn: '2024-06-05',
      loss: '300000.00',
      defaultedOn: '2025-04-10',
      policies: [policy],
    });

    it('defaults the unit to calendar', () => {
      expect(policy.claimWindow).toEqual({ days: 30, unit: 'calendar' });
      expect(claimDeadline(BusinessDate.parse('2025-04-10'), { days: 30, unit: 'calendar' }).toString()).toBe(
        '2025-05-10',
      );
    });

    it('accepts a claim filed on the 30th day after the default', () => {
      expect(file(loan, policy, '2025-05-10').ok).toBe(true);
    });

    it('refuses a claim filed on the 31st day, naming the deadline', () => {
      const result = file(loan, policy, '2025-05-11');
      expect(codes(result)).toEqual(['claim-window-closed']);
      if (result.ok) return;
      expect(result.problems[0].context).toEqual({ deadline: '2025-05-10', windowDays: 30, windowUnit: 'calendar' });
      expect(result.problems[0].detail).toContain('until 2025-05-10');
    });

    it('refuses a claim dated before the default', () => {
      expect(codes(file(loan, policy, '2025-04-09'))).toEqual(['claim-before-default']);
    });

    it('accepts any date when the policy sets no window (the Zhangzhou seed)', () => {
      const open = zhangzhouWith({});
      expect(open.claimWindow).toBeUndefined();
      expect(file(loan, open, '2027-12-31').ok).toBe(true);
    });
  });

  describe('working days: Weihai, 10 working days', () => {
    const loanDefaultedOn = (defaultedOn: string, loanRef: string) =>
      defaultedLoan({
        bank: 'bank-icbc-wh',
        loanRef,
        borrower: borrower('371002', 'MA3D9PK27', 'small', '威海环翠精密机械有限公司'),
        principal: '1200000.00',
        registeredOn: '2024-05-08',
        disbursedOn: '2024-05-10',
        loss: '400000.00',
        defaultedOn,
        policies: [WEIHAI_FIRST_YEAR],
      });

    // 2024-11-01 is a Friday; ten working days later is Friday 2024-11-15.
    const fridayDefault = loanDefaultedOn('2024-11-01', 'WH-2024-0031');

    it('accepts a claim on the 10th working day, 14 calendar days after the default', () => {
      expect(BusinessDate.parse('2024-11-01').isoWeekday()).toBe(5);
      expect(file(fridayDefault, WEIHAI_FIRST_YEAR, '2024-11-15').ok).toBe(true);
    });

    it('refuses a claim on the Saturday after the 10th working day, and on the Monday', () => {
      expect(codes(file(fridayDefault, WEIHAI_FIRST_YEAR, '2024-11-16'))).toEqual(['claim-window-closed']);
      expect(codes(file(fridayDefault, WEIHAI_FIRST_YEAR, '2024-11-18'))).toEqual(['claim-window-closed']);
    });

    it('starts counting on Monday when the default falls on a weekend', () => {
      const saturdayDefault = loanDefaultedOn('2024-11-02', 'WH-2024-0032');
      expect(claimDeadline(BusinessDate.parse('2024-11-02'), { days: 10, unit: 'working' }).toString()).toBe(
        '2024-11-15',
      );
      expect(file(saturdayDefault, WEIHAI_FIRST_YEAR, '2024-11-15').ok).toBe(true);
      expect(codes(file(saturdayDefault, WEIHAI_FIRST_YEAR, '2024-11-16'))).toEqual(['claim-window-closed']);
    });

    it('does not know public holidays: around National Day the deadline is Mon–Fri counting', () => {
      // 2024-09-30 (Mon) + 10 working days = 2024-10-14, although 1–7 October were holidays.
      expect(claimDeadline(BusinessDate.parse('2024-09-30'), { days: 10, unit: 'working' }).toString()).toBe(
        '2024-10-14',
      );
    });

    it('still reports every other problem of a late claim', () => {
      const result = fileClaim(
        fridayDefault,
        { loanRef: fridayDefault.loanRef, principalLoss: yuan('400000.01'), defaultedOn: '2024-11-01' },
        { claimId: 'late', bank: 'bank-icbc-wh', filedOn: '2024-11-20' },
        [],
        WEIHAI_FIRST_YEAR,
      );
      expect(codes(result)).toEqual(['claim-window-closed', 'claim-exceeds-reported-loss']);
    });
  });
});
