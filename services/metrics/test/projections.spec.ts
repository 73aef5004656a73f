/**
 * The metrics projections on the real PostgreSQL: a seeded dataset of all four topics is folded
 * through the service's own handlers (inbox included), and every figure of every endpoint is
 * compared with an oracle that recomputes it from the raw events. Feeding everything again, in
 * other batches, changes nothing (exactly-once); the loans and risk topics may arrive in either
 * order, concurrently, with the same covered-loss figures.
 */
import { BusinessDate, RegionCode } from '@ipfin/kernel';
import { migratedTestSchema, type TestSchema } from '@ipfin/testing';
import { createDataSource } from '../src/database/data-source';
import {
  bounds, expectedAgencies, expectedBanks, expectedFinancing, expectedProducts, expectedRiskFund, expectedTransfers, generateDataset, yuan,
  type Envelope, type Query,
} from './support/dataset';
import { assertValid, feed, scopeOf, servicesOver, snapshot, type Services } from './support/harness';

const TODAY = '2025-07-15';
const REGIONS = ['350600', '350602', '350603', '350500', '350583', '350000', '371002'];
const PERIODS: { label: string; params: { year?: string; from?: string; to?: string }; from: string; to: string }[] = [
  { label: '2023', params: { year: '2023' }, from: '2023-01-01', to: '2023-12-31' },
  { label: '2024', params: { year: '2024' }, from: '2024-01-01', to: '2024-12-31' },
  { label: '2025', params: { year: '2025' }, from: '2025-01-01', to: '2025-12-31' },
  { label: 'ragged range', params: { from: '2024-02-15', to: '2025-03-10' }, from: '2024-02-15', to: '2025-03-10' },
];
const zhangzhou = (region: string): boolean => region.startsWith('3506');
const strip = <T extends object>(r: T) => {
  const { asOf: _a, lagEvents: _l, region: _r, year: _y, ...rest } = r as Record<string, unknown>;
  return rest;
};

let db: TestSchema;
let s: Services;
let data: Envelope[];

beforeAll(async () => {
  db = await migratedTestSchema(createDataSource, 'metrics_it');
  s = servicesOver(db.dataSource);
  data = generateDataset(20241).envelopes;
});

afterAll(async () => {
  await db?.drop();
});

async function expectEveryFigure(): Promise<void> {
  for (const region of REGIONS) {
    const scope = scopeOf(region);
    for (const p of PERIODS) {
      const q: Query = { ...bounds(region), from: p.from, to: p.to };
      const at = `${region} ${p.label}`;
      const financing = await s.financing.report({ region: scope.region, from: BusinessDate.parse(p.from), to: BusinessDate.parse(p.to), groupBy: null });
      expect({ at, ...financing.totals }).toEqual({ at, ...expectedFinancing(data, q) });
      expect({ at, ...strip(await s.riskFund.report(scope, p.params)) }).toEqual({ at, ...expectedRiskFund(data, q) });
      const inForceOn = p.to < TODAY ? p.to : TODAY;
      expect({ at, ...strip(await s.transfers.report(scope, p.params)) }).toEqual({ at, ...expectedTransfers(data, q, inForceOn, zhangzhou(region)) });
      expect({ at, ...strip(await s.products.report(scope, p.params)) }).toEqual({ at, ...expectedProducts(data, q) });
      expect({ at, rows: (await s.agencies.report(scope, p.params)).rows }).toEqual({ at, rows: expectedAgencies(data, q, zhangzhou(region)) });
      if (p.params.year) {
        expect({ at, rows: (await s.banks.report(scope, p.params.year)).rows }).toEqual({ at, rows: expectedBanks(data, q) });
      }
    }
    // Everything up to today, and period rows whose outstanding runs to each period's end.
    const all: Query = { ...bounds(region), from: '0001-01-01', to: TODAY };
    expect(strip(await s.riskFund.report(scope, {}))).toEqual(expectedRiskFund(data, all));
    const quarters = await s.financing.report({ region: scope.region, from: BusinessDate.parse('2024-02-15'), to: BusinessDate.parse('2025-03-10'), groupBy: 'quarter' });
    for (const row of quarters.rows) {
      const [year, qn] = row.key.split('-Q').map(Number);
      const start = `${year}-${String((qn - 1) * 3 + 1).padStart(2, '0')}-01`;
      const end = BusinessDate.parse(start).addMonths(3).addDays(-1).toString();
      const q: Query = { ...bounds(region), from: start < '2024-02-15' ? '2024-02-15' : start, to: end > '2025-03-10' ? '2025-03-10' : end };
      const { key, ...figures } = row;
      expect({ region, key, ...figures }).toEqual({ region, key, ...expectedFinancing(data, q) });
    }
  }
}

