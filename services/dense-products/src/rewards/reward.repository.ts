import { Injectable } from '@nestjs/common';
import { Money } from '@ipfin/kernel';
import type { EntityManager } from 'typeorm';
import { rewardPolicy, type RewardPolicy } from './domain/reward-policy';

/** SQL of the reward policies and of the per-enterprise, per-year reward rows. */
@Injectable()
export class RewardRepository {
  /**
   * Locks the enterprise's reward year until the transaction ends, creating its row on first use.
   * Every computation of that year's rewards holds it, so two recognitions (or a recognition and a
   * withdrawal) of one enterprise and year are computed one after the other, whichever process runs them.
   */
  async lockYear(m: EntityManager, enterpriseUscc: string, year: number): Promise<void> {
    await m.query(
      `insert into reward_years (enterprise_uscc, year) values ($1, $2)
       on conflict (enterprise_uscc, year) do update set updated_at = reward_years.updated_at`,
      [enterpriseUscc, year],
    );
  }

  async saveYear(
    m: EntityManager,
    enterpriseUscc: string,
    year: number,
    totals: { rewarded: Money; recognitions: number },
  ): Promise<void> {
    await m.query(
      'update reward_years set rewarded_fen = $3, recognitions = $4, updated_at = now() where enterprise_uscc = $1 and year = $2',
      [enterpriseUscc, year, totals.rewarded.fen.toString(), totals.recognitions],
    );
  }

  /** The next position in the recognition line (breaks ties between recognitions of the same day). */
  async nextLine(m: EntityManager): Promise<bigint> {
    const rows: { line: string }[] = await m.query(`select nextval('recognition_line_seq')::text as line`);
    return BigInt(rows[0].line);
  }

  /** Every policy version of these regions. */
  async policies(m: EntityManager, regions: readonly string[]): Promise<RewardPolicy[]> {
    if (regions.length === 0) return [];
    const rows: {
      region: string;
      effective_from: string;
      effective_to: string | null;
      per_product_fen: string;
      annual_cap_fen: string;
      source: string | null;
    }[] = await m.query(
      `select region, effective_from::text as effective_from, effective_to::text as effective_to,
              per_product_fen::text as per_product_fen, annual_cap_fen::text as annual_cap_fen, source
         from reward_policies where region = any($1::text[])`,
      [[...new Set(regions)]],
    );
    return rows.map((r) =>
      rewardPolicy({
        region: r.region,
        perProduct: Money.fromFen(BigInt(r.per_product_fen)).toString(),
        annualCapPerEnterprise: Money.fromFen(BigInt(r.annual_cap_fen)).toString(),
        effectiveFrom: r.effective_from,
        ...(r.effective_to === null ? {} : { effectiveTo: r.effective_to }),
        ...(r.source === null ? {} : { source: r.source }),
      }),
    );
  }
}
