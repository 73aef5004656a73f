import { Inject, Injectable } from '@nestjs/common';
import { CLOCK } from '@ipfin/http';
import { Money, type Clock } from '@ipfin/kernel';
import { BEGINNING, regionKey, resolveWindow, type PeriodParams } from '../common/range';
import type { MetricsScope } from '../common/region-scope';
import { CountersRepository, pick } from '../counters/counters.repository';
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
    const [{ sums: [sums], asOf }, lagEvents] = await Promise.all([
      this.counters.report([{ kind: 'sum', measures: MEASURE_LIST, region: regionKey(scope.region), from: window.from ?? BEGINNING, to: window.to, by: { dim: true } }], ['products']),
      this.lag.lagEvents(['products']),
    ]);
    // One pass over the rows (a province has thousands of enterprises).
    const byEnterprise = new Map<string, { filed: bigint; recognised: bigint; rewardFen: bigint }>();
    for (const s of sums) {
      const e = byEnterprise.get(s.dim) ?? { filed: 0n, recognised: 0n, rewardFen: 0n };
      byEnterprise.set(s.dim, e);
      if (s.measure === MEASURES.productsFiled) e.filed += s.n;
      else if (s.measure === MEASURES.productsRecognised) e.recognised += s.n;
      else if (s.measure === MEASURES.productRewards) e.rewardFen += s.amountFen;
    }
    const rows = [...byEnterprise.entries()]
      .filter(([, r]) => r.filed !== 0n || r.recognised !== 0n || r.rewardFen !== 0n)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([enterprise, r]) => ({ enterprise, filed: Number(r.filed), recognised: Number(r.recognised), reward: Money.fromFen(r.rewardFen).toString() }));
    return {
      region: scope.region?.toString() ?? null,
      year: window.year,
      asOf,
      lagEvents,
      filed: Number(pick(sums, MEASURES.productsFiled).n),
      recognised: Number(pick(sums, MEASURES.productsRecognised).n),
      rejected: Number(pick(sums, MEASURES.productsRejected).n),
      rewards: Money.fromFen(pick(sums, MEASURES.productRewards).amountFen).toString(),
      rows,
    };
  }
}
