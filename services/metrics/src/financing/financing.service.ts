import { Inject, Injectable } from '@nestjs/common';
import { BusinessDate, Clock, Money, RegionCode, ValidationFailed, shanghaiToday, type PeriodUnit } from '@ipfin/kernel';
import { CLOCK } from '@ipfin/http';
import { FactSums, FinancingRepository, flowPart, flowStockPart, isSetColumn, smesBySetColumn, smesParts, smesTotalsScanSets, sumFacts, type FactScope, type ReportRow } from './financing.repository';
import { KEPT_ANSWERS_BYTES, KeptAnswers, type VersionedRead } from '../common/kept-answers';
import { BEGINNING, regionBounds, regionKey } from '../common/range';
import { bucketOf } from './sme-counts';
import { LagService } from '../lag/lag.service';

export { regionBounds };

export const FINANCING_GROUPS = ['year', 'quarter', 'month', 'bank', 'rightKind', 'region', 'borrowerSize'] as const;
export type FinancingGroup = (typeof FINANCING_GROUPS)[number];

export interface FinancingFigures {
  loans: number;
  contracted: string;
  disbursed: string;
  outstanding: string;
  smesServed: number;
  patentPledged: string;
  trademarkPledged: string;
  defaults: number;
  principalLoss: string;
}

export interface FinancingReport {
  region: string | null;
  from: string | null;
  to: string;
  groupBy: FinancingGroup | null;
  asOf: string | null;
  lagEvents: number;
  totals: FinancingFigures;
  rows: ({ key: string } & FinancingFigures)[];
}

export interface FinancingQuery {
  region: RegionCode | null;
  bank?: string;
  from: BusinessDate | null;
  to: BusinessDate | null;
  groupBy: FinancingGroup | null;
}

const PERIOD_SQL: Record<PeriodUnit, string> = {
  year: `to_char(day, 'YYYY')`,
  quarter: `to_char(day, 'YYYY') || '-Q' || extract(quarter from day)::int`,
  month: `to_char(day, 'YYYY-MM')`,
};
const DIMENSION_SQL: Record<'bank' | 'rightKind' | 'region' | 'borrowerSize', string> = {
  bank: 'bank', rightKind: 'right_kind', region: 'region', borrowerSize: 'borrower_size',
};

const fen = (s: string | null | undefined): bigint => BigInt(s ?? '0');
const money = (f: bigint): string => Money.fromFen(f).toString();

@Injectable()
export class FinancingService {
  private readonly kept: KeptAnswers<FinancingReport>;

  constructor(
    private readonly repository: FinancingRepository,
    private readonly lag: LagService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.kept = new KeptAnswers(KEPT_ANSWERS_BYTES);
  }

  /**
   * Every figure of the report from one statement (`financingStatement`). `to` defaults to today
   * (Asia/Shanghai); a `from` after it — given or defaulted — is 400 on `from`, as on every other
   * metrics endpoint (`resolveWindow`). Answers are kept per version of the loans projection
   * (`KeptAnswers`).
   */
  async report(q: FinancingQuery): Promise<FinancingReport> {
    const to = (q.to ?? shanghaiToday(this.clock)).toString();
    if (q.from && q.from.toString() > to) {
      throw new ValidationFailed([{ field: 'from', message: `from (${q.from.toString()}) must not be after to (${to})` }]);
    }
    const key = `${q.region?.toString() ?? ''}|${q.bank ?? ''}|${q.from?.toString() ?? ''}|${to}|${q.groupBy ?? ''}`;
    return this.kept.answer(key, (kept) => this.read(q, to, kept));
  }

  private async read(q: FinancingQuery, to: string, keptVersion: string | undefined): Promise<VersionedRead<FinancingReport>> {
    const statement = financingStatement(q, to);
    const [{ parts: res, asOf, version }, lagEvents] = await Promise.all([
      this.repository.report(statement.parts, statement.params, ['loans'], keptVersion),
      this.lag.lagEvents(['loans']),
    ]);
    if (res === null) return { version, unchanged: { asOf, lagEvents } };
    const { part: stockPart, n: stockInN } = statement.stock;
    const stockOf = (r: ReportRow): bigint => (stockInN ? BigInt(r.n ?? 0) : outstandingOf(r));
    const stocks = res.get(stockPart) ?? [];
    // Grouped, the rows cover the whole range and every fact lands in exactly one row: the
    // totals' flows are the rows' sums, the stock theirs plus what came before the first period.
    const flow = q.groupBy ? sumFacts(res.get('rowFlow') ?? []) : res.get('flow')?.[0];
    const outstanding = stocks.reduce((sum, r) => sum + stockOf(r), outstandingOf(res.get('before')?.[0]));
    const totals = figures(flow, outstanding, Number(res.get('smes')?.[0]?.n ?? 0));
    const rows = q.groupBy ? this.rows(res, statement.byPeriod, new Map(stocks.map((r) => [r.key!, stockOf(r)]))) : [];
    return { report: { region: q.region?.toString() ?? null, from: q.from?.toString() ?? null, to, groupBy: q.groupBy, asOf, lagEvents, totals, rows }, version };
  }

  private rows(res: Map<string, ReportRow[]>, byPeriod: boolean, stockByKey: Map<string, bigint>): FinancingReport['rows'] {
    const flowByKey = new Map((res.get('rowFlow') ?? []).map((r) => [r.key!, r]));
    const smesByKey = new Map<string, number>();
    for (const r of res.get('rowSmes') ?? []) smesByKey.set(r.key!, (smesByKey.get(r.key!) ?? 0) + Number(r.n));
    if (byPeriod) {
      const keys = [...stockByKey.keys()].sort();
      let running = outstandingOf(res.get('before')?.[0]);
      return keys.map((key) => {
        running += stockByKey.get(key)!;
        return { key, ...figures(flowByKey.get(key), running, smesByKey.get(key) ?? 0) };
      });
    }
    const keys = [...new Set([...flowByKey.keys(), ...[...stockByKey].filter(([, v]) => v !== 0n).map(([k]) => k)])].sort();
    return keys.map((key) => ({ key, ...figures(flowByKey.get(key), stockByKey.get(key) ?? 0n, smesByKey.get(key) ?? 0) }));
  }
}

