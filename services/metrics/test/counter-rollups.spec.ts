/**
 * The generic fact tables' region and yearly roll-ups and member counts on the real PostgreSQL:
 * random counter and member-set changes (reversals included) are folded through
 * `CountersRepository.apply`, then
 * - every read of a prefecture, province or the nation equals the sum of its counties' facts, and
 *   distinct counts equal the union of their sets (a member in two counties counted once), for
 *   whole years, whole months, ragged and multi-year ranges, with and without per-year grouping;
 * - every count row equals `count(*)` of its set;
 * - the CounterRollUps migration, run on a schema holding only what the fold wrote before it
 *   (own-code daily and monthly rows), builds exactly the rows the fold writes now.
 */
import { RegionCode } from '@ipfin/kernel';
import { serviceDataSource } from '@ipfin/http';
import { migratedTestSchema, type TestSchema } from '@ipfin/testing';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { regionKey } from '../src/common/range';
import { CountersRepository, type CounterRead, type CounterSum } from '../src/counters/counters.repository';
import { DeltaBag } from '../src/counters/deltas';
import { MIGRATIONS } from '../src/database/data-source';
import { prng } from '@ipfin/testing';
import { addDays } from './support/dataset';
import { WriteBatch } from '../src/common/write-batch';

const COUNTIES = ['350602', '350603', '350600', '350583', '350503', '371002', '430521'];
const QUERY_REGIONS = ['350602', '350600', '350500', '350000', '371000', '370000', '430000', null];
const MEASURES = ['m.a', 'm.b'];
const MEMBER_MEASURE = 'm.members';
const DIMS = ['', 'x', 'y'];
const AGENCIES = ['ag-1', 'ag-2', 'ag-3'];
const MEMBERS = Array.from({ length: 12 }, (_, i) => `member-${i}`);
const FIRST_DAY = '2023-11-20';
const DAYS = 520; // … 2025-04-22

const inRegion = (region: string | null, code: string): boolean => {
  if (region === null) return true;
  const r = RegionCode.parse(region);
  switch (r.level()) {
    case 'province': return code.slice(0, 2) === region.slice(0, 2);
    case 'prefecture': return code.slice(0, 4) === region.slice(0, 4);
    case 'county': return code === region;
  }
};
const keyOf = (region: string | null): string => regionKey(region === null ? null : RegionCode.parse(region));

interface Fact { measure: string; region: string; day: string; dim: string; n: number; amount: bigint }
interface MemberFact { region: string; day: string; dim: string; member: string; n: number }

/** Random batches of counter and member changes; reversals only of what is there, so no set goes below zero. */
function batches(seed: number, count: number): { counters: Fact[]; members: MemberFact[] }[] {
  const rnd = prng(seed);
  const pickOne = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const live = new Map<string, MemberFact>();
  const out: { counters: Fact[]; members: MemberFact[] }[] = [];
  for (let b = 0; b < count; b++) {
    const counters: Fact[] = [];
    const members: MemberFact[] = [];
    for (let i = 0; i < 40; i++) {
      const sign = rnd() < 0.25 ? -1 : 1;
      counters.push({
        measure: pickOne(MEASURES), region: pickOne(COUNTIES), day: addDays(FIRST_DAY, Math.floor(rnd() * DAYS)), dim: pickOne(DIMS),
        n: sign * (1 + Math.floor(rnd() * 3)), amount: BigInt(sign) * BigInt(Math.floor(rnd() * 1_000_000)),
      });
    }
    for (let i = 0; i < 30; i++) {
      const existing = [...live.values()].filter((m) => m.n > 0);
      if (existing.length > 0 && rnd() < 0.3) {
        const m = pickOne(existing);
        const n = -(1 + Math.floor(rnd() * m.n));
        members.push({ ...m, n });
        m.n += n;
      } else {
        const m: MemberFact = { region: pickOne(COUNTIES), day: addDays(FIRST_DAY, Math.floor(rnd() * DAYS)), dim: pickOne(AGENCIES), member: pickOne(MEMBERS), n: 1 + Math.floor(rnd() * 2) };
        members.push({ ...m });
        const id = `${m.region}|${m.day}|${m.dim}|${m.member}`;
        const known = live.get(id);
        if (known) known.n += m.n;
        else live.set(id, m);
      }
    }
    out.push({ counters, members });
  }
  return out;
}

async function fold(ds: DataSource, all: { counters: Fact[]; members: MemberFact[] }[]): Promise<void> {
  const repo = new CountersRepository(ds);
  for (const batch of all) {
    const bag = new DeltaBag();
    for (const c of batch.counters) bag.count({ measure: c.measure, region: c.region, dim: c.dim, day: c.day }, c.n, c.amount);
    for (const m of batch.members) bag.member({ measure: MEMBER_MEASURE, region: m.region, dim: m.dim, day: m.day, member: m.member }, m.n);
    await ds.transaction(async (manager) => {
      const batch = new WriteBatch();
      repo.apply(batch, bag);
      await batch.run(manager);
    });
  }
}

