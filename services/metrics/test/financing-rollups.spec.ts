/**
 * The financing roll-ups on the real PostgreSQL (issue 7): facts kept per region key (county,
 * `P…`, `V…`, `N`) and all banks, yearly roll-ups, SME count rows.
 *
 * - Random loans whose borrowers move between counties, prefectures and provinces, with reversals,
 *   are folded in random batches, partitions concurrently; after every round the count rows equal
 *   what `count(distinct)` over the member sets gives, and every figure at every level (county,
 *   prefecture, province, nation; year, quarter, month, to-date, ragged, from the beginning; every
 *   groupBy; a bank's own view) equals the oracle over the counties' raw events (a borrower in two
 *   counties counted once above them).
 *   The gap cells (`sme-gaps.ts`: distinct SMEs over any range above a county) equal those the
 *   SmeGaps migration derives from the sets; the ragged and per-kind/size figures above a county
 *   are read from them.
 * - The migration on a populated schema produces exactly the rows the fold writes.
 * - The yearly sums over right kinds and sizes stay the yearly rows' sums through the folds and
 *   any other change of those rows (PostgreSQL's trigger), and the migration derives them again.
 */
import { randomUUID } from 'node:crypto';
import { serviceDataSource } from '@ipfin/http';
import { BusinessDate, makeUscc, RegionCode } from '@ipfin/kernel';
import { migratedTestSchema, prng, type TestSchema } from '@ipfin/testing';
import type { DataSource } from 'typeorm';
import { createDataSource, MIGRATIONS } from '../src/database/data-source';
import { YearlySumsTrigger1797000300000 } from '../src/database/migrations/1797000300000-YearlySumsTrigger';
import { FinancingRepository } from '../src/financing/financing.repository';
import { regionKey } from '../src/common/range';
import { SME_GAP_CELLS } from '../src/financing/sme-gaps';
import { PROJECTIONS } from '../src/projections';
import { projectionHandlers } from '../src/rebuild/handlers';
import { addDays, bounds, expectedFinancing, yuan, type Envelope, type Query } from './support/dataset';
import { applyBatch, assertValid, consumed, servicesOver, type Services } from './support/harness';

const KEY = 'region, day, bank, right_kind, borrower_size';
const SUMMED = 'loans, inclusive_loans, contracted_fen, disbursed_fen, repaid_fen, loss_fen, defaults';
const SUMS_OF = SUMMED.split(', ').map((c) => `sum(${c})::${c.endsWith('_fen') ? 'bigint' : 'int'} as ${c}`).join(', ');
const COUNTIES = ['350602', '350603', '350503', '350583', '371002', '430521'];
const BANKS = ['bank-a', 'bank-b', 'bank-c'];
const SIZES = ['micro', 'small', 'medium', 'large'];

