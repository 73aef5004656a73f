import { Inject, Injectable } from '@nestjs/common';
import { BusinessDate, Clock, Money, periodKey, RegionCode, shanghaiToday, type PeriodUnit } from '@ipfin/kernel';
import { CLOCK } from '@ipfin/http';
import { FactSums, FinancingRepository, type FactFilter } from './financing.repository';
import { BEGINNING, regionBounds } from '../common/range';
import { ProjectionStateRepository } from '../common/projection-state.repository';
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

const fen = (s: string | undefined): bigint => BigInt(s ?? '0');
const money = (f: bigint): string => Money.fromFen(f).toString();

@Injectable()
export class FinancingService {
  constructor(
    private readonly repository: FinancingRepository,
    private readonly lag: LagService,
    private readonly state: ProjectionStateRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async report(q: FinancingQuery): Promise<FinancingReport> {
    const to = (q.to ?? shanghaiToday(this.clock)).toString();
    const from = q.from?.toString() ?? BEGINNING;
    const filter: FactFilter = { ...regionBounds(q.region), bank: q.bank };
    const [totalsFlow, totalsStock, totalsSmes, state, lagEvents] = await Promise.all([
      this.repository.sumFacts(filter, from, to),
      this.repository.sumFacts(filter, BEGINNING, to),
      this.repository.distinctBorrowers(filter, from, to),
      this.state.asOf(['loans']),
      this.lag.lagEvents(['loans']),
    ]);
    const totals = figures(totalsFlow[0], outstandingOf(totalsStock[0]), Number(totalsSmes[0]?.n ?? 0));
    const rows = q.groupBy ? await this.rows(q.groupBy, filter, from, to) : [];
    return {
      region: q.region?.toString() ?? null, from: q.from?.toString() ?? null, to, groupBy: q.groupBy,
      asOf: state, lagEvents, totals, rows,
    };
  }

  private async rows(groupBy: FinancingGroup, filter: FactFilter, from: string, to: string): Promise<FinancingReport['rows']> {
    if (groupBy === 'year' || groupBy === 'quarter' || groupBy === 'month') {
      const expr = PERIOD_SQL[groupBy];
      const [flows, stock, smes] = await Promise.all([
        this.repository.sumFacts(filter, from, to, expr),
        this.repository.sumFacts(filter, BEGINNING, to, expr),
        this.repository.distinctBorrowers(filter, from, to, expr),
      ]);
      // Outstanding of a period row = everything up to the end of that period (or `to`).
      const stockByKey = new Map(stock.map((r) => [r.key!, outstandingOf(r)]));
      const keys = [...stockByKey.keys()].sort();
      const cumulative = new Map<string, bigint>();
      let running = 0n;
      for (const key of keys) { running += stockByKey.get(key)!; cumulative.set(key, running); }
      const flowByKey = new Map(flows.map((r) => [r.key!, r]));
      const smesByKey = new Map(smes.map((r) => [r.key!, Number(r.n)]));
      const fromKey = from === BEGINNING ? '' : periodKey(from, groupBy);
      return keys
        .filter((k) => k >= fromKey)
        .map((key) => ({ key, ...figures(flowByKey.get(key), cumulative.get(key) ?? 0n, smesByKey.get(key) ?? 0) }));
    }
    const expr = DIMENSION_SQL[groupBy];
    const [flows, stock, smes] = await Promise.all([
      this.repository.sumFacts(filter, from, to, expr),
      this.repository.sumFacts(filter, BEGINNING, to, expr),
      this.repository.distinctBorrowers(filter, from, to, expr),
    ]);
    const flowByKey = new Map(flows.map((r) => [r.key!, r]));
    const stockByKey = new Map(stock.map((r) => [r.key!, outstandingOf(r)]));
    const smesByKey = new Map(smes.map((r) => [r.key!, Number(r.n)]));
    const keys = [...new Set([...flowByKey.keys(), ...[...stockByKey].filter(([, v]) => v !== 0n).map(([k]) => k)])].sort();
    return keys.map((key) => ({ key, ...figures(flowByKey.get(key), stockByKey.get(key) ?? 0n, smesByKey.get(key) ?? 0) }));
  }
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
