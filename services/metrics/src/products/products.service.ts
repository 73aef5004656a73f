import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK } from '@ipfin/http';
import { Money, type Clock } from '@ipfin/kernel';
import { DataSource } from 'typeorm';
import { AnswerCache } from '../common/answer-cache';
import { toCsv } from '../common/csv';
import { projectionVersion } from '../common/projection-state.repository';
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

/** A report's figures, and what a query's answer keeps with them while the products projection does not move. */
interface Figures {
  counts: Pick<ProductsReport, 'filed' | 'recognised' | 'rejected' | 'rewards' | 'rows'>;
  /** `,"filed":…,"rows":[…]}` in UTF-8: the JSON answer after `lagEvents`. */
  jsonTail: Buffer;
  /** The SHA-1 of `jsonTail` (base64), for the answers' ETags. */
  tailHash: string;
  /** The CSV answer (totals, then the rows), made on the first CSV request for these figures. */
  csv?: string;
}

/** An answer: the report, and its JSON made from the figures' JSON kept with them. */
export interface ProductsAnswer {
  report: ProductsReport;
  /**
   * `JSON.stringify(report)` in UTF-8 as two parts — `region`, `year`, `asOf` and `lagEvents`
   * serialised for this answer, then the figures' kept bytes, not copied — and a weak ETag of the
   * whole, hashing only the first part and the figures' hash.
   */
  json(): { parts: [Buffer, Buffer]; etag: string };
  /** The CSV body (totals, then the rows), made once per kept figures; `asOf` and `lagEvents` go in its headers. */
  csv(): string;
}

/** Figures as read, with the `asOf` and the products projection's version of that read. */
interface FiguresRead { figures: Figures; asOf: string | null; version: string }

/** The answers kept (estimated): a province's, listing ~28 000 enterprises, takes ~9 MB. */
const PRODUCTS_ANSWERS_BYTES = 64 * 1024 * 1024;

/** A SHA-1 in base64 as express's ETags have it (27 characters). */
const sha1 = (bytes: Buffer): string => createHash('sha1').update(bytes).digest('base64').slice(0, 27);

/**
 * Patent-intensive product filings, recognitions and rewards of a region, per enterprise.
 *
 * A province's answer lists every enterprise with a product in the year (tens of thousands of
 * rows, megabytes of JSON), and products events are rare beside loans'. So each query's figures
 * are kept with their JSON at the products projection's version (`AnswerCache`); a request for
 * the same query reads the version and `asOf` (one row per partition) and, while no products
 * batch has committed since, answers the kept figures with its own `asOf` and `lagEvents`.
 */
@Injectable()
export class ProductsService {
  private readonly answers = new AnswerCache<Figures>(PRODUCTS_ANSWERS_BYTES);
  /** The reads in flight, per query (`figures`). */
  private readonly reading = new Map<string, Promise<FiguresRead>>();

  constructor(
    private readonly counters: CountersRepository,
    private readonly lag: LagService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Without a period: the current year. */
  async report(scope: MetricsScope, period: PeriodParams): Promise<ProductsReport> {
    return (await this.answer(scope, period)).report;
  }

  /** `report`, with its JSON. */
  async answer(scope: MetricsScope, period: PeriodParams): Promise<ProductsAnswer> {
    const window = resolveWindow(period, this.clock, { defaultYear: true });
    const read = { region: regionKey(scope.region), from: window.from ?? BEGINNING, to: window.to };
    const [{ figures, asOf }, lagEvents] = await Promise.all([this.figures(read), this.lag.lagEvents(['products'])]);
    const head = { region: scope.region?.toString() ?? null, year: window.year, asOf, lagEvents };
    const { counts, jsonTail, tailHash } = figures;
    return {
      report: { ...head, ...counts },
      csv: () => (figures.csv ??= toCsv([
        { enterprise: 'totals', filed: counts.filed, recognised: counts.recognised, rejected: counts.rejected, reward: counts.rewards },
        ...counts.rows,
      ])),
      json: () => {
        const opening = Buffer.from(JSON.stringify(head).slice(0, -1));
        const length = opening.length + jsonTail.length;
        return { parts: [opening, jsonTail], etag: `W/"${length.toString(16)}-${sha1(Buffer.concat([opening, Buffer.from(tailHash)]))}"` };
      },
    };
  }

  /**
   * The figures of `read`: kept ones while the version they were read at is current, else read.
   * A request for a query that another request is already answering waits for that answer
   * instead of reading the facts again (a province's read takes ≈ 100 ms of the service's and
   * PostgreSQL's CPU, and a dashboard's users ask for the same queries after each batch). It takes
   * those figures only if they were read at the version it sees itself: figures from before a
   * batch that committed in between are not handed out; it reads them again.
   */
  private async figures(read: { region: string; from: string; to: string }): Promise<{ figures: Figures; asOf: string | null }> {
    const key = `${read.region}|${read.from}|${read.to}`;
    const pending = this.reading.get(key);
    if (pending !== undefined) {
      const [now, shared] = await Promise.all([projectionVersion(this.dataSource, ['products']), pending.catch(() => undefined)]);
      if (shared !== undefined && shared.version === now.version) return { figures: shared.figures, asOf: now.asOf };
    }
    // Registered before the first await, so that requests arriving meanwhile find it.
    const own = this.keptOrRead(key, read);
    this.reading.set(key, own);
    try {
      const { figures, asOf } = await own;
      return { figures, asOf };
    } finally {
      if (this.reading.get(key) === own) this.reading.delete(key);
    }
  }

  /** The kept figures of `key` if the products projection's version is theirs, else `readFigures`. */
  private async keptOrRead(key: string, read: { region: string; from: string; to: string }): Promise<FiguresRead> {
    if (this.answers.has(key)) {
      const now = await projectionVersion(this.dataSource, ['products']);
      const kept = this.answers.get(key, now.version);
      if (kept !== undefined) return { figures: kept, asOf: now.asOf, version: now.version };
    }
    return this.readFigures(key, read);
  }

  /** Reads the figures of `read` and keeps them under `key` at the version they were read at. */
  private async readFigures(key: string, read: { region: string; from: string; to: string }): Promise<FiguresRead> {
    const { totals: [filed, recognised, rewards, rejected], rows: lines, asOf, version } =
      await this.counters.columnsPerDim({ ...read, columns: COLUMNS, rowColumns: 3 }, ['products']);
    // Per enterprise, merged and sorted by USCC in PostgreSQL (a province has tens of thousands).
    const rows: ProductRow[] = lines.map(([enterprise, f, r, w]) => ({
      enterprise, filed: Number(f), recognised: Number(r), reward: Money.fromFen(BigInt(w)).toString(),
    }));
    const counts = { filed: Number(filed), recognised: Number(recognised), rejected: Number(rejected), rewards: Money.fromFen(rewards).toString(), rows };
    const jsonTail = Buffer.from(`,${JSON.stringify(counts).slice(1)}`);
    const figures: Figures = { counts, jsonTail, tailHash: sha1(jsonTail) };
    // The JSON's bytes, the rows' objects at about twice as many, and a CSV if one is asked for.
    this.answers.set(key, version, figures, jsonTail.length * 4);
    return { figures, asOf, version };
  }
}