/** Loans of 12 borrowers, each borrowing in several counties; some events and whole loans reversed. */
function generateLoans(seed: number, count: number): Envelope[] {
  const rnd = prng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const borrowers = Array.from({ length: 12 }, (_, i) => ({ uscc: makeUscc(`91350600MA${String(seed * 100 + i).padStart(7, '0')}`), size: SIZES[i % 4] }));
  const out: Envelope[] = [];
  let clock = Date.parse('2025-07-01T00:00:00Z');
  for (let i = 0; i < count; i++) {
    const bank = pick(BANKS);
    const loanRef = `R-${seed}-${i}`;
    const borrower = pick(borrowers);
    const region = pick(COUNTIES);
    const registeredOn = addDays('2023-11-20', int(0, 640));
    const principalFen = BigInt(int(100_000, 900_000)) * 100n + BigInt(int(0, 99));
    let seq = 0;
    const history: { eventId: string; type: string; data: Record<string, unknown> }[] = [];
    const push = (type: string, day: string, extra: Record<string, unknown>): void => {
      seq += 1;
      clock += 1000;
      const data = { bank, loanRef, eventId: `${loanRef}-e${seq}`, sequence: seq, occurredOn: day, recordedAt: new Date(clock).toISOString(), ...extra };
      history.push({ eventId: data.eventId, type, data });
      out.push({ topic: 'loans', key: `${bank}:${loanRef}`, id: randomUUID(), type: `ipfin.loans.${type}.v1`, time: new Date(clock).toISOString(), data });
    };
    push('LoanRegistered', registeredOn, {
      borrower: { uscc: borrower.uscc, name: `企业${borrower.uscc.slice(-4)}`, size: borrower.size, regionCode: region },
      principal: yuan(principalFen), annualRate: '0.0385', termMonths: 12, inclusive: false,
      pledge: { registrationNo: `Y${loanRef}`, registeredOn, appraisedValue: yuan(principalFen * 2n), rights: [rnd() < 0.5 ? { kind: 'patent', number: `ZL2020${String(100000 + i)}.X` } : { kind: 'trademark', number: String(5000000 + i) }] },
    });
    let day = addDays(registeredOn, int(0, 40));
    push('LoanDisbursed', day, { amount: yuan(principalFen) });
    if (rnd() < 0.5) {
      day = addDays(day, int(20, 200));
      push('RepaymentReceived', day, { principal: yuan(principalFen / 3n), interest: '10.00' });
    }
    if (rnd() < 0.2) {
      day = addDays(day, int(20, 200));
      push('LoanDefaulted', day, { principalLoss: yuan(principalFen / 2n) });
      // A second default (a loan counts once in `defaults`, on its earliest live default day),
      // later or earlier. No random draw: the rest stays as it was. (Each loses something: the
      // migration below restates from the losses a fold without default counts kept.)
      if (i % 3 === 0) push('LoanDefaulted', addDays(day, i % 2 === 0 ? 30 : -10), { principalLoss: yuan(principalFen / (i % 2 === 0 ? 6n : 10n)) });
    }
    const reverse = (target: { eventId: string; type: string; data: Record<string, unknown> }): void => {
      day = addDays(day, 1);
      push('EventReversed', day, { reversedEventId: target.eventId, reversedType: target.type, reversed: target.data });
    };
    if (rnd() < 0.2) for (const e of [...history].reverse()) reverse(e);
    else if (history.length > 2 && rnd() < 0.3) reverse(history[history.length - 1]);
  }
  return out;
}

/** Feeds the loans: each partition's events in order, in random batches, all partitions at once. */
async function feedConcurrently(ds: DataSource, schema: string, envelopes: readonly Envelope[], seed: number): Promise<void> {
  const rnd = prng(seed);
  const handler = projectionHandlers(ds).loans;
  const groupId = PROJECTIONS.find((p) => p.name === 'loans')!.groupId;
  const queues = new Map<number, ReturnType<typeof consumed>[]>();
  envelopes.forEach((e, i) => {
    const c = consumed(e, i);
    queues.set(c.partition, [...(queues.get(c.partition) ?? []), c]);
  });
  await Promise.all([...queues.values()].map(async (q) => {
    while (q.length > 0) await applyBatch(ds, schema, groupId, handler, q.splice(0, 1 + Math.floor(rnd() * 12)));
  }));
}

/**
 * What the count rows must be: derived from the member sets with count(distinct)-style SQL; the
 * all-banks rows again per month of their first day (`#`, all but month buckets).
 */
