import { Money, type DateLike } from '@ipfin/kernel';
import type { FilingEnterprise } from '../../../products/domain/product';
import { minxinValves } from '../../../products/domain/scenarios/zhangzhou.fixtures';
import { computeRewards, type RecognitionForReward, type RewardChange } from '../reward-computation';
import { rewardPolicy, type RewardPolicy } from '../reward-policy';

/**
 * What the service does around `computeRewards`: keeps every recognition with what it was awarded,
 * recomputes the enterprise's year after each recognition or withdrawal, stores the new amounts
 * and "emits" the changes. Lets a scenario read like the regulator's day.
 */
export class RewardLedger {
  private readonly recognitions = new Map<string, RecognitionForReward>();
  private sequence = 0;
  /** Every change emitted so far, in order: what went out on `ipfin.products.v1`. */
  readonly emitted: RewardChange[] = [];

  constructor(private readonly policies: RewardPolicy | readonly RewardPolicy[]) {}

  recognise(productId: string, recognisedOn: DateLike, enterprise: FilingEnterprise = minxinValves): RewardChange[] {
    this.sequence += 1;
    this.recognitions.set(productId, {
      productId,
      enterpriseUscc: enterprise.uscc,
      regionCode: enterprise.regionCode,
      recognisedOn,
      sequence: this.sequence,
      withdrawn: false,
      awarded: null,
    });
    return this.recompute();
  }

  withdraw(productId: string): RewardChange[] {
    const recognition = this.recognitions.get(productId);
    if (recognition === undefined) throw new Error(`no recognition ${productId}`);
    this.recognitions.set(productId, { ...recognition, withdrawn: true });
    return this.recompute();
  }

  /** Recomputes without any new fact: must change nothing (never twice). */
  recompute(): RewardChange[] {
    const { changes } = computeRewards([...this.recognitions.values()], this.policies);
    for (const change of changes) {
      const recognition = this.recognitions.get(change.productId);
      if (recognition !== undefined)
        this.recognitions.set(change.productId, { ...recognition, awarded: change.amount });
    }
    this.emitted.push(...changes);
    return [...changes];
  }

  amountOf(productId: string): string {
    return (this.recognitions.get(productId)?.awarded ?? Money.ZERO).toString();
  }

  /** Σ emitted deltas for the enterprise and year: what the metrics service would total. */
  paidOut(year: number, enterprise: FilingEnterprise = minxinValves): string {
    return Money.sum(
      this.emitted
        .filter((c) => c.year === year && c.enterpriseUscc === enterprise.uscc)
        .map((c) => (c.kind === 'award' ? c.amount : c.change)),
    ).toString();
  }
}

/** A Zhangzhou-shaped policy with other figures, e.g. ¥30 000 per product against a ¥100 000 cap. */
export function policyOf(
  perProduct: string,
  annualCapPerEnterprise: string,
  region = '350600',
  effectiveFrom = '2024-02-02',
  effectiveTo?: string,
): RewardPolicy {
  return rewardPolicy({
    region,
    perProduct,
    annualCapPerEnterprise,
    effectiveFrom,
    ...(effectiveTo === undefined ? {} : { effectiveTo }),
  });
}

export const productNo = (n: number): string => `prod-2024-${String(n).padStart(3, '0')}`;
