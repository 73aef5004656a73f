import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RegionCode } from '@ipfin/kernel';
import { DataSource } from 'typeorm';
import type { PolicyVersion } from './reward-rules';

export type RewardPolicyKind = 'university-transfer-reward' | 'agency-service-subsidy';

/** Reward policy versions of a region and the regions enclosing it. */
@Injectable()
export class PoliciesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async versions<P>(kind: RewardPolicyKind, region: RegionCode | null): Promise<PolicyVersion<P>[]> {
    if (!region) return [];
    const codes = [region.toString(), ...region.ancestors().map((r) => r.toString())];
    const rows: { region: string; effective_from: string; effective_to: string | null; params: P }[] = await this.dataSource.query(
      `select region, effective_from::text as effective_from, effective_to::text as effective_to, params
         from reward_policies where kind = $1 and region = any($2::text[])`,
      [kind, codes],
    );
    return rows.map((r) => ({ region: r.region, effectiveFrom: r.effective_from, effectiveTo: r.effective_to, params: r.params }));
  }
}