const RANGES: [string, string][] = [
  ['2024-01-01', '2024-12-31'], // a whole year
  ['2024-03-01', '2024-03-30'], ['2024-03-01', '2024-03-31'], // a whole month
  ['2024-02-15', '2025-03-10'], // ragged, two years
  ['2023-12-01', '2025-01-31'], // months around a whole year
  ['2023-01-01', '2025-12-31'], // whole years only
  ['0001-01-01', '2025-02-14'], // from the beginning
  ['2024-07-04', '2024-07-04'], // a day
];

let a: TestSchema;
const all = batches(7, 12);

beforeAll(async () => {
  a = await migratedTestSchema((opts) => serviceDataSource('metrics', MIGRATIONS, opts), 'metrics_rollups');
  await fold(a.dataSource, all);
});

afterAll(async () => {
  await a?.drop();
});

describe('counter roll-ups', () => {
  it('reads a prefecture, province or the nation as the sum of its counties', async () => {
    const repo = new CountersRepository(a.dataSource);
    const facts = all.flatMap((b) => b.counters);
    for (const region of QUERY_REGIONS) {
      const reads: CounterRead[] = RANGES.flatMap(([from, to]) => [
        { kind: 'sum', measures: MEASURES, region: keyOf(region), from, to, by: { dim: true, year: true } },
        { kind: 'sum', measures: MEASURES, region: keyOf(region), from, to },
      ] as CounterRead[]);
      const answers = await repo.read(reads);
      RANGES.forEach(([from, to], i) => {
        const scoped = facts.filter((f) => inRegion(region, f.region) && f.day >= from && f.day <= to);
        const expected = new Map<string, { n: bigint; amountFen: bigint }>();
        for (const f of scoped) {
          for (const id of [`${f.measure}|${f.dim}|${f.day.slice(0, 4)}`, `${f.measure}||0`]) {
            const e = expected.get(id) ?? { n: 0n, amountFen: 0n };
            e.n += BigInt(f.n);
            e.amountFen += f.amount;
            expected.set(id, e);
          }
        }
        const got = new Map<string, { n: bigint; amountFen: bigint }>();
        for (const r of [...answers[2 * i], ...answers[2 * i + 1]]) got.set(`${r.measure}|${r.dim}|${r.year}`, { n: r.n, amountFen: r.amountFen });
        const nonZero = (m: Map<string, { n: bigint; amountFen: bigint }>) => [...m.entries()].filter(([, v]) => v.n !== 0n || v.amountFen !== 0n).sort();
        expect({ region, from, to, rows: nonZero(got) }).toEqual({ region, from, to, rows: nonZero(expected) });
      });
    }
  });

  it('counts distinct members of a region once however many counties they are in', async () => {
    const repo = new CountersRepository(a.dataSource);
    const facts = all.flatMap((b) => b.members);
    // The sets as they are: Σ n per (county, day, agency, member), a member counting while above zero.
    const sets = new Map<string, MemberFact>();
    for (const f of facts) {
      const id = `${f.region}|${f.day}|${f.dim}|${f.member}`;
      const s = sets.get(id) ?? { ...f, n: 0 };
      s.n += f.n;
      sets.set(id, s);
    }
    const present = [...sets.values()].filter((s) => s.n > 0);
    // Members that were in more than one county of a prefecture exist (the union matters).
    const counties = new Map<string, Set<string>>();
    for (const s of present.filter((x) => x.region.startsWith('3506') && x.day.startsWith('2024'))) {
      counties.set(`${s.dim}|${s.member}`, (counties.get(`${s.dim}|${s.member}`) ?? new Set()).add(s.region));
    }
    expect([...counties.values()].some((c) => c.size > 1)).toBe(true);
    for (const region of QUERY_REGIONS) {
      const reads: CounterRead[] = RANGES.flatMap(([from, to]) => [
        { kind: 'distinct', measure: MEMBER_MEASURE, region: keyOf(region), from, to },
        { kind: 'distinct', measure: MEMBER_MEASURE, region: keyOf(region), from, to, by: { year: true } },
        { kind: 'distinct', measure: MEMBER_MEASURE, region: keyOf(region), from, to, dims: ['ag-2'] },
      ] as CounterRead[]);
      const answers = await repo.read(reads);
      RANGES.forEach(([from, to], i) => {
        const scoped = present.filter((s) => inRegion(region, s.region) && s.day >= from && s.day <= to);
        const distinct = (rows: MemberFact[], key: (s: MemberFact) => string): [string, number][] => {
          const by = new Map<string, Set<string>>();
          for (const s of rows) by.set(key(s), (by.get(key(s)) ?? new Set()).add(s.member));
          return [...by.entries()].map(([k, v]): [string, number] => [k, v.size]).sort();
        };
        const rows = (xs: CounterSum[], withYear: boolean): [string, number][] =>
          xs.filter((x) => x.n !== 0n).map((x): [string, number] => [withYear ? `${x.dim}|${x.year}` : x.dim, Number(x.n)]).sort();
        const at = { region, from, to };
        expect({ ...at, rows: rows(answers[3 * i], false) }).toEqual({ ...at, rows: distinct(scoped, (s) => s.dim) });
        expect({ ...at, rows: rows(answers[3 * i + 1], true) }).toEqual({ ...at, rows: distinct(scoped, (s) => `${s.dim}|${Number(s.day.slice(0, 4))}`) });
        expect({ ...at, rows: rows(answers[3 * i + 2], false) }).toEqual({ ...at, rows: distinct(scoped.filter((s) => s.dim === 'ag-2'), (s) => s.dim) });
      });
    }
  });

  it('keeps every count row equal to the size of its set, and no set row at zero', async () => {
    for (const [counts, sets] of [['member_count_monthly', 'member_monthly'], ['member_count_yearly', 'member_yearly']]) {
      const diff: unknown[] = await a.dataSource.query(`
        select * from (select measure, region, day, dim, n from ${counts}) c
          full join (select measure, region, day, dim, count(*)::int as size from ${sets} group by 1, 2, 3, 4) s using (measure, region, day, dim)
         where c.n is distinct from s.size`);
      expect({ counts, diff }).toEqual({ counts, diff: [] });
      expect(Number((await a.dataSource.query(`select count(*) as n from ${counts}`))[0].n)).toBeGreaterThan(0);
    }
    for (const table of ['member_daily', 'member_monthly', 'member_yearly', 'member_count_monthly', 'member_count_yearly']) {
      expect({ table, rows: await a.dataSource.query(`select * from ${table} where n <= 0`) }).toEqual({ table, rows: [] });
    }
  });
});

