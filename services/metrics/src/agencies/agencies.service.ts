import { Inject, Injectable } from '@nestjs/common';
import { CLOCK } from '@ipfin/http';
import { Money, type Clock } from '@ipfin/kernel';
import { KEPT_ANSWERS_BYTES, KeptAnswers, type VersionedRead } from '../common/kept-answers';
import { migrationOf } from '../common/projection-state.repository';
import { BEGINNING, regionKey, resolveWindow, type DateWindow, type PeriodParams } from '../common/range';
import type { MetricsScope } from '../common/region-scope';
import { CountersRepository } from '../counters/counters.repository';
import { MEASURES } from '../counters/deltas';
import { LagService } from '../lag/lag.service';
import { PoliciesRepository } from '../policies/policies.repository';
import { agencySubsidy, policyFor, type AgencySubsidyParams } from '../policies/reward-rules';

export interface AgencyRow {
  agency: string;
  inclusivePledgeEnterprises: number;
  transfersAndLicences: number;
  productFilings: number;
  subsidyEarned: boolean;
  subsidy: string;
}

export interface AgenciesReport {
  region: string | null;
  year: number | null;
  asOf: string | null;
  lagEvents: number;
  rows: AgencyRow[];
}

interface YearCounts {
  /** Distinct borrowers of the agency's inclusive patent pledges (what the subsidy is judged on). */
  patentPledgeEnterprises: number;
  transfersAndLicences: number;
  productFilings: number;
}

/** What each service agency did in a region, and whether it earned the region's service subsidy. */
@Injectable()
export class AgenciesService {
  private readonly kept: KeptAnswers<AgenciesReport>;

  constructor(
    private readonly counters: CountersRepository,
    private readonly policies: PoliciesRepository,
    private readonly lag: LagService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.kept = new KeptAnswers(KEPT_ANSWERS_BYTES);
  }

  /**
   * Without a period: the current year. `inclusivePledgeEnterprises` counts the borrowers of all
   * its inclusive pledges (api.md); the subsidy is judged per calendar year of the period, its
   * enterprise threshold on inclusive *patent* pledges only (zhangzhou-2024 §13, domain.md).
   */
  async report(scope: MetricsScope, period: PeriodParams): Promise<AgenciesReport> {
    const window = resolveWindow(period, this.clock, { defaultYear: true });
    return this.kept.answer(`${scope.region?.toString() ?? ''}|${window.from ?? ''}|${window.to}`, (kept) => this.read(scope, window, kept));
  }

  private async read(scope: MetricsScope, window: DateWindow, keptVersion: string | undefined): Promise<VersionedRead<AgenciesReport>> {
    const from = window.from ?? BEGINNING;
    const region = regionKey(scope.region);
    const borrowers = { kind: 'distinct', measure: MEASURES.agencyInclusiveBorrowers, region, from, to: window.to } as const;
    // Within one calendar year (`year=`, the default) the distinct borrowers per year are the
    // period's; a whole year is then one count row per agency.
    const oneYear = from.slice(0, 4) === window.to.slice(0, 4);
    const [{ sums, asOf, version }, lagEvents] = await Promise.all([
      this.counters.report([
        { ...borrowers, by: { year: true } },
        { ...borrowers, measure: MEASURES.agencyInclusivePatentBorrowers, by: { year: true } },
        { kind: 'sum', measures: [MEASURES.agencyDeals, MEASURES.agencyProductFilings], region, from, to: window.to, by: { dim: true, year: true } },
        ...(oneYear ? [] : [borrowers]),
      ], ['loans', 'patents', 'products'], keptVersion),
      this.lag.lagEvents(['loans', 'patents', 'products']),
    ]);
    if (sums === null) return { version, unchanged: { asOf, lagEvents } };
    const [enterprisesByYear, patentPledgesByYear, activity, overall] = sums;
    const versions = await this.policies.versions<AgencySubsidyParams>('agency-service-subsidy', scope.region, migrationOf(version));

    const perYear = new Map<string, Map<number, YearCounts>>();
    const at = (agency: string, year: number): YearCounts => {
      const years = perYear.get(agency) ?? new Map<number, YearCounts>();
      perYear.set(agency, years);
      const counts = years.get(year) ?? { patentPledgeEnterprises: 0, transfersAndLicences: 0, productFilings: 0 };
      years.set(year, counts);
      return counts;
    };
    for (const e of enterprisesByYear) at(e.dim, e.year);
    for (const e of patentPledgesByYear) at(e.dim, e.year).patentPledgeEnterprises += Number(e.n);
    for (const a of activity) {
      if (a.measure === MEASURES.agencyDeals) at(a.dim, a.year).transfersAndLicences += Number(a.n);
      else at(a.dim, a.year).productFilings += Number(a.n);
    }
    const distinct = new Map((overall ?? enterprisesByYear).map((e) => [e.dim, Number(e.n)]));

    const rows = [...perYear.entries()]
      .map(([agency, years]) => {
        let subsidyFen = 0n;
        let earned = false;
        let deals = 0;
        let filings = 0;
        for (const [year, counts] of years) {
          deals += counts.transfersAndLicences;
          filings += counts.productFilings;
          const policy = policyFor(versions, scope.region, year);
          const amount = policy ? agencySubsidy(counts, policy.params) : null;
          if (amount) {
            earned = true;
            subsidyFen += amount.fen;
          }
        }
        return {
          agency,
          inclusivePledgeEnterprises: distinct.get(agency) ?? 0,
          transfersAndLicences: deals,
          productFilings: filings,
          subsidyEarned: earned,
          subsidy: Money.fromFen(subsidyFen).toString(),
        };
      })
      .filter((r) => r.inclusivePledgeEnterprises !== 0 || r.transfersAndLicences !== 0 || r.productFilings !== 0)
      .sort((a, b) => (a.agency < b.agency ? -1 : 1));
    return { report: { region: scope.region?.toString() ?? null, year: window.year, asOf, lagEvents, rows }, version };
  }
}
