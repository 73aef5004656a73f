import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RegionCode } from '@ipfin/kernel';
import { DataSource } from 'typeorm';
import type { PolicyVersion } from './reward-rules';

export type RewardPolicyKind = 'university-transfer-reward' | 'agency-service-subsidy';

interface PolicyRow { kind: string; region: string; effective_from: string; effective_to: string | null; params: unknown }

/**
 * Reward policy versions of a region and the regions enclosing it. Policies are data that only
 * migrations write, so all of them are kept in memory with the last migration applied when they
 * were read (`migrationOf` a report's version) and read again once another has been.
 */
@Injectable()
export class PoliciesRepository {
  private loaded: { migration: string; rows: Promise<PolicyRow[]> } | null = null;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The policies of `kind` for `region`, as they are after `migration` (the last migration applied). */
  async versions<P>(kind: RewardPolicyKind, region: RegionCode | null, migration: string): Promise<PolicyVersion<P>[]> {
    if (!region) return [];
    if (this.loaded?.migration !== migration) {
      const rows = this.dataSource.query<PolicyRow[]>(
        `select kind, region, effective_from::text as effective_from, effective_to::text as effective_to, params from reward_policies`,
      );
      this.loaded = { migration, rows };
      // A failed read is not kept: the next request reads again.
      rows.catch(() => { if (this.loaded?.rows === rows) this.loaded = null; });
    }
    const codes = new Set([region.toString(), ...region.ancestors().map((r) => r.toString())]);
    return (await this.loaded.rows)
      .filter((r) => r.kind === kind && codes.has(r.region))
      .map((r) => ({ region: r.region, effectiveFrom: r.effective_from, effectiveTo: r.effective_to, params: r.params as P }));
  }
}