describe('CounterRollUps migration', () => {
  const schema = `metrics_rollups_mig_${randomBytes(4).toString('hex')}`;
  let ds: DataSource | undefined;

  afterAll(async () => {
    if (ds?.isInitialized) {
      await ds.query(`drop schema if exists "${schema}" cascade`);
      await ds.destroy();
    }
  });

  it('builds the region and yearly roll-ups and the counts from the rows already folded, as the fold would', async () => {
    // AgencyPatentBorrowers builds rows in the tables CounterRollUps creates: it runs after it.
    const later = ['CounterRollUps1796000100000', 'AgencyPatentBorrowers1796000800000'];
    const before = MIGRATIONS.filter((m) => !later.includes(m.name));
    expect(before).toHaveLength(MIGRATIONS.length - 2);
    ds = serviceDataSource('metrics', before, { url: process.env.DATABASE_URL!, schema });
    await ds.initialize();
    await ds.query(`create schema "${schema}"`);
    await ds.runMigrations({ transaction: 'each' });
    // What the fold wrote before the migration: the own-code daily and monthly rows.
    for (const table of ['counter_daily', 'counter_monthly', 'member_daily', 'member_monthly']) {
      await ds.query(`insert into "${schema}".${table} select * from "${a.schema}".${table} where region ~ '^[0-9]'`);
    }
    await ds.destroy();

    ds = serviceDataSource('metrics', MIGRATIONS, { url: process.env.DATABASE_URL!, schema });
    await ds.initialize();
    expect((await ds.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual(later);
    for (const table of ['counter_daily', 'counter_monthly', 'counter_yearly', 'member_daily', 'member_monthly', 'member_yearly', 'member_count_monthly', 'member_count_yearly']) {
      const [{ n }]: { n: string }[] = await ds.query(`select count(*) as n from "${a.schema}".${table}`);
      // Counter rows at zero mean nothing (the fold may or may not leave one behind).
      const rows = (s: string): string => `select * from "${s}".${table}${table.startsWith('counter_') ? ' where n <> 0 or amount_fen <> 0' : ''}`;
      const differ: unknown[] = await ds.query(`
        (select 'migrated only' as side, m.* from (${rows(schema)} except ${rows(a.schema)}) m)
        union all
        (select 'folded only', f.* from (${rows(a.schema)} except ${rows(schema)}) f)`);
      expect({ table, differ }).toEqual({ table, differ: [] });
      expect(Number(n)).toBeGreaterThan(0);
    }
  });
});
