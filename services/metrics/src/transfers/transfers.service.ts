import { Inject, Injectable } from '@nestjs/common';
import { LICENCE_KIND_VALUES, type LicenceKindV1 } from '@ipfin/contracts';
import { CLOCK } from '@ipfin/http';
import { Money, shanghaiToday, type Clock } from '@ipfin/kernel';
import { KEPT_ANSWERS_BYTES, KeptAnswers, type VersionedRead } from '../common/kept-answers';
import { migrationOf } from '../common/projection-state.repository';
import { BEGINNING, regionKey, resolveWindow, type DateWindow, type PeriodParams } from '../common/range';
import type { MetricsScope } from '../common/region-scope';
import { CountersRepository, pick } from '../counters/counters.repository';
import { MEASURES } from '../counters/deltas';
import { LagService } from '../lag/lag.service';
import { PoliciesRepository } from '../policies/policies.repository';
import { policyFor, universityTransferReward, type UniversityTransferRewardParams } from '../policies/reward-rules';

export interface UniversityReward {
  sub: string;
  inventionTransfersToLocalEnterprises: number;
  reward: string;
}

export interface TransfersReport {
  region: string | null;
  year: number | null;
  asOf: string | null;
  lagEvents: number;
  transfers: number;
  licences: Record<LicenceKindV1, number>;
  recordedContracts: number;
  openLicencesDeclared: number;
  openLicencesInForce: number;
  openLicencesTaken: number;
  universityRewards: UniversityReward[];
}

const FLOW_MEASURES = [
  MEASURES.transfers, ...LICENCE_KIND_VALUES.map((k) => MEASURES.licences(k)), MEASURES.recordedContracts,
  MEASURES.openLicencesDeclared, MEASURES.openLicencesTaken,
];

/** Transfers, licences and open licences of a region, and the universities' transfer rewards. */
@Injectable()
export class TransfersService {
  private readonly kept: KeptAnswers<TransfersReport>;

  constructor(
    private readonly counters: CountersRepository,
    private readonly policies: PoliciesRepository,
    private readonly lag: LagService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.kept = new KeptAnswers(KEPT_ANSWERS_BYTES);
  }

  /** Without a period: the current year. */
  async report(scope: MetricsScope, period: PeriodParams): Promise<TransfersReport> {
    const window = resolveWindow(period, this.clock, { defaultYear: true });
    // The open licences in force are counted up to today when the period runs past it.
    const today = shanghaiToday(this.clock).toString();
    return this.kept.answer(`${scope.region?.toString() ?? ''}|${window.from ?? ''}|${window.to}|${today}`, (kept) => this.read(scope, window, today, kept));
  }

  private async read(scope: MetricsScope, window: DateWindow, today: string, keptVersion: string | undefined): Promise<VersionedRead<TransfersReport>> {
    const from = window.from ?? BEGINNING;
    const region = regionKey(scope.region);
    const inForceOn = window.to < today ? window.to : today;
    const [{ sums, asOf, version }, lagEvents] = await Promise.all([
      this.counters.report([
        { kind: 'sum', measures: FLOW_MEASURES, region, from, to: window.to },
        // A stock: the in-force deltas from the beginning (a row per year, month and ragged day).
        { kind: 'sum', measures: [MEASURES.openLicencesInForce], region, from: BEGINNING, to: inForceOn },
        { kind: 'sum', measures: [MEASURES.universityInventionTransfers], region, from, to: window.to, by: { dim: true, year: true } },
      ], ['patents'], keptVersion),
      this.lag.lagEvents(['patents']),
    ]);
    if (sums === null) return { version, unchanged: { asOf, lagEvents } };
    const [flows, inForce, universities] = sums;
    const policyVersions = await this.policies.versions<UniversityTransferRewardParams>('university-transfer-reward', scope.region, migrationOf(version));
    const n = (measure: string): number => Number(pick(flows, measure).n);

    // Rewards are per calendar year, under the policy in force for that year.
    const bySub = new Map<string, { transfers: number; rewardFen: bigint }>();
    for (const row of universities) {
      const entry = bySub.get(row.dim) ?? { transfers: 0, rewardFen: 0n };
      const count = Number(row.n);
      entry.transfers += count;
      const policy = policyFor(policyVersions, scope.region, row.year);
      if (policy) entry.rewardFen += universityTransferReward(count, policy.params).fen;
      bySub.set(row.dim, entry);
    }
    const universityRewards = [...bySub.entries()]
      .filter(([, v]) => v.transfers !== 0)
      .sort(([a, x], [b, y]) => (y.rewardFen > x.rewardFen ? 1 : y.rewardFen < x.rewardFen ? -1 : 0) || y.transfers - x.transfers || (a < b ? -1 : 1))
      .map(([sub, v]) => ({ sub, inventionTransfersToLocalEnterprises: v.transfers, reward: Money.fromFen(v.rewardFen).toString() }));

    const report = {
      region: scope.region?.toString() ?? null,
      year: window.year,
      asOf,
      lagEvents,
      transfers: n(MEASURES.transfers),
      licences: Object.fromEntries(LICENCE_KIND_VALUES.map((k) => [k, n(MEASURES.licences(k))])) as Record<LicenceKindV1, number>,
      recordedContracts: n(MEASURES.recordedContracts),
      openLicencesDeclared: n(MEASURES.openLicencesDeclared),
      openLicencesInForce: Number(pick(inForce, MEASURES.openLicencesInForce).n),
      openLicencesTaken: n(MEASURES.openLicencesTaken),
      universityRewards,
    };
    return { report, version };
  }
}
