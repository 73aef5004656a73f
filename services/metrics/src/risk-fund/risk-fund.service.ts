import { Inject, Injectable } from '@nestjs/common';
import { CLOCK } from '@ipfin/http';
import { Money, ratio, type Clock } from '@ipfin/kernel';
import { KEPT_ANSWERS_BYTES, KeptAnswers, type VersionedRead } from '../common/kept-answers';
import { BEGINNING, regionKey, resolveWindow, type DateWindow, type PeriodParams } from '../common/range';
import type { MetricsScope } from '../common/region-scope';
import { CountersRepository, pick, type SumRead } from '../counters/counters.repository';
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

/** The fund's account: a stock, so read from the beginning up to `to` whatever the period. */
const ACCOUNT = [MEASURES.capital, MEASURES.paidOut, MEASURES.bankShare, MEASURES.recoveredToFund];
/** What happened in the period: claims by filing day, covered loans by registration, their losses by default day. */
const ACTIVITY = [MEASURES.coveredLoans, MEASURES.coveredLoss, ...CLAIM_STATUSES.map((s) => MEASURES.claims(s))];

/** The risk-compensation funds of a region (their own region and the regions below it). */
@Injectable()
export class RiskFundService {
  private readonly kept: KeptAnswers<RiskFundReport>;

  constructor(
    private readonly counters: CountersRepository,
    private readonly lag: LagService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.kept = new KeptAnswers(KEPT_ANSWERS_BYTES);
  }

  /**
   * The account (`capital`, `paidOut`, `bankShare`, `recoveredToFund`, `balance`) as of the
   * period's last day — a balance is a stock and never below zero (api.md), and
   * `balance = capital − paidOut + recoveredToFund` holds in every answer; `claims`,
   * `coveredLoans` and `lossRate` over the period. Without a period: everything up to today.
   * Answers are kept per version of the risk and loans projections (`KeptAnswers`).
   */
  async report(scope: MetricsScope, period: PeriodParams): Promise<RiskFundReport> {
    const window = resolveWindow(period, this.clock, { defaultYear: false });
    return this.kept.answer(`${scope.region?.toString() ?? ''}|${window.from ?? ''}|${window.to}`, (kept) => this.read(scope, window, kept));
  }

  private async read(scope: MetricsScope, window: DateWindow, keptVersion: string | undefined): Promise<VersionedRead<RiskFundReport>> {
    const region = regionKey(scope.region);
    const sum = (measures: readonly string[], from: string): SumRead => ({ kind: 'sum', measures, region, from, to: window.to });
    // One read when the period starts at the beginning; the account and the period's activity otherwise (one statement).
    const reads = window.from === null ? [sum([...ACCOUNT, ...ACTIVITY], BEGINNING)] : [sum(ACCOUNT, BEGINNING), sum(ACTIVITY, window.from)];
    const [{ sums, asOf, version }, lagEvents] = await Promise.all([this.counters.report(reads, ['risk', 'loans'], keptVersion), this.lag.lagEvents(['risk', 'loans'])]);
    if (sums === null) return { version, unchanged: { asOf, lagEvents } };
    const account = sums[0];
    const activity = sums[sums.length - 1];
    const amount = (measure: string): bigint => pick(account, measure).amountFen;
    const capital = amount(MEASURES.capital);
    const paidOut = amount(MEASURES.paidOut);
    const recovered = amount(MEASURES.recoveredToFund);
    const covered = pick(activity, MEASURES.coveredLoans);
    const claims = Object.fromEntries(CLAIM_STATUSES.map((s) => [s, Number(pick(activity, MEASURES.claims(s)).n)])) as Record<ClaimStatus, number>;
    const report = {
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
      lossRate: ratio(pick(activity, MEASURES.coveredLoss).amountFen, covered.amountFen),
    };
    return { report, version };
  }
}
