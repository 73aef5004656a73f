/**
 * The financing, banks, risk-fund, transfers and agencies answers kept per version of the
 * projections each reads (`KeptAnswers`) on the real PostgreSQL. For each report: a repeated query
 * is answered without reading the figures; a batch of a projection the report does not read keeps
 * the answer; a batch of one it reads makes the next answer read them again, equal to the oracle
 * of everything folded; another query (a bank's own rows, another region) is kept apart; and a
 * migration committed since (it may restate figures in place) makes the answer read again.
 */
import { BusinessDate, RegionCode } from '@ipfin/kernel';
import { migratedTestSchema, type TestSchema } from '@ipfin/testing';
import { CountersRepository } from '../src/counters/counters.repository';
import { createDataSource } from '../src/database/data-source';
import { FinancingRepository } from '../src/financing/financing.repository';
import type { ProjectionName } from '../src/projections';
import { PROJECTION_TABLES } from '../src/rebuild/rebuild-projections';
import {
  BANKS, bounds, expectedAgencies, expectedBanks, expectedFinancing, expectedRiskFund, expectedTransfers, generateDataset, type Envelope,
} from './support/dataset';
import { feed, scopeOf, servicesOver, type Services } from './support/harness';

let db: TestSchema;
let s: Services;
let data: Envelope[];
/** The reads that returned figures (a read given a current kept version returns none). */
const reads = { financing: 0, counters: 0 };
const financingReport = FinancingRepository.prototype.report;
const countersReport = CountersRepository.prototype.report;
const financingReads = jest.spyOn(FinancingRepository.prototype, 'report').mockImplementation(async function (this: FinancingRepository, ...args: Parameters<FinancingRepository['report']>) {
  const read = await financingReport.apply(this, args);
  if (read.parts !== null) reads.financing += 1;
  return read;
});
const counterReads = jest.spyOn(CountersRepository.prototype, 'report').mockImplementation(async function (this: CountersRepository, ...args: Parameters<CountersRepository['report']>) {
  const read = await countersReport.apply(this, args);
  if (read.sums !== null) reads.counters += 1;
  return read;
});

beforeAll(async () => {
  db = await migratedTestSchema(createDataSource, 'metrics_kept');
  data = generateDataset(20242).envelopes;
});

afterAll(async () => {
  financingReads.mockRestore();
  counterReads.mockRestore();
  await db?.drop();
});

const year2024 = (region: string) => ({ ...bounds(region), from: '2024-01-01', to: '2024-12-31' });
const ragged = (region: string) => ({ ...bounds(region), from: '2024-02-15', to: '2025-03-10' });
const topic = (name: ProjectionName): Envelope[] => data.filter((e) => e.topic === name);
/** An answer's figures: without what each answer measures for itself, and the query it echoes. */
const figures = <T extends object>(r: T) => {
  const { asOf: _a, lagEvents: _l, region: _r, year: _y, ...rest } = r as Record<string, unknown>;
  return rest;
};

interface Case {
  report: string;
  /** The topic fed in two halves (its second half moves the version), then the others it reads, whole. */
  primary: ProjectionName;
  others: ProjectionName[];
  /** A topic the report does not read. */
  unrelated: ProjectionName;
  /** Which repository reads its figures. */
  reads: keyof typeof reads;
  answer: (region: string) => Promise<object>;
  expected: (fed: Envelope[], region: string) => unknown;
}

const CASES: Case[] = [
  {
    report: 'financing', primary: 'loans', others: [], unrelated: 'products', reads: 'financing',
    answer: async (region) => (await s.financing.report({
      region: RegionCode.parse(region), from: BusinessDate.parse('2024-02-15'), to: BusinessDate.parse('2025-03-10'), groupBy: null,
    })).totals,
    expected: (fed, region) => expectedFinancing(fed, ragged(region)),
  },
  {
    report: 'banks', primary: 'loans', others: [], unrelated: 'products', reads: 'financing',
    answer: async (region) => (await s.banks.report(scopeOf(region), '2024')).rows,
    expected: (fed, region) => expectedBanks(fed, year2024(region)),
  },
  {
    report: 'risk-fund', primary: 'risk', others: ['loans'], unrelated: 'products', reads: 'counters',
    answer: async (region) => figures(await s.riskFund.report(scopeOf(region), { from: '2024-02-15', to: '2025-03-10' })),
    expected: (fed, region) => expectedRiskFund(fed, ragged(region)),
  },
  {
    report: 'transfers', primary: 'patents', others: [], unrelated: 'products', reads: 'counters',
    // In force on the period's last day (2024-12-31, before the services' today).
    answer: async (region) => figures(await s.transfers.report(scopeOf(region), { year: '2024' })),
    expected: (fed, region) => expectedTransfers(fed, year2024(region), '2024-12-31', region.startsWith('3506')),
  },
  {
    report: 'agencies', primary: 'patents', others: ['loans', 'products'], unrelated: 'risk', reads: 'counters',
    answer: async (region) => (await s.agencies.report(scopeOf(region), { year: '2024' })).rows,
    expected: (fed, region) => expectedAgencies(fed, year2024(region), region.startsWith('3506')),
  },
];

async function emptyProjections(): Promise<void> {
  await db.dataSource.query(`truncate ${PROJECTION_TABLES.map((t) => `"${db.schema}".${t}`).join(', ')}, "${db.schema}".inbox`);
}

