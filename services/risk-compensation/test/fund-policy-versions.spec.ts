/**
 * Policy versions per fund region against the real PostgreSQL: the Zhangzhou seed is applied once
 * and never over a fund manager's edit; versions are replaced by effectiveFrom, added otherwise,
 * overlaps refused; Weihai's shape is expressible; a change re-judges the loans it concerns and
 * publishes `PolicySet` and `LoanCovered` (cause `policy-changed`), except for loans whose claim
 * terms were fixed by an approval.
 */
import { fixedClock, isDomainError } from '@ipfin/kernel';
import type { TestSchema } from '@ipfin/testing';
import type { DataSource } from 'typeorm';
import { ZHANGZHOU_POLICY_INPUT } from '../src/funds/domain/fund-policy.seeds';
import type { PutFundPolicyDto } from '../src/funds/dto/put-fund-policy.dto';
import {
  bankOf, defaultedLoan, deliver, envelope, fundOf, outboxRows, registered, riskSchema, riskServices, smeBorrower, ZHANGZHOU,
  type RiskServices,
} from './support/risk-kit';

let db: TestSchema & { pooled: DataSource };
let svc: RiskServices;
const clock = fixedClock('2025-06-10T03:00:00Z');
const FUND = fundOf(ZHANGZHOU);

const zhangzhou = (extra: Partial<PutFundPolicyDto> = {}): PutFundPolicyDto => ({
  effectiveFrom: ZHANGZHOU_POLICY_INPUT.effectiveFrom,
  effectiveTo: ZHANGZHOU_POLICY_INPUT.effectiveTo,
  fundSharePercent: 80,
  cooperatingBanks: [...ZHANGZHOU_POLICY_INPUT.cooperatingBanks],
  borrowerSizes: ['micro', 'small', 'medium'],
  ...extra,
});

async function refusal(promise: Promise<unknown>): Promise<{ code: string; kind: string; detail: string }> {
  try {
    await promise;
  } catch (error: unknown) {
    if (isDomainError(error)) return { code: error.code, kind: error.kind, detail: error.detail };
    throw error;
  }
  throw new Error('expected a refusal');
}

const coverageOf = (bank: string, loanRef: string) => svc.claims.coverage(bankOf(bank), bank, loanRef);

beforeAll(async () => {
  db = await riskSchema('risk_policy');
  svc = riskServices(db.dataSource, db.schema, clock);
});

afterAll(async () => {
  await db?.drop();
});