const DERIVED_COUNTS = `
  with c as (
  select region, period, bucket::text as day, dim as bank, (case when dim = '' then first_day else bucket end)::text as first_day, count(*)::int as n
    from (select b.region, p.period, case p.period when 'A' then date '0001-01-01' else date_trunc(p.unit, b.day)::date end as bucket,
                 d.dim, b.borrower_uscc, min(b.day) as first_day
            from financing_borrowers b
            cross join (values ('A', 'year'), ('Y', 'year'), ('Q', 'quarter'), ('M', 'month')) p(period, unit)
            cross join lateral (values (b.bank), (''), ('*')) d(dim)
           group by 1, 2, 3, 4, 5) m
   group by 1, 2, 3, 4, 5
  union all
  select region, 'S', make_date(y, 1, 1)::text, '', first_day::text, count(*)::int
    from (select b.region, b.borrower_uscc, y, min(b.day) filter (where b.day >= make_date(y, 1, 1)) as first_day
            from financing_borrowers b cross join generate_series(2000, 2030) y
           group by 1, 2, 3 having min(b.day) < make_date(y, 1, 1) and max(b.day) >= make_date(y, 1, 1)) s
   group by 1, 2, 3, 4, 5)
  select * from c
  union all
  select region, period, day, '#', to_char(date_trunc('month', first_day::date), 'YYYY-MM-DD'), sum(n)::int
    from c where bank = '' and period <> 'M' group by 1, 2, 3, 5
   order by 1, 2, 3, 4, 5`;
// The fold writes a count row per partition shard: a key's count is the sum of its shards.
const STORED_COUNTS = `select region, period, day::text as day, bank, first_day::text as first_day, sum(n)::int as n from financing_smes
                        group by 1, 2, 3, 4, 5 having sum(n) <> 0 order by 1, 2, 3, 4, 5`;

// The gap cells, summed over shards, against the same cells derived from the member sets by SQL.
const STORED_GAPS = `select region, dim, p, d, sum(n)::int as n from financing_sme_gaps group by 1, 2, 3, 4 having sum(n) <> 0 order by 1, 2, 3, 4`;
const DERIVED_GAPS = `select * from (${SME_GAP_CELLS}) c order by 1, 2, 3, 4`;

const REGIONS: (string | null)[] = ['350602', '350583', '350600', '350500', '350000', '370000', '430000', null];
const PERIODS: [string, string][] = [
  ['2024-01-01', '2024-12-31'], ['2025-01-01', '2025-12-31'], ['2024-04-01', '2024-06-30'], ['2024-04-01', '2024-05-17'],
  ['2024-03-01', '2024-03-31'], ['2025-01-01', '2025-07-15'], ['2023-12-14', '2025-03-10'], ['0001-01-01', '2024-09-30'],
  ['2024-02-10', '2024-02-20'], ['2024-01-01', '2025-06-30'], ['2023-01-01', '2025-12-31'], ['2025-02-14', '2025-07-15'],
];

/** groupBy=rightKind|borrowerSize: the keys, and a registration's key. */
const BY_LOAN_COLUMN: ['rightKind' | 'borrowerSize', string[], (loan: Envelope['data']) => string][] = [
  ['rightKind', ['patent', 'trademark'], (loan) => (loan.pledge.rights.some((r: { kind: string }) => r.kind === 'patent') ? 'patent' : 'trademark')],
  ['borrowerSize', ['large', 'medium', 'micro', 'small'], (loan) => loan.borrower.size],
];
/** A report row's figures when the report has no row for the key. */
const NO_FIGURES = {
  loans: 0, contracted: '0.00', disbursed: '0.00', outstanding: '0.00', smesServed: 0, patentPledged: '0.00',
  trademarkPledged: '0.00', defaults: 0, principalLoss: '0.00',
};

const queryOf = (region: string | null, from: string, to: string): Query =>
  ({ ...(region ? bounds(region) : { regionFrom: '000000', regionTo: '999999' }), from, to });

/**
 * The keys a report grouped by bank or region answers, from the daily rows alone: those with a fact
 * in the range, or an amount outstanding at its end (what the rows' flows and stock show).
 */
