import { Inject, Injectable } from '@nestjs/common';
import { CLOCK } from '@ipfin/http';
import { Money, type Clock } from '@ipfin/kernel';
import { BEGINNING, regionKey, resolveWindow, type PeriodParams } from '../common/range';
import type { MetricsScope } from '../common/region-scope';
import { CountersRepository } from '../counters/counters.repository';
import { MEASURES } from '../counters/deltas';
import { LagService } from '../lag/lag.service';

export interface ProductRow {
  enterprise: string;
  filed: number;
  recognised: number;
  reward: string;
}

export interface ProductsReport {
  region: string | null;
  year: number | null;
  asOf: string | null;
  lagEvents: number;
  filed: number;
  recognised: number;
  rejected: number;
  rewards: string;
  rows: ProductRow[];
}

const MEASURE_LIST = [MEASURES.productsFiled, MEASURES.productsRecognised, MEASURES.productsRejected, MEASURES.productRewards];

/** Patent-intensive product filings, recognitions and rewards of a region, per enterprise. */
@Injectable()
export class ProductsService {
  constructor(
    private readonly counters: CountersRepository,
    private readonly lag: LagService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Without a period: the current year. */
  async report(scope: MetricsScope, period: PeriodParams): Promise<ProductsReport> {
    const window = resolveWindow(period, this.clock, { defaultYear: true });
    const [{ perMeasure: [filed, recognised, rejected, rewards], asOf }, lagEvents] = await Promise.all([
      this.counters.sumsPerDim({ measures: MEASURE_LIST, region: regionKey(scope.region), from: window.from ?? BEGINNING, to: window.to }, ['products']),
      this.lag.lagEvents(['products']),
    ]);
    const total = (list: readonly { n: bigint; amountFen: bigint }[], of: 'n' | 'amountFen'): bigint => list.reduce((t, x) => t + x[of], 0n);
    // The three lists are sorted by USCC: merged in one pass (a province has tens of thousands).
    const rows: ProductRow[] = [];
    const at = [0, 0, 0];
    const lists = [filed, recognised, rewards];
    for (;;) {
      let next: string | undefined;
      lists.forEach((l, i) => { if (at[i] < l.length && (next === undefined || l[at[i]].dim < next)) next = l[at[i]].dim; });
      if (next === undefined) break;
      const [f, r, w] = lists.map((l, i) => (at[i] < l.length && l[at[i]].dim === next ? l[at[i]++] : undefined));
      const row = { filed: f?.n ?? 0n, recognised: r?.n ?? 0n, rewardFen: w?.amountFen ?? 0n };
      if (row.filed === 0n && row.recognised === 0n && row.rewardFen === 0n) continue;
      rows.push({ enterprise: next, filed: Number(row.filed), recognised: Number(row.recognised), reward: Money.fromFen(row.rewardFen).toString() });
    }
    return {
      region: scope.region?.toString() ?? null,
      year: window.year,
      asOf,
      lagEvents,
      filed: Number(total(filed, 'n')),
      recognised: Number(total(recognised, 'n')),
      rejected: Number(total(rejected, 'n')),
      rewards: Money.fromFen(total(rewards, 'amountFen')).toString(),
      rows,
    };
  }
}
