import { Money, RegionCode } from '@ipfin/kernel';

/**
 * Reward rules as data per region (table `reward_policies`, Zhangzhou's seeded). Pure functions
 * of the counts and the policy; choosing the policy is `policyFor`.
 */

export interface PolicyVersion<P> {
  region: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  params: P;
}

/** zhangzhou-2024 §7: ≥ minTransfers invention transfers to local enterprises in a year → base + perExtra each beyond, at most cap. */
export interface UniversityTransferRewardParams {
  minTransfers: number;
  base: string;
  perExtra: string;
  cap: string;
}

/** zhangzhou-2024 §13: all three thresholds met in a year → amount. */
export interface AgencySubsidyParams {
  minEnterprises: number;
  minTransfersAndLicences: number;
  minProductFilings: number;
  amount: string;
}

export function universityTransferReward(transfers: number, p: UniversityTransferRewardParams): Money {
  if (transfers < p.minTransfers) return Money.ZERO;
  const reward = Money.parse(p.base).add(Money.parse(p.perExtra).times(transfers - p.minTransfers));
  return reward.min(Money.parse(p.cap));
}

/**
 * Zhangzhou §13: `patentPledgeEnterprises` are the distinct enterprises the agency's inclusive
 * *patent* pledge registrations benefited in the year (trademark-only pledges do not count).
 */
export function agencySubsidy(
  counts: { patentPledgeEnterprises: number; transfersAndLicences: number; productFilings: number },
  p: AgencySubsidyParams,
): Money | null {
  const earned = counts.patentPledgeEnterprises >= p.minEnterprises && counts.transfersAndLicences >= p.minTransfersAndLicences
    && counts.productFilings >= p.minProductFilings;
  return earned ? Money.parse(p.amount) : null;
}

/**
 * The policy that governs `region` for calendar `year`: the one of the region itself or, failing
 * that, of the nearest enclosing region, in force on at least one day of the year (the latest
 * version when several are). `null` when none applies (or no region was asked).
 */
export function policyFor<P>(versions: readonly PolicyVersion<P>[], region: RegionCode | null, year: number): PolicyVersion<P> | null {
  if (!region) return null;
  const first = `${String(year).padStart(4, '0')}-01-01`;
  const last = `${String(year).padStart(4, '0')}-12-31`;
  for (const code of [region.toString(), ...region.ancestors().reverse().map((r) => r.toString())]) {
    const inForce = versions
      .filter((v) => v.region === code && v.effectiveFrom <= last && (v.effectiveTo === null || v.effectiveTo >= first))
      .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1));
    if (inForce.length > 0) return inForce[0];
  }
  return null;
}