async function expectedKeys(db: DataSource, region: string | null, from: string, to: string, by: 'bank' | 'region'): Promise<string[]> {
  const where = by === 'bank'
    ? `region = $3 and bank <> ''`
    : `region between $3 and $4 and bank = ''`;
  const { regionFrom, regionTo } = queryOf(region, from, to);
  const params = by === 'bank' ? [regionKey(region === null ? null : RegionCode.parse(region))] : [regionFrom, regionTo];
  const rows: { key: string }[] = await db.query(
    `select ${by} as key from financing_daily where ${where} and day <= $2::date group by ${by}
      having count(*) filter (where day >= $1::date) > 0 or sum(disbursed_fen - repaid_fen - loss_fen) <> 0 order by 1`,
    [from, to, ...params]);
  return rows.map((r) => r.key);
}

async function expectEveryFigure(s: Services, data: readonly Envelope[], at: string, db: DataSource): Promise<void> {
  for (const region of REGIONS) {
    const code = region ? RegionCode.parse(region) : null;
    for (const [from, to] of PERIODS) {
      const where = `${at} ${region ?? 'N'} ${from}…${to}`;
      const q = queryOf(region, from, to);
      const report = async (groupBy: 'year' | 'quarter' | 'month' | 'bank' | 'rightKind' | 'region' | 'borrowerSize' | null, bank?: string) =>
        s.financing.report({ region: code, bank, from: from === '0001-01-01' ? null : BusinessDate.parse(from), to: BusinessDate.parse(to), groupBy });
      const totals = await report(null);
      expect({ where, ...totals.totals }).toEqual({ where, ...expectedFinancing(data, q) });
      for (const unit of ['year', 'quarter', 'month'] as const) {
        const r = await report(unit);
        expect({ where, unit, totals: r.totals }).toEqual({ where, unit, totals: totals.totals });
        for (const row of r.rows) {
          const start = unit === 'year' ? `${row.key}-01-01` : unit === 'month' ? `${row.key}-01`
            : `${row.key.slice(0, 4)}-${String((Number(row.key.slice(6)) - 1) * 3 + 1).padStart(2, '0')}-01`;
          const end = BusinessDate.parse(start).addMonths(unit === 'year' ? 12 : unit === 'quarter' ? 3 : 1).addDays(-1).toString();
          const { key, ...figures } = row;
          expect({ where, key, ...figures }).toEqual({ where, key, ...expectedFinancing(data, { ...q, from: start < from ? from : start, to: end > to ? to : end }) });
        }
      }
      const byBank = await report('bank');
      expect({ where, keys: byBank.rows.map((r) => r.key) }).toEqual({ where, keys: await expectedKeys(db, region, from, to, 'bank') });
      for (const row of byBank.rows) {
        const { key, ...figures } = row;
        expect({ where, key, ...figures }).toEqual({ where, key, ...expectedFinancing(data, q, key) });
      }
      const byRegion = await report('region');
      expect({ where, keys: byRegion.rows.map((r) => r.key) }).toEqual({ where, keys: await expectedKeys(db, region, from, to, 'region') });
      for (const row of byRegion.rows) {
        const { key, ...figures } = row;
        expect({ where, key, ...figures }).toEqual({ where, key, ...expectedFinancing(data, { ...q, regionFrom: key, regionTo: key }) });
      }
      // Per right kind and size, and the totals (SMEs counted once across the rows) again.
      for (const [g, keys, keyOf] of BY_LOAN_COLUMN) {
        const r = await report(g);
        expect({ where, g, totals: r.totals }).toEqual({ where, g, totals: totals.totals });
        for (const key of keys) {
          const { key: rowKey, ...figures } = r.rows.find((row) => row.key === key) ?? { key, ...NO_FIGURES };
          expect({ where, g, key: rowKey, ...figures }).toEqual({ where, g, key, ...expectedFinancing(data, q, undefined, (loan) => keyOf(loan) === key) });
        }
        expect(r.rows.every((row) => keys.includes(row.key))).toBe(true);
      }
      // A bank's own view.
      const own = await report(null, 'bank-b');
      expect({ where, own: own.totals }).toEqual({ where, own: expectedFinancing(data, q, 'bank-b') });
    }
    if (code) {
      for (const year of ['2024', '2025']) {
        const banks = await s.banks.report({ region: code }, year);
        for (const row of banks.rows) {
          const f = expectedFinancing(data, queryOf(region, `${year}-01-01`, `${year}-12-31`), row.bank);
          expect({ region, year, bank: row.bank, smes: row.smesServed, loans: row.loans, contracted: row.contracted })
            .toEqual({ region, year, bank: row.bank, smes: f.smesServed, loans: f.loans, contracted: f.contracted });
        }
      }
    }
  }
}