describe('metrics projections on PostgreSQL', () => {
  it('generates valid events of every topic', () => {
    assertValid(data);
    expect([...new Set(data.map((e) => e.topic))].sort()).toEqual(['loans', 'patents', 'products', 'risk']);
    expect(data.length).toBeGreaterThan(1000);
    // Loans that default twice (a defaulted loan counts once, on its earliest default left), one
    // of them with its first default reversed.
    const defaults = data.filter((e) => e.type === 'ipfin.loans.LoanDefaulted.v1');
    const reversed = new Set(data.filter((e) => e.type === 'ipfin.loans.EventReversed.v1').map((e) => e.data.reversedEventId as string));
    const perLoan = new Map<string, number>();
    for (const e of defaults) perLoan.set(e.key, (perLoan.get(e.key) ?? 0) + 1);
    expect([...perLoan.values()].filter((n) => n > 1).length).toBeGreaterThan(3);
    expect(defaults.some((e) => reversed.has(e.data.eventId as string) && defaults.some((o) => o.key === e.key && o !== e && !reversed.has(o.data.eventId as string)))).toBe(true);
    // Patents transferred with an open licence declared: the licence in force moves to the
    // assignee's region from the contract date. Without those transfers, figures the test reads
    // would differ (in some regions and periods), so the oracle's rule is really exercised.
    const declared = new Set(data.filter((e) => e.type === 'ipfin.patents.OpenLicenceDeclared.v1').map((e) => e.data.number as string));
    const withoutMoves = data.filter((e) => !(e.type === 'ipfin.patents.PatentTransferred.v1' && declared.has(e.data.number as string)));
    const moved = REGIONS.flatMap((region) => PERIODS.filter((p) => {
      const q: Query = { ...bounds(region), from: p.from, to: p.to };
      const inForceOn = p.to < TODAY ? p.to : TODAY;
      return expectedTransfers(data, q, inForceOn, false).openLicencesInForce !== expectedTransfers(withoutMoves, q, inForceOn, false).openLicencesInForce;
    }));
    expect(moved.length).toBeGreaterThan(3);
  });

  it('folds the four topics in random batches into figures that match the oracle everywhere', async () => {
    const started = Date.now();
    await feed(db.dataSource, db.schema, data, 1);
    const folded = Date.now() - started;
    await expectEveryFigure();
    // The dataset exercises what it should.
    const zz2024 = await s.agencies.report(scopeOf('350600'), { year: '2024' });
    expect(zz2024.rows.find((r) => r.agency === 'agency-zz-1')).toMatchObject({ subsidyEarned: true, subsidy: '150000.00' });
    const transfers = await s.transfers.report(scopeOf('350600'), { year: '2024' });
    expect(transfers.universityRewards.find((u) => u.sub === 'univ-xmu')?.reward).not.toBe('0.00');
    const risk = await s.riskFund.report(scopeOf('350600'), {});
    expect(risk.lossRate).not.toBe('0.0000');
    expect(Object.values(risk.claims).every((n) => n >= 0)).toBe(true);
    process.stdout.write(`folded ${data.length} events in ${folded} ms\n`);
  });

  it('is exactly-once: the same events again, in other batches, and a replay of one topic change no figure', async () => {
    const before = await snapshot(s);
    await feed(db.dataSource, db.schema, data, 2, { maxBatch: 7 });
    await feed(db.dataSource, db.schema, data.filter((e) => e.topic === 'loans'), 3, { maxBatch: 200 });
    expect(await snapshot(s)).toEqual(before);
  });

  it('reports asOf as the newest event folded into the projections each report reads', async () => {
    const newest = (...topics: string[]): string | undefined => data.filter((e) => topics.includes(e.topic)).map((e) => e.time).sort().pop();
    const scope = scopeOf('350600');
    const asOfs = {
      financing: (await s.financing.report({ region: scope.region, from: null, to: null, groupBy: null })).asOf,
      banks: (await s.banks.report(scope, '2024')).asOf,
      riskFund: (await s.riskFund.report(scope, {})).asOf,
      transfers: (await s.transfers.report(scope, { year: '2024' })).asOf,
      products: (await s.products.report(scope, { year: '2024' })).asOf,
      agencies: (await s.agencies.report(scope, { year: '2024' })).asOf,
    };
    expect(asOfs).toEqual({
      financing: newest('loans'),
      banks: newest('loans'),
      riskFund: newest('risk', 'loans'),
      transfers: newest('patents'),
      products: newest('products'),
      agencies: newest('loans', 'patents', 'products'),
    });
    // The four projections' newest events differ, so each report really reads its own.
    expect(new Set([newest('loans'), newest('risk'), newest('patents'), newest('products')]).size).toBe(4);
  });

  it('computes the seeded targets live from the aggregates', async () => {
    const list = await s.targets.list({ region: RegionCode.parse('350000') }, { limit: 500 });
    const nanan = list.items.find((t) => t.id === 'nanan-2022-pledge-financing')!;
    const expected = expectedFinancing(data, { ...bounds('350583'), from: '0001-01-01', to: '2024-12-31' }).contracted;
    expect(nanan).toMatchObject({ region: '350583', unit: 'CNY', target: '500000000.00', dueOn: '2024-12-31', actual: expected, baseline: null });
    const fen = BigInt(expected.replace('.', ''));
    const progress = (fen * 10000n * 2n + 50000000000n) / (2n * 50000000000n);
    expect(nanan.progress).toBe(`${progress / 10000n}.${(progress % 10000n).toString().padStart(4, '0')}`);
    const quanzhou = list.items.filter((t) => t.region === '350500').map((t) => [t.indicator, t.actual]);
    const qz = expectedFinancing(data, { ...bounds('350500'), from: '0001-01-01', to: '2018-12-31' });
    expect(quanzhou).toEqual([['patent-pledge-cumulative', qz.patentPledged], ['trademark-pledge-cumulative', qz.trademarkPledged]]);

    const weihai = (await s.targets.list({ region: RegionCode.parse('371002') }, { limit: 10 })).items;
    const declared = data.filter((e) => e.type === 'ipfin.patents.OpenLicenceDeclared.v1' && e.data.owner.region === '371002' && e.data.declaredOn <= TODAY).length;
    expect(weihai).toEqual([expect.objectContaining({ indicator: 'open-licences-declared-cumulative', target: 50, actual: declared })]);
    expect(weihai[0].progress).toBe(`0.${String(declared * 200).padStart(4, '0')}`);
  });

  it('records a posted target and measures it; a second one for the same indicator and day is a conflict', async () => {
    const created = await s.targets.create('zz-ip-office', { region: '350602', indicator: 'pledge-financing-annual', unit: 'CNY', target: '10000000.00', baseline: '1.50', dueOn: '2025-12-31' });
    const expected = expectedFinancing(data, { ...bounds('350602'), from: '2025-01-01', to: TODAY }).contracted;
    expect(created).toMatchObject({ region: '350602', baseline: '1.50', target: '10000000.00', actual: expected });
    const unmeasured = await s.targets.create('zz-ip-office', { region: '350602', indicator: 'invention-patents-per-10k-people', unit: 'count', target: 14, dueOn: '2025-12-31' });
    expect(unmeasured).toMatchObject({ actual: null, progress: null, target: 14 });
    await expect(s.targets.create('zz-ip-office', { region: '350602', indicator: 'pledge-financing-annual', unit: 'CNY', target: '1.00', dueOn: '2025-12-31' }))
      .rejects.toMatchObject({ kind: 'conflict' });
    const page1 = await s.targets.list({ region: RegionCode.parse('350000') }, { limit: 2 });
    const page2 = await s.targets.list({ region: RegionCode.parse('350000') }, { limit: 2, cursor: page1.nextCursor! });
    expect(page1.items.length + page2.items.length).toBeGreaterThanOrEqual(4);
    expect(new Set([...page1.items, ...page2.items].map((t) => t.id)).size).toBe(page1.items.length + page2.items.length);
  });
});

