import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CLOCK, pageOf, decodeCursor, type Page } from '@ipfin/http';
import { BusinessDate, Conflict, Money, RegionCode, ratio, shanghaiToday, type Clock } from '@ipfin/kernel';
import { regionBounds, regionKey } from '../common/range';
import type { MetricsScope } from '../common/region-scope';
import { LagService } from '../lag/lag.service';
import type { ProjectionName } from '../projections';
import { CountersRepository, pick, type SumRead } from '../counters/counters.repository';
import { FinancingRepository } from '../financing/financing.repository';
import type { CreateTargetDto } from './dto/create-target.dto';
import { indicatorDefinition, indicatorWindow, type IndicatorSource, type TargetUnit } from './indicators';
import { TargetsRepository, type TargetPosition, type TargetRecord } from './targets.repository';

export interface TargetItem {
  id: string;
  region: string;
  indicator: string;
  unit: TargetUnit;
  baseline: string | number | null;
  target: string | number;
  dueOn: string;
  actual: string | number | null;
  progress: string | null;
}

/** A page of targets, with the `asOf` and `lagEvents` every metrics answer carries. */
export interface TargetsPage extends Page<TargetItem> {
  asOf: string | null;
  lagEvents: number;
}

/** The projections the measured indicators read: financing, transfers and open licences, products. */
const TARGET_PROJECTIONS: readonly ProjectionName[] = ['loans', 'patents', 'products'];

/**
 * A cursor is the keyset position of the last target of a page: a real region code, due date
 * and a non-empty id. Anything else (a cursor edited by hand) is 400 on `cursor` rather than a
 * value PostgreSQL would refuse to cast.
 */
const isPosition = (v: unknown): v is TargetPosition => {
  if (typeof v !== 'object' || v === null) return false;
  const { region, dueOn, id } = v as Record<string, unknown>;
  return typeof region === 'string' && /^\d{6}$/.test(region) && typeof dueOn === 'string' && BusinessDate.isValid(dueOn)
    && typeof id === 'string' && id.length > 0 && id.length <= 200;
};

/** The value in the unit's base (fen or count) of a validated wire value. */
const toBase = (value: string | number, unit: TargetUnit): bigint =>
  unit === 'CNY' ? Money.parse(String(value)).fen : BigInt(value);

const toWire = (value: bigint, unit: TargetUnit): string | number =>
  unit === 'CNY' ? Money.fromFen(value).toString() : Number(value);

/** Plan targets with their live actual and progress, computed from the aggregates. */
@Injectable()
export class TargetsService {
  constructor(
    private readonly targets: TargetsRepository,
    private readonly financing: FinancingRepository,
    private readonly counters: CountersRepository,
    private readonly lag: LagService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(scope: MetricsScope, q: { indicator?: string; limit: number; cursor?: string }): Promise<TargetsPage> {
    const after = q.cursor ? decodeCursor(q.cursor, isPosition) : null;
    const rows = await this.targets.list({ ...regionBounds(scope.region), indicator: q.indicator }, after, q.limit + 1);
    const page = pageOf(rows, q.limit, (last) => ({ region: last.region, dueOn: last.dueOn, id: last.id }));
    const [{ items, asOf }, lagEvents] = await Promise.all([this.withActuals(page.items), this.lag.lagEvents(TARGET_PROJECTIONS)]);
    return { items, nextCursor: page.nextCursor, asOf, lagEvents };
  }

  async create(createdBy: string, body: CreateTargetDto): Promise<TargetItem> {
    const unit = body.unit;
    const record: TargetRecord = {
      id: randomUUID(),
      region: RegionCode.parse(body.region).toString(),
      indicator: body.indicator,
      unit,
      baseline: body.baseline === undefined ? null : toBase(body.baseline, unit),
      target: toBase(body.target, unit),
      dueOn: body.dueOn,
    };
    if (!(await this.targets.insert(record, createdBy))) {
      throw new Conflict('target-exists', `A ${record.indicator} target for ${record.region} due on ${record.dueOn} exists already.`, {
        region: record.region, indicator: record.indicator, dueOn: record.dueOn,
      });
    }
    return (await this.withActuals([record])).items[0];
  }

  private async withActuals(targets: readonly TargetRecord[]): Promise<{ items: TargetItem[]; asOf: string | null }> {
    const { actuals, asOf } = await this.actuals(targets);
    return { items: targets.map((t, i) => this.item(t, actuals[i])), asOf };
  }

  private item(t: TargetRecord, actual: bigint | null): TargetItem {
    return {
      id: t.id,
      region: t.region,
      indicator: t.indicator,
      unit: t.unit,
      baseline: t.baseline === null ? null : toWire(t.baseline, t.unit),
      target: toWire(t.target, t.unit),
      dueOn: t.dueOn,
      actual: actual === null ? null : toWire(actual, t.unit),
      progress: actual === null ? null : ratio(actual, t.target),
    };
  }

  /**
   * Each indicator's figure in its target's unit base, or null if the platform does not measure
   * it. The counter figures of all the targets are read in one statement (a row per measure, from
   * the target region's roll-up key), with the `asOf` of the projections they read; financing
   * figures alongside.
   */
  private async actuals(targets: readonly TargetRecord[]): Promise<{ actuals: (bigint | null)[]; asOf: string | null }> {
    const today = shanghaiToday(this.clock).toString();
    const reads: SumRead[] = [];
    const pending: { counter?: { read: number; measure: string; field: 'n' | 'amount' }; financing?: Promise<bigint> }[][] = targets.map((t) => {
      const definition = indicatorDefinition(t.indicator);
      if (!definition || definition.unit !== t.unit) return [];
      const window = indicatorWindow(definition.span, t.dueOn, today);
      const region = RegionCode.parse(t.region);
      return definition.sources.map((source) => source.kind === 'counter'
        ? { counter: { read: reads.push({ kind: 'sum', measures: [source.measure], region: regionKey(region), from: window.from, to: window.to }) - 1, measure: source.measure, field: source.field } }
        : { financing: this.financingFigure(source, regionBounds(region), window.from, window.to) });
    });
    const [{ sums, asOf }, financing] = await Promise.all([this.counters.report(reads, TARGET_PROJECTIONS), Promise.all(pending.map((p) => Promise.all(p.map((s) => s.financing ?? Promise.resolve(0n)))))]);
    const actuals = targets.map((_, i) => {
      if (pending[i].length === 0) return null;
      return pending[i].reduce((total, s, j) => {
        if (!s.counter) return total + financing[i][j];
        const sum = pick(sums[s.counter.read], s.counter.measure);
        return total + (s.counter.field === 'n' ? sum.n : sum.amountFen);
      }, 0n);
    });
    return { actuals, asOf };
  }

  private async financingFigure(source: IndicatorSource & { kind: 'financing' }, bounds: { regionFrom: string; regionTo: string }, from: string, to: string): Promise<bigint> {
    const [sums] = await this.financing.sumFacts(bounds, from, to);
    const column = source.field === 'contracted' ? sums?.contracted_fen : source.field === 'patent' ? sums?.patent_fen : sums?.trademark_fen;
    return BigInt(column ?? '0');
  }
}