/**
 * The parts of a financing report, run as one statement: totals (flows over the period, the
 * stock up to `to` — when grouped, summed from the rows instead — and distinct SMEs) and, when
 * grouped, the rows' flows, stocks and distinct SMEs —
 * each from the one region key of `region` (own codes for groupBy=region) and the fewest roll-up
 * rows that cover the range (years, months, ragged days; SME count rows where the range allows).
 */
export function financingStatement(q: FinancingQuery, to: string): { parts: string[]; params: unknown[]; byPeriod: boolean; stock: StockSource } {
  const from = q.from?.toString() ?? BEGINNING;
  const key = regionKey(q.region);
  const scope: FactScope = { key, bank: q.bank ?? '' };
  const params: unknown[] = [];
  const g = q.groupBy;
  // A statement's column names are its first part's: a fact part goes first, the SME counts last.
  const smes = (): string[] => smesParts('smes', scope, params, from, to, null);
  if (g === null) {
    // The totals' flows and stock in one part where the roll-up rows allow, else two.
    const both = flowStockPart('flow', scope, params, from, to, null, true);
    const parts = both ? [both] : [flowPart('flow', scope, params, from, to, null, true), flowPart('stock', scope, params, BEGINNING, to, null, true, 'stock')];
    return { parts: [...parts, ...smes()], params, byPeriod: false, stock: both ? { part: 'flow', n: true } : { part: 'stock', n: false } };
  }
  const parts: string[] = [];
  if (g === 'year' || g === 'quarter' || g === 'month') {
    // Outstanding of a period row = everything up to the end of that period (or `to`): the stock
    // before the first period, plus the period rows' changes cumulated. Quarter and month rows
    // never read the yearly roll-up (a year row would land in its first period).
    const periodStart = bucketOf(from, g === 'year' ? 'Y' : g === 'quarter' ? 'Q' : 'M');
    const expr = PERIOD_SQL[g];
    parts.push(flowPart('rowFlow', scope, params, from, to, expr, g === 'year'));
    if (periodStart > BEGINNING) parts.push(flowPart('before', scope, params, BEGINNING, BusinessDate.parse(periodStart).addDays(-1).toString(), null, true, 'stock'));
    // The rows' stock starts at the first period's first day: the flows' own rows when `from` is that day.
    const stock: StockSource = { part: periodStart === from ? 'rowFlow' : 'rowStock', n: false };
    if (stock.part === 'rowStock') parts.push(flowPart('rowStock', scope, params, periodStart, to, expr, g === 'year', 'stock'));
    parts.push(...smesParts('rowSmes', scope, params, from, to, { unit: g, expr }), ...smes());
    return { parts, params, byPeriod: true, stock };
  }
  const rowScope: FactScope = g === 'bank' ? { key, bank: q.bank ?? null } : g === 'region' ? { bounds: regionBounds(q.region), bank: q.bank ?? '' } : scope;
  const expr = DIMENSION_SQL[g];
  // The rows' stock starts at the beginning: the flows' own rows from there, else their `n`
  // (`flowStockPart`) where the roll-up rows allow, else a part of its own.
  const both = from === BEGINNING ? null : flowStockPart('rowFlow', rowScope, params, from, to, expr, true);
  parts.push(both ?? flowPart('rowFlow', rowScope, params, from, to, expr, true));
  const stock: StockSource = from === BEGINNING ? { part: 'rowFlow', n: false } : both ? { part: 'rowFlow', n: true } : { part: 'rowStock', n: false };
  if (stock.part === 'rowStock') parts.push(flowPart('rowStock', rowScope, params, BEGINNING, to, expr, true, 'stock'));
  // Rows per right kind or size count the set rows (above a county, the gap cells); when the
  // totals would too, the same statement part counts them.
  if (isSetColumn(expr) && smesTotalsScanSets(scope, from, to)) {
    parts.push(smesBySetColumn('rowSmes', 'smes', scope, params, from, to, expr));
    return { parts, params, byPeriod: false, stock };
  }
  parts.push(...smesParts('rowSmes', rowScope, params, from, to, { column: expr }), ...smes());
  return { parts, params, byPeriod: false, stock };
}

/**
 * Where a report's stock is (`outstanding`: disbursed − repaid − loss up to the row's end): the
 * outstanding of `part`'s sums (per key when grouped), or — `n` — that part's `n` (`flowStockPart`).
 */
interface StockSource {
  part: 'flow' | 'stock' | 'rowFlow' | 'rowStock';
  n: boolean;
}

function outstandingOf(r: FactSums | undefined): bigint {
  return fen(r?.disbursed_fen) - fen(r?.repaid_fen) - fen(r?.loss_fen);
}

function figures(flow: FactSums | undefined, outstanding: bigint, smesServed: number): FinancingFigures {
  return {
    loans: Number(flow?.loans ?? 0),
    contracted: money(fen(flow?.contracted_fen)),
    disbursed: money(fen(flow?.disbursed_fen)),
    outstanding: money(outstanding),
    smesServed,
    patentPledged: money(fen(flow?.patent_fen)),
    trademarkPledged: money(fen(flow?.trademark_fen)),
    defaults: Number(flow?.defaults ?? 0),
    principalLoss: money(fen(flow?.loss_fen)),
  };
}
