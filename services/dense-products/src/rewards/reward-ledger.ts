import { Injectable } from '@nestjs/common';
import { BusinessDate, Money, RegionCode } from '@ipfin/kernel';
import type { EntityManager } from 'typeorm';
import { rewardMessage, type ProductMessage } from '../products/product-messages';
import { ProductRepository, type RecognitionRow, type RewardUpdate } from '../products/product.repository';
import { computeRewards, type RewardChange, type RewardLine } from './domain/reward-computation';
import { findRewardPolicy, type RewardPolicy } from './domain/reward-policy';
import { RewardRepository } from './reward.repository';

/**
 * Brings one enterprise's rewards of one calendar year up to date after a recognition or a
 * withdrawal, inside the caller's transaction, which must hold the year's lock
 * (`RewardRepository.lockYear`) and have stored the decision already. Stores each product's new
 * standing and returns the reward events to write, in line order; none when nothing changed, so
 * a product is never paid twice.
 */
@Injectable()
export class RewardLedger {
  constructor(
    private readonly products: ProductRepository,
    private readonly rewards: RewardRepository,
  ) {}

  async recompute(m: EntityManager, enterpriseUscc: string, year: number, now: Date): Promise<ProductMessage[]> {
    const recognitions = await this.products.recognitionsOfYear(m, enterpriseUscc, year);
    const byId = new Map(recognitions.map((r) => [r.productId, r]));
    const regions = new Set<string>();
    for (const r of recognitions) {
      const region = RegionCode.parse(r.enterpriseRegion);
      for (const code of [region, ...region.ancestors()]) regions.add(code.code);
    }
    const policies = await this.rewards.policies(m, [...regions]);
    const computation = computeRewards(
      recognitions.map((r) => ({
        productId: r.productId,
        enterpriseUscc,
        regionCode: r.enterpriseRegion,
        recognisedOn: r.recognisedOn,
        sequence: r.line,
        withdrawn: r.withdrawn,
        awarded: r.rewardFen === null ? null : Money.fromFen(r.rewardFen),
      })),
      policies,
    );

    const updates: RewardUpdate[] = [];
    const messages: ProductMessage[] = [];
    for (const line of computation.lines) {
      if (line.change === null) continue;
      const row = known(byId, line.productId);
      const sequence = row.lastSequence + 1;
      updates.push({
        productId: line.productId,
        amount: line.amount,
        basis: standingBasis(line, line.change, row, policies),
        policyRegion: line.policyRegion,
        sequence,
      });
      messages.push(
        rewardMessage(line.change, { uscc: enterpriseUscc, regionCode: row.enterpriseRegion }, sequence, now),
      );
    }
    await this.products.saveRewards(m, updates, now);
    await this.rewards.saveYear(m, enterpriseUscc, year, {
      rewarded: computation.total(enterpriseUscc, year),
      recognitions: recognitions.filter((r) => !r.withdrawn).length,
    });
    return messages;
  }
}

function known(byId: ReadonlyMap<string, RecognitionRow>, productId: string): RecognitionRow {
  const row = byId.get(productId);
  if (row === undefined) throw new Error(`reward computation returned unknown product ${productId}`);
  return row;
}

/** Why the product has its amount now, as the product view shows it. */
function standingBasis(
  line: RewardLine,
  change: RewardChange,
  row: RecognitionRow,
  policies: readonly RewardPolicy[],
): string {
  if (change.kind === 'award') return change.basis;
  if (line.withdrawn) return 'recognition-withdrawn';
  const policy = findRewardPolicy(policies, row.enterpriseRegion, BusinessDate.parse(row.recognisedOn));
  if (policy === null) return 'no-policy';
  if (line.amount.equals(policy.perProduct)) return 'per-product';
  return line.amount.isZero() ? 'cap-reached' : 'cap-remainder';
}