describe('seeded and versioned fund policies', () => {
  it('seeds Zhangzhou once, and judges loans that arrived before the seed', async () => {
    // A loan consumed before the service ever seeded: no fund has a policy yet.
    await deliver(db.dataSource, db.schema, svc.consumer, [envelope(registered({ bank: 'bank-icbc-zz', loanRef: 'EARLY-1' }, { serial: 31 }))]);
    expect(await coverageOf('bank-icbc-zz', 'EARLY-1')).toMatchObject({ covered: false, region: null });

    expect((await svc.policies.seed()).map((p) => `${p.region}@${p.effectiveFrom}`)).toEqual(['350600@2024-02-02']);
    expect(await svc.policies.seed()).toEqual([]);
    const versions = await svc.policies.versions(ZHANGZHOU);
    expect(versions.items).toEqual([
      expect.objectContaining({ region: ZHANGZHOU, effectiveFrom: '2024-02-02', effectiveTo: '2029-02-01', fundSharePercent: '80', borrowerSizes: ['micro', 'small', 'medium'] }),
    ]);
    expect(versions.items[0].cooperatingBanks).toContain('bank-icbc-zz');
    expect(await outboxRows(db.dataSource, 'PolicySet')).toHaveLength(1);
    expect(await coverageOf('bank-icbc-zz', 'EARLY-1')).toMatchObject({ covered: true, region: ZHANGZHOU, policyVersion: '2024-02-02' });
    const [covered] = await outboxRows(db.dataSource, 'LoanCovered');
    expect(covered.payload).toMatchObject({ loanRef: 'EARLY-1', covered: true, cause: 'policy-changed' });
  });

  it("keeps a fund manager's correction over the seed and re-judges the loans it concerns", async () => {
    await deliver(db.dataSource, db.schema, svc.consumer, [envelope(registered({ bank: 'bank-hxb-zz', loanRef: 'HX-2' }, { serial: 32 }))]);
    expect((await coverageOf('bank-hxb-zz', 'HX-2')).reasons.map((r) => r.rule)).toEqual(['bank-not-cooperating']);

    const put = await svc.policies.put(FUND, ZHANGZHOU, zhangzhou({ cooperatingBanks: [...ZHANGZHOU_POLICY_INPUT.cooperatingBanks, 'bank-hxb-zz'], claimWindowDays: 90 }));
    expect(put).toMatchObject({ change: 'replaced', claimWindowDays: 90, claimWindowUnit: 'calendar' });
    expect(await coverageOf('bank-hxb-zz', 'HX-2')).toMatchObject({ covered: true, reasons: [] });
    expect(await svc.policies.seed()).toEqual([]);
    const [stored] = (await svc.policies.versions(ZHANGZHOU)).items;
    expect(stored.cooperatingBanks).toContain('bank-hxb-zz');
    expect(stored.claimWindowDays).toBe(90);

    const again = await svc.policies.put(FUND, ZHANGZHOU, zhangzhou({ cooperatingBanks: [...ZHANGZHOU_POLICY_INPUT.cooperatingBanks, 'bank-hxb-zz'], claimWindowDays: 90 }));
    expect(again.change).toBe('unchanged');
    expect((await outboxRows(db.dataSource, 'PolicySet')).map((e) => e.payload.change)).toEqual(['added', 'replaced']);
  });

  it('refuses an overlapping period (409), an invalid one (400) and another region’s fund (403)', async () => {
    expect(await refusal(svc.policies.put(FUND, ZHANGZHOU, zhangzhou({ effectiveFrom: '2025-01-01', effectiveTo: undefined })))).toMatchObject({ code: 'policy-period-overlap', kind: 'conflict' });
    expect(await refusal(svc.policies.put(FUND, ZHANGZHOU, zhangzhou({ effectiveFrom: '2030-01-01', effectiveTo: '2029-12-31' })))).toMatchObject({ code: 'invalid-policy', kind: 'validation' });
    expect(await refusal(svc.policies.put(fundOf('350500'), ZHANGZHOU, zhangzhou()))).toMatchObject({ code: 'region-forbidden', kind: 'forbidden' });
    expect(await refusal(svc.policies.put(bankOf('bank-icbc-zz'), ZHANGZHOU, zhangzhou()))).toMatchObject({ kind: 'forbidden' });
    // A later version after the seeded period is a new version.
    expect(await svc.policies.put(FUND, ZHANGZHOU, zhangzhou({ effectiveFrom: '2029-02-02', effectiveTo: undefined, fundSharePercent: '62.5' }))).toMatchObject({ change: 'added', fundSharePercent: '62.5' });
    expect((await svc.policies.versions(ZHANGZHOU)).items.map((v) => v.effectiveFrom)).toEqual(['2024-02-02', '2029-02-02']);
  });

  it("expresses Weihai's shape: 60 %, ¥1 m per loan, 10 working days", async () => {
    const weihai = await svc.policies.put(fundOf('371002'), '371002', {
      fundSharePercent: 60, effectiveFrom: '2024-02-20', effectiveTo: '2025-02-19', cooperatingBanks: ['bank-whccb'],
      borrowerSizes: ['micro', 'small', 'medium'], perLoanCap: '1000000.00', claimWindowDays: 10, claimWindowUnit: 'working',
    });
    expect(weihai).toMatchObject({ change: 'added', fundSharePercent: '60', perLoanCap: '1000000.00', claimWindowDays: 10, claimWindowUnit: 'working' });
  });

  it("gives a fund's first version the loans of its region registered before its period, as no-policy", async () => {
    // Longyan (350800) has no fund yet: a loan of 2023 concerns no fund.
    await deliver(db.dataSource, db.schema, svc.consumer, [envelope(registered({ bank: 'bank-ly-1', loanRef: 'LY-1' }, { borrower: smeBorrower(51, '350802'), occurredOn: '2023-01-10' }))]);
    expect(await coverageOf('bank-ly-1', 'LY-1')).toMatchObject({ covered: false, region: null });
    await svc.policies.put(fundOf('350800'), '350800', { fundSharePercent: 70, effectiveFrom: '2024-01-01', cooperatingBanks: ['bank-ly-1'], borrowerSizes: ['small'] });
    // The nearest fund with a version owns a loan no policy was in force for (decideCoverage), whatever the date.
    const coverage = await coverageOf('bank-ly-1', 'LY-1');
    expect(coverage).toMatchObject({ covered: false, region: '350800', reasons: [expect.objectContaining({ rule: 'no-policy' })] });
    expect(coverage.policyVersion).toBeUndefined();
    const told = (await outboxRows(db.dataSource, 'LoanCovered')).filter((e) => e.payload.loanRef === 'LY-1');
    expect(told.map((e) => [e.key, e.payload.covered, e.payload.cause])).toEqual([['350800', false, 'policy-changed']]);
  });

  it('gives a loan to a newly set fund of its region, but never re-judges a loan whose claim was approved', async () => {
    // Two Quanzhou loans, before Quanzhou has a policy.
    await deliver(db.dataSource, db.schema, svc.consumer, [
      ...defaultedLoan({ bank: 'bank-qz-1', loanRef: 'QZ-1' }, 41, '10000.00').map((e) => envelope(e.type === 'LoanRegistered' ? registered({ bank: 'bank-qz-1', loanRef: 'QZ-1' }, { borrower: smeBorrower(41, '350583') }) : e)),
      envelope(registered({ bank: 'bank-qz-1', loanRef: 'QZ-2' }, { borrower: smeBorrower(42, '350502') })),
    ]);
    expect(await coverageOf('bank-qz-1', 'QZ-1')).toMatchObject({ covered: false, region: null });
    const quanzhou = { fundSharePercent: 50, effectiveFrom: '2016-01-01', cooperatingBanks: ['bank-qz-1'], borrowerSizes: ['micro', 'small'] } as PutFundPolicyDto;
    await svc.policies.put(fundOf('350500'), '350500', quanzhou);
    expect(await coverageOf('bank-qz-1', 'QZ-1')).toMatchObject({ covered: true, region: '350500', policyVersion: '2016-01-01' });
    expect(await coverageOf('bank-qz-1', 'QZ-2')).toMatchObject({ covered: true, region: '350500' });

    // QZ-1's claim is approved (it waits: the fund has no capital); then the bank leaves the list.
    const claim = await svc.claims.file(bankOf('bank-qz-1', '350500'), { loanRef: 'QZ-1', principalLoss: '10000.00', defaultedOn: '2025-05-20' });
    expect(await svc.claims.approve(fundOf('350500'), claim.id)).toMatchObject({ status: 'waiting', fundShare: '5000.00' });
    await svc.policies.put(fundOf('350500'), '350500', { ...quanzhou, cooperatingBanks: ['bank-qz-9'] });
    expect(await coverageOf('bank-qz-1', 'QZ-1')).toMatchObject({ covered: true });
    expect(await coverageOf('bank-qz-1', 'QZ-2')).toMatchObject({ covered: false, reasons: [expect.objectContaining({ rule: 'bank-not-cooperating' })] });
    const changes = (await outboxRows(db.dataSource, 'LoanCovered')).filter((e) => e.key === '350500').map((e) => [e.payload.loanRef, e.payload.covered, e.payload.cause]);
    expect(changes).toEqual([['QZ-1', true, 'policy-changed'], ['QZ-2', true, 'policy-changed'], ['QZ-2', false, 'policy-changed']]);
  });
});
