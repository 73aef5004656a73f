/**
 * The products answers kept per projection version (`ProductsService`, `AnswerCache`) on the real
 * PostgreSQL. A repeated query is answered from the kept figures without reading the facts, with
 * its own `asOf` and `lagEvents`; a products batch committed since makes the next answer read them
 * again (equal to the oracle), a batch of another projection does not; the JSON and CSV kept with
 * the figures are those of the answer; and projections emptied and folded again to the same event
 * counts and `asOf` are not taken for the kept version.
 */
import { fixedClock } from '@ipfin/kernel';
import { migratedTestSchema, type TestSchema } from '@ipfin/testing';
import { CountersRepository } from '../src/counters/counters.repository';
import { createDataSource } from '../src/database/data-source';
import type { LagService } from '../src/lag/lag.service';
import { ProductsService, type ProductsReport } from '../src/products/products.service';
import { PROJECTION_TABLES } from '../src/rebuild/rebuild-projections';
import { bounds, expectedProducts, generateDataset, type Envelope } from './support/dataset';
import { feed, scopeOf } from './support/harness';

// The read itself, before beforeAll spies on it.
const readFacts = CountersRepository.prototype.columnsPerDim;

let db: TestSchema;
let products: ProductsService;
let service: () => ProductsService;
let lagEvents = 0;
let reads: jest.SpyInstance;
let data: Envelope[];
let productEvents: Envelope[];

beforeAll(async () => {
  db = await migratedTestSchema(createDataSource, 'metrics_answers');
  const lag = { lagEvents: async () => lagEvents } as unknown as LagService;
  service = () => new ProductsService(new CountersRepository(db.dataSource), lag, db.dataSource, fixedClock('2025-07-15T04:00:00Z'));
  products = service();
  reads = jest.spyOn(CountersRepository.prototype, 'columnsPerDim');
  data = generateDataset(20241).envelopes;
  productEvents = data.filter((e) => e.topic === 'products');
});

afterAll(async () => {
  reads?.mockRestore();
  await db?.drop();
});

const figures = (r: ProductsReport) => {
  const { asOf: _a, lagEvents: _l, region: _r, year: _y, ...rest } = r;
  return rest;
};
const year2024 = (region: string) => ({ ...bounds(region), from: '2024-01-01', to: '2024-12-31' });
const newestTime = (events: readonly Envelope[]): string => events.map((e) => e.time).sort().pop()!;

/** The answer for the region's 2024, its JSON and ETag checked against the report's. */
async function answer(region: string): Promise<ProductsReport> {
  const a = await products.answer(scopeOf(region), { year: '2024' });
  const { parts, etag } = a.json();
  const body = Buffer.concat(parts);
  expect(body.toString('utf8')).toBe(JSON.stringify(a.report));
  expect(etag).toMatch(new RegExp(`^W/"${body.length.toString(16)}-[A-Za-z0-9+/]{27}"$`));
  etags.push(etag);
  // The CSV kept with the figures is that of this answer's figures (a stale one would differ).
  expect(a.csv()).toBe(csvOf(a.report));
  return a.report;
}

/** The CSV answer written out independently: the header, the totals, then the rows (no `rejected` per row). */
const csvOf = (r: ProductsReport): string => [
  'enterprise,filed,recognised,rejected,reward',
  `totals,${r.filed},${r.recognised},${r.rejected},${r.rewards}`,
  ...r.rows.map((x) => `${x.enterprise},${x.filed},${x.recognised},,${x.reward}`),
].join('\r\n') + '\r\n';
const etags: string[] = [];

async function emptyProjections(): Promise<void> {
  await db.dataSource.query(`truncate ${PROJECTION_TABLES.map((t) => `"${db.schema}".${t}`).join(', ')}, "${db.schema}".inbox`);
}

