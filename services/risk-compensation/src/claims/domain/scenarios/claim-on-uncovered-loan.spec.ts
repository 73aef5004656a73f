import type { CoverageRule } from '@ipfin/contracts';
import type { FundPolicy } from '../../../funds/domain/fund-policy';
import { fileClaim } from '../claim';
import { decideCoverage } from '../coverage';
import type { CoveredLoan } from '../covered-loan';
import {
  ZZ,
  borrower,
  contractErrors,
  defaulted,
  disbursed,
  foldLoan,
  known,
  policy,
  registered,
  yuan,
  zhangzhouWith,
  type RegistrationSpec,
} from './scenario-fixtures';

/**
 * Coverage is decided at registration under the policy in force that day, by the nearest fund of
 * the borrower's region; a claim on a loan that is not covered is refused with the coverage reasons.
 */
describe('claim on an uncovered loan', () => {
  const xiangcheng = borrower('350602', 'MA31ABCD5', 'small', '漳州市芗城区芯创电子科技有限公司');

  /** Registers, disburses and defaults a loan; returns the view and the events published. */
  function lifecycle(spec: Partial<RegistrationSpec> & { loanRef: string }, policies: readonly FundPolicy[]) {
    const ref = { bank: spec.bank ?? 'bank-icbc-zz', loanRef: spec.loanRef };
    const principal = spec.principal ?? '1000000.00';
    const folded = foldLoan(
      [
        registered({
          ...ref,
          borrower: spec.borrower ?? xiangcheng,
          principal,
          occurredOn: spec.occurredOn ?? '2024-03-01',
          termMonths: spec.termMonths,
        }),
        disbursed(ref, `${ref.loanRef}-d1`, '2024-03-05', principal),
        defaulted(ref, `${ref.loanRef}-def`, '2025-03-03', '200000.00'),
      ],
      policies,
    );
    return { loan: known(folded), events: folded.events };
  }

  function claimOn(loan: CoveredLoan, policies: readonly FundPolicy[]) {
    const covering = policies.find((p) => p.region === loan.region && p.effectiveFrom === loan.policyVersion) ?? null;
    return fileClaim(
      loan,
      { loanRef: loan.loanRef, principalLoss: yuan('200000.00'), defaultedOn: '2025-03-03' },
      { claimId: 'c1', bank: loan.bank, filedOn: '2025-03-10' },
      [],
      loan.covered ? covering : null,
    );
  }

  const rules = (loan: CoveredLoan): CoverageRule[] => loan.reasons.map((r) => r.rule);

  it.each<[string, Partial<RegistrationSpec>, FundPolicy[], string | null, CoverageRule[]]>([
    ['a bank that is not cooperating', { bank: 'bank-hxb-zz' }, [ZZ], '350600', ['bank-not-cooperating']],
    [
      'a large borrower',
      { borrower: borrower('350602', 'MA31LRG07', 'large', '漳州重工集团有限公司') },
      [ZZ],
      '350600',
      ['borrower-size'],
    ],
    [
      'a principal above the maximum',
      { principal: '12000000.00' },
      [zhangzhouWith({ maxPrincipal: '10000000.00' })],
      '350600',
      ['max-principal'],
    ],
    ['a term above the maximum', { termMonths: 60 }, [zhangzhouWith({ maxTermMonths: 36 })], '350600', ['max-term']],
    ['a registration before the policy took effect', { occurredOn: '2024-01-15' }, [ZZ], '350600', ['no-policy']],
    [
      "a borrower outside the cooperating fund's region",
      { borrower: borrower('350203', 'MA8XM0012', 'small', '厦门海沧新材料有限公司') },
      [ZZ],
      '350600',
      ['borrower-outside-region'],
    ],
    [
      'no fund at all for the borrower or the bank',
      { bank: 'bank-xmccb', borrower: borrower('350203', 'MA8XM0012') },
      [ZZ],
      null,
      ['no-policy'],
    ],
    [
      'every failing rule at once',
      { bank: 'bank-hxb-zz', borrower: borrower('350602', 'MA31LRG07', 'large') },
      [ZZ],
      '350600',
      ['bank-not-cooperating', 'borrower-size'],
    ],
  ])('refuses a claim on a loan with %s', (_case, spec, policies, region, expected) => {
    const { loan, events } = lifecycle({ ...spec, loanRef: 'ZZ-2024-000900' }, policies);

    expect(loan).toMatchObject({ covered: false, region });
    expect(rules(loan)).toEqual(expected);

    const result = claimOn(loan, policies);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.code)).toEqual(['loan-not-covered']);
    expect(result.problems[0].context).toEqual({
      reasons: loan.reasons.map((r) => ({ rule: r.rule, detail: r.detail })),
    });

    // The fund concerned hears of the loan, covered or not; with no fund concerned nothing is published.
    if (region === null) {
      expect(events).toEqual([]);
    } else {
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'LoanCovered',
        key: region,
        data: { covered: false, cause: 'registered', reasons: loan.reasons },
      });
      expect(contractErrors(events)).toEqual([]);
    }
  });

  it('publishes LoanCovered { covered: true } with the policy version for a qualifying loan', () => {
    const { loan, events } = lifecycle({ loanRef: 'ZZ-2024-000901' }, [ZZ]);
    expect(loan.covered).toBe(true);
    expect(events).toEqual([
      {
        type: 'LoanCovered',
        key: '350600',
        data: {
          region: '350600',
          bank: 'bank-icbc-zz',
          loanRef: 'ZZ-2024-000901',
          registrationEventId: 'ZZ-2024-000901-reg',
          covered: true,
          reasons: [],
          policyVersion: '2024-02-02',
          borrower: { uscc: xiangcheng.uscc, size: 'small', regionCode: '350602' },
          principal: '1000000.00',
          registeredOn: '2024-03-01',
          cause: 'registered',
        },
      },
    ]);
    expect(contractErrors(events)).toEqual([]);
  });

  it("judges by the registration date: a loan registered on the policy's last day is covered, the next day not", () => {
    const judge = (occurredOn: string) =>
      decideCoverage([ZZ], {
        bank: 'bank-icbc-zz',
        borrower: { size: 'micro', regionCode: '350602' },
        principal: yuan('500000.00'),
        termMonths: 12,
        registeredOn: occurredOn,
      });
    expect(judge('2029-02-01')).toMatchObject({ covered: true, policyVersion: '2024-02-02' });
    expect(judge('2029-02-02')).toMatchObject({ covered: false, region: '350600', reasons: [{ rule: 'no-policy' }] });
  });

  describe('the nearest fund decides', () => {
    const zhangpuCounty = policy('350623', {
      effectiveFrom: '2024-06-01',
      fundSharePercent: '70',
      cooperatingBanks: ['bank-zzrcb'],
      borrowerSizes: ['micro', 'small'],
    });
    const policies = [ZZ, zhangpuCounty];

    it('a county fund with a policy in force judges its own borrowers, without falling back to the city fund', () => {
      const { loan } = lifecycle(
        { loanRef: 'ZP-2024-0001', occurredOn: '2024-07-01', borrower: borrower('350623', 'MA2KP0017') },
        policies,
      );
      expect(loan).toMatchObject({ covered: false, region: '350623', policyVersion: '2024-06-01' });
      expect(rules(loan)).toEqual(['bank-not-cooperating']);
    });

    it('before the county policy takes effect, the city fund covers the county', () => {
      const { loan } = lifecycle(
        { loanRef: 'ZP-2024-0002', occurredOn: '2024-05-20', borrower: borrower('350623', 'MA2KP0017') },
        policies,
      );
      expect(loan).toMatchObject({ covered: true, region: '350600', policyVersion: '2024-02-02' });
    });

    it('other counties stay with the city fund', () => {
      const { loan } = lifecycle({ loanRef: 'ZZ-2024-0003', occurredOn: '2024-07-01' }, policies);
      expect(loan).toMatchObject({ covered: true, region: '350600' });
    });
  });
});
