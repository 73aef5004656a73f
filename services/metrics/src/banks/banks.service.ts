import { Inject, Injectable } from '@nestjs/common';
import { CLOCK } from '@ipfin/http';
import { Money, ratio, type Clock } from '@ipfin/kernel';
import { KEPT_ANSWERS_BYTES, KeptAnswers, type VersionedRead } from '../common/kept-answers';
import { regionKey, resolveWindow, type DateWindow } from '../common/range';
import type { MetricsScope } from '../common/region-scope';
import { FinancingRepository, flowPart, smesParts, type FactScope } from '../financing/financing.repository';
import { LagService } from '../lag/lag.service';

export interface BankRow {
  bank: string;
  smesServed: number;
  contracted: string;
  loans: number;
  inclusiveLoans: number;
  defaults: number;
  defaultRate: string;
}

export interface BanksReport {
  region: string | null;
  year: number;
  asOf: string | null;
  lagEvents: number;
  rows: BankRow[];
}

/**
 * The yearly bank evaluation (zhangzhou-2024 §10): per bank the SMEs served and the amounts
 * pledged, from the financing facts grouped by bank.
 */
@Injectable()
export class BanksService {
  private readonly kept: KeptAnswers<BanksReport>;

  constructor(
    private readonly financing: FinancingRepository,
    private readonly lag: LagService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.kept = new KeptAnswers(KEPT_ANSWERS_BYTES);
  }

  /** Answers are kept per version of the loans projection (`KeptAnswers`). */
  async report(scope: MetricsScope, year: string | undefined): Promise<BanksReport> {
    const window = resolveWindow({ year }, this.clock, { defaultYear: true });
    return this.kept.answer(`${scope.region?.toString() ?? ''}|${scope.bank ?? ''}|${window.from!}|${window.to}`, (kept) => this.read(scope, window, kept));
  }

  private async read(scope: MetricsScope, window: DateWindow, keptVersion: string | undefined): Promise<VersionedRead<BanksReport>> {
    const from = window.from!;
    // One statement: the year's facts per bank (yearly roll-up of the region key) and each bank's
    // distinct SMEs (the year's count rows).
    const rowScope: FactScope = { key: regionKey(scope.region), bank: scope.bank ?? null };
    const params: unknown[] = [];
    const parts = [
      flowPart('flow', rowScope, params, from, window.to, 'bank', true),
      ...smesParts('smes', rowScope, params, from, window.to, { column: 'bank' }),
    ];
    const [{ parts: res, asOf, version }, lagEvents] = await Promise.all([
      this.financing.report(parts, params, ['loans'], keptVersion),
      this.lag.lagEvents(['loans']),
    ]);
    if (res === null) return { version, unchanged: { asOf, lagEvents } };
    const flows = res.get('flow') ?? [];
    const smes = res.get('smes') ?? [];
    const smesByBank = new Map(smes.map((r) => [r.key!, Number(r.n)]));
    const rows = flows
      .map((r) => {
        const contractedFen = BigInt(r.contracted_fen ?? 0);
        const lossFen = BigInt(r.loss_fen ?? 0);
        return {
          row: {
            bank: r.key!,
            smesServed: smesByBank.get(r.key!) ?? 0,
            contracted: Money.fromFen(contractedFen).toString(),
            loans: Number(r.loans),
            inclusiveLoans: Number(r.inclusive_loans),
            defaults: Number(r.defaults),
            defaultRate: ratio(lossFen, contractedFen),
          },
          contractedFen,
          active: Number(r.loans) !== 0 || contractedFen !== 0n || Number(r.defaults) !== 0 || lossFen !== 0n,
        };
      })
      .filter((r) => r.active)
      .sort((a, b) =>
        b.row.smesServed - a.row.smesServed ||
        (b.contractedFen > a.contractedFen ? 1 : b.contractedFen < a.contractedFen ? -1 : 0) ||
        (a.row.bank < b.row.bank ? -1 : 1))
      .map((r) => r.row);
    return { report: { region: scope.region?.toString() ?? null, year: window.year!, asOf, lagEvents, rows }, version };
  }
}