describe('products answers kept per projection version', () => {
  afterEach(() => reads.mockClear());

  it('answers a repeated query from the kept figures, and reads the facts again after a products batch', async () => {
    const half = productEvents.slice(0, Math.floor(productEvents.length / 2));
    await feed(db.dataSource, db.schema, half, 1);
    const first = await answer('350600');
    expect(reads).toHaveBeenCalledTimes(1);
    expect(figures(first)).toEqual(expectedProducts(half, year2024('350600')));
    expect(first.rows.length).toBeGreaterThan(1);

    const again = await answer('350600');
    expect(reads).toHaveBeenCalledTimes(1);
    expect(again).toEqual(first);
    expect(etags[1]).toBe(etags[0]);
    // Each answer has the lag measured for it, and so another body and ETag.
    lagEvents = 7;
    const lagging = await answer('350600');
    expect(reads).toHaveBeenCalledTimes(1);
    expect(lagging).toEqual({ ...first, lagEvents: 7 });
    expect(etags[2]).not.toBe(etags[0]);

    // Another query is kept apart from the first.
    const province = await answer('350000');
    expect(reads).toHaveBeenCalledTimes(2);
    expect(figures(province)).toEqual(expectedProducts(half, year2024('350000')));

    await feed(db.dataSource, db.schema, productEvents, 2);
    const after = await answer('350600');
    expect(reads).toHaveBeenCalledTimes(3);
    expect(etags.at(-1)).not.toBe(etags[2]);
    expect(figures(after)).toEqual(expectedProducts(productEvents, year2024('350600')));
    expect(figures(after)).not.toEqual(figures(first));
    expect(after.asOf).toBe(newestTime(productEvents));
    expect(figures(await answer('350000'))).toEqual(expectedProducts(productEvents, year2024('350000')));
    expect(reads).toHaveBeenCalledTimes(4);
  });

  it('keeps the answers through batches of the other projections', async () => {
    await answer('350600');
    reads.mockClear();
    await feed(db.dataSource, db.schema, data.filter((e) => e.topic !== 'products'), 3);
    const kept = await answer('350600');
    expect(reads).not.toHaveBeenCalled();
    expect(figures(kept)).toEqual(expectedProducts(productEvents, year2024('350600')));
  });

  it('does not take projections emptied and folded again to the same event counts and asOf for the kept version', async () => {
    await emptyProjections();
    await feed(db.dataSource, db.schema, productEvents, 4);
    const before = await answer('350600');
    // The same events (same keys, so the same partitions, and the same times), filed a year earlier.
    const moved = productEvents.map((e) => (e.type === 'ipfin.products.ProductFiled.v1'
      ? { ...e, data: { ...e.data, filedOn: e.data.filedOn.replace(/^2024/, '2023') } } : e));
    expect(expectedProducts(moved, year2024('350600'))).not.toEqual(figures(before));
    await emptyProjections();
    await feed(db.dataSource, db.schema, moved, 5);
    reads.mockClear();
    const after = await answer('350600');
    expect(reads).toHaveBeenCalledTimes(1);
    expect(after.asOf).toBe(before.asOf);
    expect(figures(after)).toEqual(expectedProducts(moved, year2024('350600')));
  });
});

describe('products answers of requests that arrive together', () => {
  // A service of its own per test: nothing kept yet, so every request that does not wait reads.
  let fresh: ProductsService;
  beforeEach(() => { fresh = service(); });
  const report = (region: string): Promise<ProductsReport> => fresh.report(scopeOf(region), { year: '2024' });
  const half = (): Envelope[] => productEvents.slice(0, Math.floor(productEvents.length / 2));

  it('read the facts once for the requests that arrive while the same query is read', async () => {
    await emptyProjections();
    await feed(db.dataSource, db.schema, half(), 6);
    reads.mockClear();
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => report('350600')));
    expect(reads).toHaveBeenCalledTimes(1);
    for (const a of answers) expect(figures(a)).toEqual(expectedProducts(half(), year2024('350600')));
    // Another query at the same time is read on its own.
    const [county, province] = await Promise.all([report('350602'), report('350000')]);
    expect(reads).toHaveBeenCalledTimes(3);
    expect(figures(county)).toEqual(expectedProducts(half(), year2024('350602')));
    expect(figures(province)).toEqual(expectedProducts(half(), year2024('350000')));
  });

  it('do not take a read from before a products batch that committed before they arrived', async () => {
    await emptyProjections();
    await feed(db.dataSource, db.schema, half(), 7);
    expect(expectedProducts(productEvents, year2024('350600'))).not.toEqual(expectedProducts(half(), year2024('350600')));
    let readDone!: () => void;
    const read = new Promise<void>((resolve) => { readDone = resolve; });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    reads.mockClear();
    // The first request's read takes its snapshot now and finishes only once the second has come.
    reads.mockImplementationOnce(async function (this: CountersRepository, ...args: Parameters<CountersRepository['columnsPerDim']>) {
      const result = await readFacts.apply(this, args);
      readDone();
      await gate;
      return result;
    });
    const first = report('350600');
    await read;
    await feed(db.dataSource, db.schema, productEvents, 8);
    const second = report('350600');
    release();
    const [before, after] = await Promise.all([first, second]);
    expect(figures(before)).toEqual(expectedProducts(half(), year2024('350600')));
    expect(figures(after)).toEqual(expectedProducts(productEvents, year2024('350600')));
    expect(reads).toHaveBeenCalledTimes(2);
  });
});