describe('loans and risk topics meeting', () => {
  let other: TestSchema;
  afterAll(async () => {
    await other?.drop();
  });

  it('gives the same covered loss whether the default or the coverage is folded first, even concurrently', async () => {
    other = await migratedTestSchema(createDataSource, 'metrics_it2');
    const s2 = servicesOver(other.dataSource);
    const subset = data.filter((e) => e.topic === 'loans' || e.topic === 'risk');
    // Risk first, then loans; then (another schema) everything concurrently per topic.
    await feed(other.dataSource, other.schema, subset.filter((e) => e.topic === 'risk'), 4);
    await feed(other.dataSource, other.schema, subset.filter((e) => e.topic === 'loans'), 5);
    const q: Query = { ...bounds('350600'), from: '0001-01-01', to: TODAY };
    expect(strip(await s2.riskFund.report(scopeOf('350600'), {}))).toEqual(expectedRiskFund(subset, q));
    // Nothing of the patents and products topics is folded here: no asOf yet.
    expect((await s2.transfers.report(scopeOf('350600'), { year: '2024' })).asOf).toBeNull();
    expect((await s2.products.report(scopeOf('350600'), { year: '2024' })).asOf).toBeNull();

    const third = await migratedTestSchema(createDataSource, 'metrics_it3');
    try {
      await feed(third.dataSource, third.schema, subset, 6, { concurrent: true, maxBatch: 5 });
      const s3 = servicesOver(third.dataSource);
      for (const region of ['350600', '350500']) {
        expect(strip(await s3.riskFund.report(scopeOf(region), {}))).toEqual(expectedRiskFund(subset, { ...bounds(region), from: '0001-01-01', to: TODAY }));
      }
    } finally {
      await third.drop();
    }
    expect(yuan(0n)).toBe('0.00');
  });
});
