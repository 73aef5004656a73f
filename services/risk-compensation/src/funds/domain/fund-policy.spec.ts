import { BusinessDate } from '@ipfin/kernel';
import {
  foldLoan,
  known,
  borrower,
  registered,
  contractErrors,
  policy,
  zhangzhouWith,
} from '../../claims/domain/scenarios/scenario-fixtures';
import { reassessCoverage } from '../../claims/domain/covered-loan';
import {
  parseFundPolicy,
  policyInForce,
  upsertPolicyVersion,
  type FundPolicy,
  type FundPolicyInput,
} from './fund-policy';
import { ZHANGZHOU_POLICY, ZHANGZHOU_POLICY_INPUT, policiesToSeed } from './fund-policy.seeds';

describe('fund policy as versioned data per region', () => {
  describe('the Zhangzhou seed', () => {
    it('runs five years from 2 February 2024 at 80 % for SMEs', () => {
      expect(ZHANGZHOU_POLICY).toMatchObject({
        region: '350600',
        effectiveFrom: '2024-02-02',
        effectiveTo: '2029-02-01',
        fundSharePercent: '80',
        borrowerSizes: ['micro', 'small', 'medium'],
      });
      expect(ZHANGZHOU_POLICY.cooperatingBanks).toContain('bank-icbc-zz');
      expect(BusinessDate.parse('2029-02-01').diffDays(BusinessDate.parse('2024-02-02')) + 1).toBe(5 * 365 + 2);
    });

    it('is seeded once and never over a version a fund manager has put in its place', () => {
      expect(policiesToSeed([])).toEqual([ZHANGZHOU_POLICY]);
      const edited = zhangzhouWith({ cooperatingBanks: ['bank-icbc-zz'] });
      expect(policiesToSeed([edited])).toEqual([]);
    });
  });

  describe('parseFundPolicy', () => {
    const base: FundPolicyInput = {
      effectiveFrom: '2025-01-01',
      fundSharePercent: 80,
      cooperatingBanks: ['bank-b', 'bank-a', 'bank-a'],
      borrowerSizes: ['small', 'micro'],
    };
    const parse = (extra: Partial<FundPolicyInput>) => parseFundPolicy('350600', { ...base, ...extra });
    const fields = (extra: Partial<FundPolicyInput>, region = '350600') => {
      const result = parseFundPolicy(region, { ...base, ...extra });
      return result.ok ? [] : (result.problem.errors ?? []).map((e) => e.field);
    };

    it('normalises percents, banks and sizes into a canonical form', () => {
      expect(parse({ fundSharePercent: '80.00' })).toMatchObject({
        ok: true,
        policy: { fundSharePercent: '80', cooperatingBanks: ['bank-a', 'bank-b'], borrowerSizes: ['micro', 'small'] },
      });
      expect(parse({ fundSharePercent: '62.50' })).toMatchObject({ ok: true, policy: { fundSharePercent: '62.5' } });
      expect(parse({ fundSharePercent: '0' })).toMatchObject({ ok: true, policy: { fundSharePercent: '0' } });
      expect(parse({ fundSharePercent: '100.0' })).toMatchObject({ ok: true, policy: { fundSharePercent: '100' } });
    });

    it('accepts a claim window in calendar days by default, or in working days', () => {
      expect(parse({ claimWindowDays: 30 })).toMatchObject({
        ok: true,
        policy: { claimWindow: { days: 30, unit: 'calendar' } },
      });
      expect(parse({ claimWindowDays: 10, claimWindowUnit: 'working' })).toMatchObject({
        ok: true,
        policy: { claimWindow: { days: 10, unit: 'working' } },
      });
    });

    it.each<[string, Partial<FundPolicyInput>, string[]]>([
      ['a percent above 100', { fundSharePercent: '100.5' }, ['fundSharePercent']],
      ['a fractional JSON number', { fundSharePercent: 62.5 }, ['fundSharePercent']],
      ['more than four decimals', { fundSharePercent: '33.33333' }, ['fundSharePercent']],
      ['an impossible date', { effectiveFrom: '2025-02-29' }, ['effectiveFrom']],
      ['an end before the start', { effectiveTo: '2024-12-31' }, ['effectiveTo']],
      ['no borrower size', { borrowerSizes: [] }, ['borrowerSizes']],
      ['an unknown size', { borrowerSizes: ['tiny'] }, ['borrowerSizes[0]']],
      ['a blank bank', { cooperatingBanks: [' '] }, ['cooperatingBanks[0]']],
      ['a zero cap', { perLoanCap: '0.00' }, ['perLoanCap']],
      ['a malformed maximum', { maxPrincipal: '1e6' }, ['maxPrincipal']],
      ['a unit without days', { claimWindowUnit: 'working' }, ['claimWindowUnit']],
      ['an unknown unit', { claimWindowDays: 10, claimWindowUnit: 'business' }, ['claimWindowUnit']],
      ['a zero window', { claimWindowDays: 0 }, ['claimWindowDays']],
      ['a fractional term', { maxTermMonths: 1.5 }, ['maxTermMonths']],
    ])('refuses %s', (_case, extra, expected) => {
      expect(fields(extra)).toEqual(expected);
    });

    it('refuses a malformed region', () => {
      expect(fields({}, '3506')).toEqual(['region']);
    });
  });

  describe('upsertPolicyVersion', () => {
    const v = (effectiveFrom: string, effectiveTo?: string, percent = 80): FundPolicy =>
      policy('350600', { ...ZHANGZHOU_POLICY_INPUT, effectiveFrom, effectiveTo, fundSharePercent: percent });

    it('adds a version for a new effectiveFrom and publishes PolicySet', () => {
      const result = upsertPolicyVersion([ZHANGZHOU_POLICY], v('2029-02-02', undefined, 70));
      expect(result).toMatchObject({
        outcome: 'added',
        event: { region: '350600', effectiveFrom: '2029-02-02', fundSharePercent: '70', change: 'added' },
      });
      if (result.outcome !== 'added') return;
      expect(result.versions.map((p) => p.effectiveFrom)).toEqual(['2024-02-02', '2029-02-02']);
      expect(contractErrors([{ type: 'PolicySet', key: '350600', data: result.event }])).toEqual([]);
    });

    it('replaces the version with the same effectiveFrom', () => {
      const corrected = v('2024-02-02', '2029-02-01', 75);
      const result = upsertPolicyVersion([ZHANGZHOU_POLICY], corrected);
      expect(result).toMatchObject({
        outcome: 'replaced',
        previous: ZHANGZHOU_POLICY,
        event: { fundSharePercent: '75', change: 'replaced' },
      });
      if (result.outcome === 'replaced') expect(result.versions).toEqual([corrected]);
    });

    it('publishes nothing for an identical re-submission', () => {
      expect(upsertPolicyVersion([ZHANGZHOU_POLICY], v('2024-02-02', '2029-02-01'))).toMatchObject({
        outcome: 'unchanged',
        policy: ZHANGZHOU_POLICY,
      });
    });

    it('refuses overlapping periods with 409 policy-period-overlap', () => {
      expect(upsertPolicyVersion([ZHANGZHOU_POLICY], v('2029-02-01'))).toMatchObject({
        outcome: 'conflict',
        problem: { code: 'policy-period-overlap', context: { conflictingVersion: '2024-02-02' } },
      });
      const openEnded = v('2024-02-02');
      expect(upsertPolicyVersion([openEnded], v('2030-01-01'))).toMatchObject({ outcome: 'conflict' });
      // A version that starts earlier and runs into the existing one overlaps too.
      expect(upsertPolicyVersion([ZHANGZHOU_POLICY], v('2023-01-01', '2024-02-02'))).toMatchObject({
        outcome: 'conflict',
      });
      expect(upsertPolicyVersion([ZHANGZHOU_POLICY], v('2023-01-01', '2024-02-01'))).toMatchObject({
        outcome: 'added',
      });
    });

    it("ignores other regions' versions", () => {
      const weihai = policy('371002', { ...ZHANGZHOU_POLICY_INPUT, fundSharePercent: 60 });
      const result = upsertPolicyVersion([weihai], ZHANGZHOU_POLICY);
      expect(result).toMatchObject({ outcome: 'added', versions: [ZHANGZHOU_POLICY] });
    });
  });

  it('policyInForce finds the version whose period holds the date, both ends inclusive', () => {
    const later = policy('350600', {
      ...ZHANGZHOU_POLICY_INPUT,
      effectiveFrom: '2029-02-02',
      effectiveTo: undefined,
      fundSharePercent: 70,
    });
    const versions = [ZHANGZHOU_POLICY, later];
    expect(policyInForce(versions, '2024-02-01')).toBeNull();
    expect(policyInForce(versions, '2024-02-02')).toBe(ZHANGZHOU_POLICY);
    expect(policyInForce(versions, '2029-02-01')).toBe(ZHANGZHOU_POLICY);
    expect(policyInForce(versions, BusinessDate.parse('2029-02-02'))).toBe(later);
    expect(policyInForce(versions, '2040-01-01')).toBe(later);
  });

  describe('reassessing coverage after a version is replaced', () => {
    const hxbLoan = () =>
      known(
        foldLoan(
          [
            registered({
              bank: 'bank-hxb-zz',
              loanRef: 'ZZ-2024-000950',
              borrower: borrower('350602', 'MA31ABCD5'),
              principal: '400000.00',
              occurredOn: '2024-08-01',
            }),
          ],
          [ZHANGZHOU_POLICY],
        ),
      );

    it('covers a loan once its bank is added to the version in force at registration', () => {
      const loan = hxbLoan();
      expect(loan.covered).toBe(false);
      const corrected = zhangzhouWith({ cooperatingBanks: [...ZHANGZHOU_POLICY.cooperatingBanks, 'bank-hxb-zz'] });
      const step = reassessCoverage(loan, [corrected]);
      expect(step.loan).toMatchObject({ covered: true, reasons: [] });
      expect(step.events).toHaveLength(1);
      expect(step.events[0]).toMatchObject({
        key: '350600',
        data: { covered: true, cause: 'policy-changed', policyVersion: '2024-02-02' },
      });
      expect(contractErrors(step.events)).toEqual([]);
    });

    it('publishes nothing when the outcome does not change', () => {
      const loan = hxbLoan();
      expect(reassessCoverage(loan, [zhangzhouWith({ fundSharePercent: 75 })])).toEqual({ loan, events: [] });
    });

    it('tells the old fund first when a nearer fund takes the loan over', () => {
      const loan = hxbLoan();
      const county = policy('350602', {
        effectiveFrom: '2024-07-01',
        fundSharePercent: 50,
        cooperatingBanks: ['bank-hxb-zz'],
        borrowerSizes: ['small'],
      });
      const step = reassessCoverage(loan, [ZHANGZHOU_POLICY, county]);
      expect(step.events.map((e) => [e.key, e.data.covered])).toEqual([
        ['350600', false],
        ['350602', true],
      ]);
      expect(step.loan).toMatchObject({ region: '350602', covered: true, policyVersion: '2024-07-01' });
    });
  });
});
