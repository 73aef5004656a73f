import { BusinessDate, Money, RegionCode, ValidationFailed, type FieldError } from '@ipfin/kernel';

/**
 * A region's reward for products recognised by the national IP office (专利密集型产品认定):
 * `perProduct` for each recognised product, at most `annualCapPerEnterprise` per enterprise per
 * calendar year of recognition. Policy data, never constants in the rules; a policy applies to
 * its region and every region below it that has none of its own.
 */
export interface RewardPolicy {
  /** 6-digit GB/T 2260 code of the region that grants the reward. */
  readonly region: string;
  readonly perProduct: Money;
  readonly annualCapPerEnterprise: Money;
  /** First day in force, inclusive: recognitions from this day on are rewarded. */
  readonly effectiveFrom: BusinessDate;
  /** Last day in force, inclusive; open-ended when absent. */
  readonly effectiveTo?: BusinessDate;
  /** Where the figures come from, e.g. `zhangzhou-2024 §9`. */
  readonly source?: string;
}

/** A policy as configuration or an admin request gives it: decimal strings and `YYYY-MM-DD`. */
export interface RewardPolicyInput {
  readonly region: string;
  readonly perProduct: string;
  readonly annualCapPerEnterprise: string;
  readonly effectiveFrom: string;
  readonly effectiveTo?: string;
  readonly source?: string;
}

/**
 * Checks and builds a policy; every bad field is reported at once (`validation-failed`, 400).
 * A zero amount is allowed (a region may suspend the reward without deleting its policy).
 */
export function rewardPolicy(input: RewardPolicyInput): RewardPolicy {
  const errors: FieldError[] = [];
  const attempt = <T>(field: string, parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (error: unknown) {
      errors.push({ field, message: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
  };
  const region = attempt('region', () => RegionCode.parse(input.region).code);
  const perProduct = attempt('perProduct', () => Money.parse(input.perProduct));
  const cap = attempt('annualCapPerEnterprise', () => Money.parse(input.annualCapPerEnterprise));
  const effectiveFrom = attempt('effectiveFrom', () => BusinessDate.parse(input.effectiveFrom));
  const effectiveTo =
    input.effectiveTo === undefined
      ? undefined
      : attempt('effectiveTo', () => BusinessDate.parse(input.effectiveTo ?? ''));
  if (effectiveFrom !== undefined && effectiveTo !== undefined && effectiveTo.isBefore(effectiveFrom)) {
    errors.push({
      field: 'effectiveTo',
      message: `effectiveTo ${effectiveTo.toString()} is before effectiveFrom ${effectiveFrom.toString()}.`,
    });
  }
  if (
    region === undefined ||
    perProduct === undefined ||
    cap === undefined ||
    effectiveFrom === undefined ||
    errors.length > 0
  ) {
    throw new ValidationFailed(errors);
  }
  return Object.freeze({
    region,
    perProduct,
    annualCapPerEnterprise: cap,
    effectiveFrom,
    ...(effectiveTo === undefined ? {} : { effectiveTo }),
    ...(input.source === undefined ? {} : { source: input.source }),
  });
}

/**
 * Zhangzhou 2024 measures §9: ¥5 000 per product recognised by the national IP office, at most
 * ¥100 000 per enterprise per year. The measures are valid five years from 2 February 2024, so the
 * last day is 1 February 2029.
 */
export const ZHANGZHOU_2024_PRODUCT_REWARD: RewardPolicy = rewardPolicy({
  region: '350600',
  perProduct: '5000.00',
  annualCapPerEnterprise: '100000.00',
  effectiveFrom: '2024-02-02',
  effectiveTo: '2029-02-01',
  source: 'zhangzhou-2024 §9',
});

/** The policies the service seeds on first start. */
export const SEEDED_REWARD_POLICIES: readonly RewardPolicy[] = Object.freeze([ZHANGZHOU_2024_PRODUCT_REWARD]);

export function isPolicyInForce(policy: RewardPolicy, on: BusinessDate): boolean {
  return !on.isBefore(policy.effectiveFrom) && (policy.effectiveTo === undefined || !on.isAfter(policy.effectiveTo));
}

/** Whether two policies of the same region are in force on a common day. */
export function policiesOverlap(a: RewardPolicy, b: RewardPolicy): boolean {
  if (a.region !== b.region) return false;
  const aEndsBeforeB = a.effectiveTo !== undefined && a.effectiveTo.isBefore(b.effectiveFrom);
  const bEndsBeforeA = b.effectiveTo !== undefined && b.effectiveTo.isBefore(a.effectiveFrom);
  return !aEndsBeforeB && !bEndsBeforeA;
}

/**
 * The policy that rewards a recognition of an enterprise in `regionCode` on `on`: the region's
 * own policy in force that day, else that of its nearest ancestor (county → prefecture →
 * province), so Zhangzhou's 350600 policy covers Longhai 350681. `null` when none applies.
 * If a region were given overlapping versions, the one that took effect last wins.
 */
export function findRewardPolicy(
  policies: readonly RewardPolicy[],
  regionCode: string,
  on: BusinessDate,
): RewardPolicy | null {
  const region = RegionCode.parse(regionCode);
  const nearestFirst = [region, ...region.ancestors().reverse()];
  for (const candidate of nearestFirst) {
    const inForce = policies
      .filter((p) => p.region === candidate.code && isPolicyInForce(p, on))
      .sort((a, b) => b.effectiveFrom.compare(a.effectiveFrom));
    if (inForce.length > 0) return inForce[0];
  }
  return null;
}