describe.each(CASES)('$report answers kept per projection version', (c) => {
  let seed = 0;
  beforeAll(async () => {
    await emptyProjections();
    // A service of its own: nothing kept from another case.
    s = servicesOver(db.dataSource);
  });
  beforeEach(() => { reads[c.reads] = 0; });
  const figureReads = (): number => reads[c.reads];

  const half = (): Envelope[] => topic(c.primary).slice(0, Math.floor(topic(c.primary).length / 2));
  const fedFirst = (): Envelope[] => [...c.others.flatMap(topic), ...half()];
  const fedAll = (): Envelope[] => [...c.others.flatMap(topic), ...topic(c.primary)];

  it('answers a repeated query from the kept figures, also after a batch of a projection it does not read', async () => {
    for (const name of c.others) await feed(db.dataSource, db.schema, topic(name), ++seed);
    await feed(db.dataSource, db.schema, half(), ++seed);
    const first = await c.answer('350600');
    expect(first).toEqual(c.expected(fedFirst(), '350600'));
    expect(figureReads()).toBe(1);
    expect(await c.answer('350600')).toEqual(first);
    expect(figureReads()).toBe(1);

    await feed(db.dataSource, db.schema, topic(c.unrelated), ++seed);
    expect(await c.answer('350600')).toEqual(first);
    expect(figureReads()).toBe(1);
    // Another region is another query.
    expect(await c.answer('350500')).toEqual(c.expected(fedFirst(), '350500'));
    expect(figureReads()).toBe(2);
  });

  it('reads the figures again after a batch of a projection it reads', async () => {
    await c.answer('350600');
    reads[c.reads] = 0;
    await feed(db.dataSource, db.schema, topic(c.primary), ++seed);
    const after = await c.answer('350600');
    expect(figureReads()).toBe(1);
    expect(after).toEqual(c.expected(fedAll(), '350600'));
    expect(after).not.toEqual(c.expected(fedFirst(), '350600'));
    expect(await c.answer('350600')).toEqual(after);
    expect(figureReads()).toBe(1);
  });

  it('reads the figures again after a migration', async () => {
    await c.answer('350600');
    reads[c.reads] = 0;
    const [{ id }] = await db.dataSource.query(`insert into "${db.schema}".migrations (timestamp, name) values (9999999999999, 'Restating9999999999999') returning id`);
    try {
      await c.answer('350600');
      expect(figureReads()).toBe(1);
    } finally {
      await db.dataSource.query(`delete from "${db.schema}".migrations where id = $1`, [id]);
    }
  });
});

describe('a bank reading its own financing rows', () => {
  it('is answered apart from the region, and kept apart', async () => {
    await emptyProjections();
    await feed(db.dataSource, db.schema, topic('loans'), 100);
    s = servicesOver(db.dataSource);
    const bank = BANKS[0];
    const query = { region: RegionCode.parse('350600'), from: BusinessDate.parse('2024-02-15'), to: BusinessDate.parse('2025-03-10'), groupBy: null };
    const all = (await s.financing.report(query)).totals;
    const own = (await s.financing.report({ ...query, bank })).totals;
    expect(all).toEqual(expectedFinancing(data, ragged('350600')));
    expect(own).toEqual(expectedFinancing(data, ragged('350600'), bank));
    expect(own).not.toEqual(all);
    reads.financing = 0;
    expect((await s.financing.report({ ...query, bank })).totals).toEqual(own);
    expect((await s.financing.report(query)).totals).toEqual(all);
    expect(reads.financing).toBe(0);
  });
});

describe('reward policies', () => {
  it('are read again once a migration has been applied, and only then', async () => {
    await emptyProjections();
    await feed(db.dataSource, db.schema, topic('patents'), 101);
    s = servicesOver(db.dataSource);
    const rewards = async () => (await s.transfers.report(scopeOf('350600'), { year: '2024' })).universityRewards;
    const before = await rewards();
    expect(before).toEqual(expectedTransfers(data, year2024('350600'), '2024-12-31', true).universityRewards);
    expect(before.some((r) => r.reward !== '0.00')).toBe(true);
    const policies = `"${db.schema}".reward_policies`;
    const [{ params }] = await db.dataSource.query(`select params from ${policies} where kind = 'university-transfer-reward' and region = '350600'`);
    // A policy written by hand in SQL: neither the kept answer nor the kept policies see it.
    await db.dataSource.query(`update ${policies} set params = params || '{"cap": "0.00"}' where kind = 'university-transfer-reward' and region = '350600'`);
    try {
      expect(await rewards()).toEqual(before);
      // As a migration would write it: now every reward is capped at nothing.
      const [{ id }] = await db.dataSource.query(`insert into "${db.schema}".migrations (timestamp, name) values (9999999999998, 'Policies9999999999998') returning id`);
      try {
        const capped = before.map((r) => ({ ...r, reward: '0.00' }));
        const bySub = (rows: typeof before) => [...rows].sort((a, b) => (a.sub < b.sub ? -1 : 1));
        expect(bySub(await rewards())).toEqual(bySub(capped));
      } finally {
        await db.dataSource.query(`delete from "${db.schema}".migrations where id = $1`, [id]);
      }
    } finally {
      await db.dataSource.query(`update ${policies} set params = $1 where kind = 'university-transfer-reward' and region = '350600'`, [JSON.stringify(params)]);
    }
  });
});