describe('financing roll-ups', () => {
  let db: TestSchema;
  let s: Services;
  const data: Envelope[] = [];

  beforeAll(async () => {
    db = await migratedTestSchema(createDataSource, 'metrics_rollup');
    s = servicesOver(db.dataSource);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('keeps the count rows equal to the distinct members of the sets, and every level equal to the union of its counties, through rounds of loans and reversals', async () => {
    for (let round = 0; round < 3; round++) {
      const batch = generateLoans(31 + round, 70);
      assertValid(batch);
      data.push(...batch);
      await feedConcurrently(db.dataSource, db.schema, batch, round);
      expect(await db.dataSource.query(STORED_COUNTS)).toEqual(await db.dataSource.query(DERIVED_COUNTS));
      expect(await db.dataSource.query(STORED_GAPS)).toEqual(await db.dataSource.query(DERIVED_GAPS));
      const [{ shards }] = await db.dataSource.query('select count(distinct shard)::int as shards from financing_smes');
      expect(shards).toBeGreaterThan(1); // partitions folded at once, each into its own count rows
      const [{ n }] = await db.dataSource.query('select count(*)::int as n from financing_borrowers where loans <= 0');
      expect(n).toBe(0);
      await expectEveryFigure(s, data, `round ${round}`, db.dataSource);
    }
    // The dataset has what the test is about: a borrower in two counties of one prefecture.
    const y2024 = queryOf('350600', '2024-01-01', '2024-12-31');
    const counties = ['350602', '350603'].map((c) => expectedFinancing(data, { ...y2024, regionFrom: c, regionTo: c }).smesServed);
    expect(counties[0] + counties[1]).toBeGreaterThan(expectedFinancing(data, y2024).smesServed);
  });

  it('migrates a populated schema to exactly the rows the fold writes', async () => {
    const url = process.env.DATABASE_URL!;
    const schema = `metrics_rollup_mig_${randomUUID().slice(0, 8)}`;
    const before = MIGRATIONS.slice(0, MIGRATIONS.findIndex((m) => m.name === 'FinancingRollUps1796000000000'));
    let old = serviceDataSource('metrics', before, { url, schema });
    await old.initialize();
    try {
      await old.query(`create schema "${schema}"`);
      await old.runMigrations({ transaction: 'each' });
      // The populated schema as the previous fold left it: own-code rows of real banks only.
      const src = `"${db.schema}"`;
      // (The fold writes a row per partition shard; the old tables had one per key.)
      for (const table of ['financing_daily', 'financing_monthly']) {
        await old.query(`insert into ${table} (${KEY}, ${SUMMED})
                         select ${KEY}, ${SUMS_OF} from ${src}.${table} where region ~ '^[0-9]' and bank <> '' group by ${KEY}`);
      }
      await old.query(`insert into financing_borrowers (day, region, bank, right_kind, borrower_size, borrower_uscc, loans)
                       select day, region, bank, right_kind, borrower_size, borrower_uscc, loans from ${src}.financing_borrowers where region ~ '^[0-9]'`);
      // What the DefaultedLoans migration restates the defaults from (its count column is newer).
      await old.query(`insert into loan_dim select * from ${src}.loan_dim`);
      await old.query(`insert into loan_loss (bank, loan_ref, day, loss_fen) select bank, loan_ref, day, loss_fen from ${src}.loan_loss`);
      await old.query(`insert into financing_borrowers_monthly
                       select date_trunc('month', day)::date, region, bank, right_kind, borrower_size, borrower_uscc, sum(loans)
                         from financing_borrowers group by 1, 2, 3, 4, 5, 6`);
      await old.destroy();

      old = serviceDataSource('metrics', MIGRATIONS, { url, schema });
      await old.initialize();
      const ran = (await old.runMigrations({ transaction: 'each' })).map((m) => m.name);
      expect(ran[0]).toBe('FinancingRollUps1796000000000');
      for (const table of ['financing_daily', 'financing_monthly', 'financing_yearly']) {
        // Migrated rows are shard 0; the fold's are per partition: the same facts once summed per key.
        const rows = (from: string) => old.query(`select ${KEY}, ${SUMS_OF} from ${from}.${table} group by ${KEY} order by 1, 2, 3, 4, 5`);
        expect({ table, rows: await rows(`"${schema}"`) }).toEqual({ table, rows: await rows(src) });
      }
      const borrowers = (from: string) => old.query(`select * from ${from}.financing_borrowers order by 1, 2, 3, 4, 5, 6`);
      expect(await borrowers(`"${schema}"`)).toEqual(await borrowers(src));
      const counts = (from: string) => old.query(`select region, period, day, bank, first_day, sum(n)::int as n from ${from}.financing_smes
                                                  group by 1, 2, 3, 4, 5 having sum(n) <> 0 order by 1, 2, 3, 4, 5`);
      expect(await counts(`"${schema}"`)).toEqual(await counts(src));
      const gaps = (from: string) => old.query(`select region, dim, p, d, sum(n)::int as n from ${from}.financing_sme_gaps
                                                group by 1, 2, 3, 4 having sum(n) <> 0 order by 1, 2, 3, 4`);
      const migratedGaps = await gaps(`"${schema}"`);
      expect(migratedGaps.length).toBeGreaterThan(0);
      expect(migratedGaps).toEqual(await gaps(src));
      const [{ n }] = await old.query(`select count(*)::int as n from "${schema}".financing_yearly where region = 'N'`);
      expect(n).toBeGreaterThan(0);
    } finally {
      await old.query(`drop schema if exists "${schema}" cascade`);
      await old.destroy();
    }
  });

  it('keeps financing_yearly_sums equal to the yearly rows summed over right kinds and sizes, through any change of them (trigger)', async () => {
    const q = (sql: string) => db.dataSource.query(sql);
    const sums = () => q(`select day::text, region, bank, shard, loans, inclusive_loans, contracted_fen::text, disbursed_fen::text, repaid_fen::text,
                                 loss_fen::text, defaults, patent_fen::text, trademark_fen::text
                            from financing_yearly_sums where (loans, inclusive_loans, contracted_fen, disbursed_fen, repaid_fen, loss_fen, defaults,
                                                              patent_fen, trademark_fen) <> (0, 0, 0, 0, 0, 0, 0, 0, 0)
                           order by 1, 2, 3, 4`);
    const derived = () => q(`select day::text, region, bank, shard, sum(loans)::int as loans, sum(inclusive_loans)::int as inclusive_loans,
                                    sum(contracted_fen)::text as contracted_fen, sum(disbursed_fen)::text as disbursed_fen,
                                    sum(repaid_fen)::text as repaid_fen, sum(loss_fen)::text as loss_fen, sum(defaults)::int as defaults,
                                    coalesce(sum(contracted_fen) filter (where right_kind = 'patent'), 0)::text as patent_fen,
                                    coalesce(sum(contracted_fen) filter (where right_kind = 'trademark'), 0)::text as trademark_fen
                               from financing_yearly group by 1, 2, 3, 4
                             having (sum(loans), sum(inclusive_loans), sum(contracted_fen), sum(disbursed_fen), sum(repaid_fen), sum(loss_fen), sum(defaults),
                                     coalesce(sum(contracted_fen) filter (where right_kind = 'patent'), 0),
                                     coalesce(sum(contracted_fen) filter (where right_kind = 'trademark'), 0)) <> (0, 0, 0, 0, 0, 0, 0, 0, 0)
                              order by 1, 2, 3, 4`);
    // After the folds above (loans, reversals, partitions concurrently): the fold writes only the yearly rows.
    const folded = await sums();
    expect(folded.some((r: { region: string; patent_fen: string; trademark_fen: string }) => r.region === 'N' && r.patent_fen !== '0' && r.trademark_fen !== '0')).toBe(true);
    expect(folded).toEqual(await derived());
    // What a migration may do to the yearly rows: restate a column, move a row to another key, delete one.
    await q(`update financing_yearly set defaults = defaults + 1, contracted_fen = contracted_fen + 7 where region = 'N' and right_kind = 'patent'`);
    await q(`update financing_yearly set shard = shard + 100, right_kind = 'trademark' where region like 'V%' and right_kind = 'patent' and borrower_size = 'small'`);
    await q(`delete from financing_yearly where region like 'P%' and borrower_size = 'micro'`);
    const changed = await sums();
    expect(changed).not.toEqual(folded);
    expect(changed).toEqual(await derived());
    // The migration derives the sums again from the yearly rows (whatever they held) and adds the trigger.
    const runner = db.dataSource.createQueryRunner();
    try {
      await new YearlySumsTrigger1797000300000().down(runner);
      await runner.query(`update financing_yearly_sums set loans = loans + 1`);
      await runner.query(`update financing_yearly set loans = loans + 1 where region = 'N'`);
      expect(await sums()).not.toEqual(await derived());
      // As `npm run migrate` runs it: in a transaction of its own.
      await runner.startTransaction();
      await new YearlySumsTrigger1797000300000().up(runner);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
    expect(await sums()).toEqual(await derived());
    await q(`update financing_yearly set loans = loans - 1 where region = 'N'`);
    expect(await sums()).toEqual(await derived());
  });
});

describe('the fold\'s borrower locks', () => {
  let db: TestSchema;
  beforeAll(async () => {
    db = await migratedTestSchema(createDataSource, 'metrics_locks');
  });
  afterAll(async () => {
    await db?.drop();
  });

  const heldElsewhere = async (uscc: string): Promise<boolean> => {
    // Another session of the pool: a session lock it cannot get is held by the transaction.
    const [{ got }] = await db.dataSource.query('select pg_try_advisory_lock(70100, hashtext($1)) as got', [uscc]);
    if (got) await db.dataSource.query('select pg_advisory_unlock(70100, hashtext($1))', [uscc]);
    return !got;
  };

  it('are taken with the dimensions, for the batch\'s registrations and the stored loans\' borrowers, until the transaction ends', async () => {
    const stored = makeUscc('91350602MA2Y00001');
    const registered = makeUscc('91350602MA2Y00002');
    await db.dataSource.query(
      `insert into loan_dim (bank, loan_ref, borrower_uscc, borrower_size, region, registered_on, principal_fen, right_kind, inclusive, agency_id, live)
       values ('bank-a', 'L-1', $1, 'small', '350602', '2025-03-01', 100000, 'patent', false, null, true)`, [stored]);
    await db.dataSource.transaction(async (manager) => {
      const repo = new FinancingRepository(db.dataSource);
      const none = await repo.loadDimensions(manager, [{ bank: 'bank-a', loanRef: 'L-404' }], [registered]);
      expect(none).toEqual({ dimensions: [], locked: new Set([registered]) });
      expect(await heldElsewhere(registered)).toBe(true);
      const some = await repo.loadDimensions(manager, [{ bank: 'bank-a', loanRef: 'L-1' }]);
      expect(some.dimensions.map((d) => d.borrowerUscc)).toEqual([stored]);
      expect(some.locked).toEqual(new Set([stored]));
      expect(await heldElsewhere(stored)).toBe(true);
    });
    expect(await heldElsewhere(stored)).toBe(false);
    expect(await heldElsewhere(registered)).toBe(false);
  });
});
