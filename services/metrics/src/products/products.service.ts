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

/** The report's columns: the rows' (filed, recognised, reward), then rejected for the totals. */
const COLUMNS = [
  { measure: MEASURES.productsFiled, of: 'n' }, { measure: MEASURES.productsRecognised, of: 'n' },
  { measure: MEASURES.productRewards, of: 'amountFen' }, { measure: MEASURES.productsRejected, of: 'n' },
] as const;

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
    const [{ totals: [filed, recognised, rewards, rejected], rows: lines, asOf }, lagEvents] = await Promise.all([
      this.counters.columnsPerDim({ region: regionKey(scope.region), from: window.from ?? BEGINNING, to: window.to, columns: COLUMNS, rowColumns: 3 }, ['products']),
      this.lag.lagEvents(['products']),
    ]);
    // Per enterprise, merged and sorted by USCC in PostgreSQL (a province has tens of thousands).
    const rows: ProductRow[] = lines.map(([enterprise, f, r, w]) => ({
      enterprise, filed: Number(f), recognised: Number(r), reward: Money.fromFen(BigInt(w)).toString(),
    }));
    return {
      region: scope.region?.toString() ?? null,
      year: window.year,
      asOf,
      lagEvents,
      filed: Number(filed),
      recognised: Number(recognised),
      rejected: Number(rejected),
      rewards: Money.fromFen(rewards).toString(),
      rows,
    };
  }
}
