import { RegionCode } from '@ipfin/kernel';
import { REWARD_POLICY_SEEDS } from '../database/seeds';
import { agencySubsidy, policyFor, universityTransferReward, type AgencySubsidyParams, type PolicyVersion, type UniversityTransferRewardParams } from './reward-rules';

const zhangzhou = REWARD_POLICY_SEEDS.find((p) => p.kind === 'university-transfer-reward')!.params as unknown as UniversityTransferRewardParams;
const subsidy = REWARD_POLICY_SEEDS.find((p) => p.kind === 'agency-service-subsidy')!.params as unknown as AgencySubsidyParams;

describe('Zhangzhou university transfer reward (§7)', () => {
  it.each([
    [0, '0.00'], [5, '0.00'], [6, '30000.00'], [7, '35000.00'], [10, '50000.00'], [59, '295000.00'], [60, '300000.00'], [200, '300000.00'],
  ])('%i invention transfers → ¥%s', (n, reward) => {
    expect(universityTransferReward(n, zhangzhou).toString()).toBe(reward);
  });
});

describe('Zhangzhou service-agency subsidy (§13)', () => {
  it('needs all three thresholds', () => {
    expect(agencySubsidy({ patentPledgeEnterprises: 5, transfersAndLicences: 50, productFilings: 50 }, subsidy)?.toString()).toBe('150000.00');
    expect(agencySubsidy({ patentPledgeEnterprises: 4, transfersAndLicences: 99, productFilings: 99 }, subsidy)).toBeNull();
    expect(agencySubsidy({ patentPledgeEnterprises: 9, transfersAndLicences: 49, productFilings: 99 }, subsidy)).toBeNull();
    expect(agencySubsidy({ patentPledgeEnterprises: 9, transfersAndLicences: 99, productFilings: 49 }, subsidy)).toBeNull();
  });
});

describe('policyFor', () => {
  const versions: PolicyVersion<string>[] = [
    { region: '350600', effectiveFrom: '2024-02-02', effectiveTo: '2029-02-01', params: 'city' },
    { region: '350602', effectiveFrom: '2026-01-01', effectiveTo: null, params: 'county' },
    { region: '350600', effectiveFrom: '2019-01-01', effectiveTo: '2020-12-31', params: 'old' },
  ];

  it('takes the region itself first, then the nearest enclosing region', () => {
    expect(policyFor(versions, RegionCode.parse('350602'), 2026)?.params).toBe('county');
    expect(policyFor(versions, RegionCode.parse('350602'), 2025)?.params).toBe('city');
    expect(policyFor(versions, RegionCode.parse('350603'), 2026)?.params).toBe('city');
  });

  it('applies a version in force on any day of the year, and nothing outside', () => {
    expect(policyFor(versions, RegionCode.parse('350600'), 2024)?.params).toBe('city');
    expect(policyFor(versions, RegionCode.parse('350600'), 2029)?.params).toBe('city');
    expect(policyFor(versions, RegionCode.parse('350600'), 2030)).toBeNull();
    expect(policyFor(versions, RegionCode.parse('350600'), 2022)).toBeNull();
    expect(policyFor(versions, RegionCode.parse('350600'), 2020)?.params).toBe('old');
    expect(policyFor(versions, RegionCode.parse('350500'), 2024)).toBeNull();
    expect(policyFor(versions, RegionCode.parse('350000'), 2024)).toBeNull();
    expect(policyFor(versions, null, 2024)).toBeNull();
  });
});
