import { Inject, Injectable } from '@nestjs/common';
import { CLOCK } from '@ipfin/http';
import { Money, ratio, type Clock } from '@ipfin/kernel';
import { BEGINNING, regionKey, resolveWindow, type PeriodParams } from '../common/range';
import type { MetricsScope } from '../common/region-scope';
import { CountersRepository, pick } from '../counters/counters.repository';
import { CLAIM_STATUSES, MEASURES, type ClaimStatus } from '../counters/deltas';
import { LagService } from '../lag/lag.service';

export interface RiskFundReport {
  region: string | null;
  asOf: string | null;
  lagEvents: number;
  capital: string;
  paidOut: string;
  bankShare: string;
  recoveredToFund: string;
  balance: string;
  claims: Record<ClaimStatus, number>;
  coveredLoans: number;
  lossRate: string;
}

const MEASURE_LIST = [
  MEASURES.capital, MEASURES.paidOut, MEASURES.bankShare, MEASURES.recoveredToFund, MEASURES.coveredLoans, MEASURES.coveredLoss,
  ...CLAIM_STATUSES.map((s) => MEASURES.claims(s)),
];

/** The risk-compensation funds of a region (their own region and the regions below it). */
@Injectable()
export class RiskFundService {
  constructor(
    private readonly counters: CountersRepository,
    private readonly lag: LagService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Without a period: everything up to today. */
  async report(scope: MetricsScope, period: PeriodParams): Promise<RiskFundReport> {
    const window = resolveWindow(period, this.clock, { defaultYear: false });
    const [{ sums: [sums], asOf }, lagEvents] = await Promise.all([
      this.counters.report([{ kind: 'sum', measures: MEASURE_LIST, region: regionKey(scope.region), from: window.from ?? BEGINNING, to: window.to }], ['risk', 'loans']),
      this.lag.lagEvents(['risk', 'loans']),
    ]);
    const amount = (measure: string): bigint => pick(sums, measure).amountFen;
    const capital = amount(MEASURES.capital);
    const paidOut = amount(MEASURES.paidOut);
    const recovered = amount(MEASURES.recoveredToFund);
    const covered = pick(sums, MEASURES.coveredLoans);
    const claims = Object.fromEntries(CLAIM_STATUSES.map((s) => [s, Number(pick(sums, MEASURES.claims(s)).n)])) as Record<ClaimStatus, number>;
    return {
      region: scope.region?.toString() ?? null,
      asOf,
      lagEvents,
      capital: Money.fromFen(capital).toString(),
      paidOut: Money.fromFen(paidOut).toString(),
      bankShare: Money.fromFen(amount(MEASURES.bankShare)).toString(),
      recoveredToFund: Money.fromFen(recovered).toString(),
      balance: Money.fromFen(capital - paidOut + recovered).toString(),
      claims,
      coveredLoans: Number(covered.n),
      lossRate: ratio(amount(MEASURES.coveredLoss), covered.amountFen),
    };
  }
}
