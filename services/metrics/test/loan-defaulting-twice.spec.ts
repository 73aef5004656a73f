/**
 * pledge-loans lets a loan default several times (its losses add up; its `defaultedOn` is the
 * earliest default not reversed). `defaults` of /v1/metrics/financing (totals and every row) and
 * /v1/metrics/banks count defaulted **loans**: once, in the period and row of that date; reversing
 * it moves the count to the next earliest default left, or removes it. `principalLoss` keeps every
 * loss on its own date. Folded through the real loans consumer and inbox, batch by batch, on
 * PostgreSQL; and the DefaultedLoans migration restates the facts from `loan_loss` / `loan_dim`.
 */
import { randomUUID } from 'node:crypto';
import { BusinessDate, makePatentNumber, makeUscc, RegionCode } from '@ipfin/kernel';
import { migratedTestSchema, type TestSchema } from '@ipfin/testing';
import { createDataSource } from '../src/database/data-source';
import { DefaultedLoans1796000900000 } from '../src/database/migrations/1796000900000-DefaultedLoans';
import type { FinancingGroup } from '../src/financing/financing.service';
import { PROJECTIONS } from '../src/projections';
import { projectionHandlers } from '../src/rebuild/handlers';
import type { Envelope } from './support/dataset';
import { applyBatch, assertValid, consumed, servicesOver, type Services } from './support/harness';

const ICBC = 'bank-icbc-zz';
const BOC = 'bank-boc-zz';
let time = Date.parse('2025-07-01T00:00:00Z');

/** A loan's events, numbered as pledge-loans numbers them. */
function loan(bank: string, loanRef: string, county: string, size: string, kind: 'patent' | 'trademark') {
  let sequence = 0;
  const event = (name: string, occurredOn: string, data: Record<string, unknown>): Envelope => {
    sequence += 1;
    return {
      topic: 'loans', key: `${bank}:${loanRef}`, id: randomUUID(), type: `ipfin.loans.${name}.v1`, time: new Date((time += 1000)).toISOString(),
      data: { bank, loanRef, eventId: `${loanRef}-e${sequence}`, sequence, occurredOn, recordedAt: '2025-07-01T00:00:00.000Z', ...data },
    };
  };
  return {
    registered: event('LoanRegistered', '2024-01-10', {
      borrower: { uscc: makeUscc(`91${county}MD${loanRef.replace(/\D/g, '').padStart(7, '0')}`), name: `违约企业${loanRef}`, size, regionCode: county },
      principal: '1000000.00', annualRate: '0.0385', termMonths: 24, inclusive: false,
      pledge: {
        registrationNo: `Y${loanRef}`, registeredOn: '2024-01-10', appraisedValue: '2000000.00',
        rights: [kind === 'patent' ? { kind, number: makePatentNumber(2020, 1, 940000 + sequence) } : { kind, number: '9400001' }],
      },
    }),
    disbursed: event('LoanDisbursed', '2024-01-20', { amount: '1000000.00' }),
    defaulted: (occurredOn: string, principalLoss: string) => event('LoanDefaulted', occurredOn, { principalLoss }),
    reversed: (target: Envelope) => event('EventReversed', '2025-06-30', {
      reversedEventId: target.data.eventId, reversedType: 'LoanDefaulted', reversed: target.data,
    }),
  };
}

// Loan 1 (ICBC, 350602, small, patent) defaults in June 2024, again in February 2025, and once
// more without a loss in April 2024; loan 2 (BOC, 350603, medium, trademark) once in June 2024.
const one = loan(ICBC, 'DEF-1', '350602', 'small', 'patent');
const two = loan(BOC, 'DEF-2', '350603', 'medium', 'trademark');
const june = one.defaulted('2024-06-01', '300000.00');
const february = one.defaulted('2025-02-10', '200000.00');
const april = one.defaulted('2024-04-01', '0.00');
const twoJune = two.defaulted('2024-06-01', '100000.00');
const reverseApril = one.reversed(april);
const reverseJune = one.reversed(june);
const reverseFebruary = one.reversed(february);

let db: TestSchema;
let s: Services;
let offset = 0;

/** One batch per partition, as the loans consumer folds them. */
async function fold(events: Envelope[]): Promise<void> {
  const byPartition = new Map<number, ReturnType<typeof consumed>[]>();
  for (const e of events) {
    const c = consumed(e, offset++);
    byPartition.set(c.partition, [...(byPartition.get(c.partition) ?? []), c]);
  }
  const groupId = PROJECTIONS.find((p) => p.name === 'loans')!.groupId;
  for (const part of byPartition.values()) await applyBatch(db.dataSource, db.schema, groupId, projectionHandlers(db.dataSource).loans, part);
}

type Figures = { defaults: number; principalLoss: string };
const NONE: Figures = { defaults: 0, principalLoss: '0.00' };
const pick = ({ defaults, principalLoss }: Figures): Figures => ({ defaults, principalLoss });

/** The totals and the rows (key → figures, rows at zero left out) of a financing report. */
async function financing(region: string, from: string, to: string, groupBy: FinancingGroup | null = null, bank?: string) {
  const r = await s.financing.report({ region: RegionCode.parse(region), bank, from: BusinessDate.parse(from), to: BusinessDate.parse(to), groupBy });
  const rows = Object.fromEntries(r.rows.map((row) => [row.key, pick(row)]).filter(([, f]) => JSON.stringify(f) !== JSON.stringify(NONE)));
  return { totals: pick(r.totals), rows };
}

const banks = async (region: string, year: string) =>
  Object.fromEntries((await s.banks.report({ region: RegionCode.parse(region) }, year)).rows.map((r) => [r.bank, { defaults: r.defaults, defaultRate: r.defaultRate }]));

beforeAll(async () => {
  db = await migratedTestSchema(createDataSource, 'metrics_defaults');
  s = servicesOver(db.dataSource);
});

afterAll(async () => {
  await db?.drop();
});

describe('a loan that defaults twice is one defaulted loan, counted on its earliest live default date', () => {
  it('is valid input', () => {
    assertValid([one.registered, one.disbursed, june, february, april, reverseApril, reverseJune, reverseFebruary, two.registered, two.disbursed, twoJune]);
  });

  it('each loan counts once, in its own bank, region, right kind and size, at every region level', async () => {
    await fold([one.registered, one.disbursed, two.registered, two.disbursed]);
    await fold([june, twoJune]);
    for (const region of ['350600', '350000']) {
      expect(await financing(region, '2024-01-01', '2024-12-31')).toEqual({ totals: { defaults: 2, principalLoss: '400000.00' }, rows: {} });
      expect((await financing(region, '2024-01-01', '2024-12-31', 'bank')).rows).toEqual({
        [ICBC]: { defaults: 1, principalLoss: '300000.00' }, [BOC]: { defaults: 1, principalLoss: '100000.00' },
      });
      expect((await financing(region, '2024-01-01', '2024-12-31', 'region')).rows).toEqual({
        350602: { defaults: 1, principalLoss: '300000.00' }, 350603: { defaults: 1, principalLoss: '100000.00' },
      });
      expect((await financing(region, '2024-01-01', '2024-12-31', 'rightKind')).rows).toEqual({
        patent: { defaults: 1, principalLoss: '300000.00' }, trademark: { defaults: 1, principalLoss: '100000.00' },
      });
      expect((await financing(region, '2024-01-01', '2024-12-31', 'borrowerSize')).rows).toEqual({
        small: { defaults: 1, principalLoss: '300000.00' }, medium: { defaults: 1, principalLoss: '100000.00' },
      });
    }
  });

  it('a second, later default adds its loss on its own date but no second default', async () => {
    await fold([february]);
    for (const region of ['350602', '350600', '350000']) {
      const icbc2024 = region === '350602' ? { defaults: 1, principalLoss: '300000.00' } : { defaults: 2, principalLoss: '400000.00' };
      expect((await financing(region, '2024-01-01', '2024-12-31')).totals).toEqual(icbc2024);
      expect((await financing(region, '2025-01-01', '2025-12-31')).totals).toEqual({ defaults: 0, principalLoss: '200000.00' });
      expect((await financing(region, '2024-01-01', '2025-12-31')).totals).toEqual({ ...icbc2024, principalLoss: region === '350602' ? '500000.00' : '600000.00' });
      expect((await financing(region, '2024-01-01', '2025-12-31', 'month')).rows).toEqual({
        '2024-06': icbc2024, '2025-02': { defaults: 0, principalLoss: '200000.00' },
      });
      expect((await financing(region, '2024-01-01', '2025-12-31', 'year', ICBC)).rows).toEqual({
        2024: { defaults: 1, principalLoss: '300000.00' }, 2025: { defaults: 0, principalLoss: '200000.00' },
      });
    }
    expect(await banks('350600', '2024')).toEqual({ [ICBC]: { defaults: 1, defaultRate: '0.3000' }, [BOC]: { defaults: 1, defaultRate: '0.1000' } });
    // 2025: ICBC's loss of the year shows, its loan defaulted in 2024.
    expect(await banks('350600', '2025')).toEqual({ [ICBC]: { defaults: 0, defaultRate: '0.0000' } });
  });

  it('the DefaultedLoans migration restates the facts from loan_loss and loan_dim exactly as the fold keeps them', async () => {
    const facts = (table: string) => db.dataSource.query(
      `select region, day::text, bank, right_kind, borrower_size, sum(defaults)::int as defaults from ${table}
        group by 1, 2, 3, 4, 5 having sum(defaults) <> 0 order by 1, 2, 3, 4, 5`);
    const tables = ['financing_daily', 'financing_monthly', 'financing_yearly'];
    const folded = await Promise.all(tables.map(facts));
    // Two loans × four region keys × (own bank, all banks), both in June 2024; none in February.
    expect(folded[0]).toHaveLength(2 * 4 * 2);
    const runner = db.dataSource.createQueryRunner();
    try {
      await new DefaultedLoans1796000900000().down(runner);
      // As the older fold left them: one default per LoanDefaulted.
      for (const table of tables) await runner.query(`update ${table} set defaults = case when loss_fen > 0 then 1 else 0 end`);
      expect(await Promise.all(tables.map(facts))).not.toEqual(folded);
      await new DefaultedLoans1796000900000().up(runner);
    } finally {
      await runner.release();
    }
    expect(await Promise.all(tables.map(facts))).toEqual(folded);
    expect(await db.dataSource.query(`select loan_ref, day::text, loss_fen::text, defaults from loan_loss order by 1, 2`)).toEqual([
      { loan_ref: 'DEF-1', day: '2024-06-01', loss_fen: '30000000', defaults: 1 },
      { loan_ref: 'DEF-1', day: '2025-02-10', loss_fen: '20000000', defaults: 1 },
      { loan_ref: 'DEF-2', day: '2024-06-01', loss_fen: '10000000', defaults: 1 },
    ]);
  });

  it('an earlier default, even without a loss, moves the loan there; reversing it moves it back', async () => {
    await fold([april]);
    expect((await financing('350600', '2024-01-01', '2025-12-31', 'month')).rows).toEqual({
      '2024-04': { defaults: 1, principalLoss: '0.00' }, '2024-06': { defaults: 1, principalLoss: '400000.00' },
      '2025-02': { defaults: 0, principalLoss: '200000.00' },
    });
    await fold([reverseApril]);
    expect((await financing('350600', '2024-01-01', '2025-12-31', 'month')).rows).toEqual({
      '2024-06': { defaults: 2, principalLoss: '400000.00' }, '2025-02': { defaults: 0, principalLoss: '200000.00' },
    });
  });

  it('reversing the earliest default moves the count to the next one left; reversing all of them removes it', async () => {
    await fold([reverseJune]);
    for (const region of ['350602', '350600', '350000']) {
      const boc = region === '350602' ? NONE : { defaults: 1, principalLoss: '100000.00' };
      expect((await financing(region, '2024-01-01', '2024-12-31')).totals).toEqual(boc);
      expect((await financing(region, '2025-01-01', '2025-12-31')).totals).toEqual({ defaults: 1, principalLoss: '200000.00' });
      expect((await financing(region, '2025-01-01', '2025-12-31', 'bank')).rows).toEqual({ [ICBC]: { defaults: 1, principalLoss: '200000.00' } });
    }
    expect(await banks('350602', '2025')).toEqual({ [ICBC]: { defaults: 1, defaultRate: '0.0000' } });

    await fold([reverseFebruary]);
    for (const region of ['350602', '350600', '350000']) {
      expect((await financing(region, '2024-01-01', '2025-12-31', 'bank')).rows).toEqual(region === '350602' ? {} : { [BOC]: { defaults: 1, principalLoss: '100000.00' } });
    }
    expect(await banks('350602', '2025')).toEqual({});
    expect(await db.dataSource.query(`select loan_ref from loan_loss order by 1`)).toEqual([{ loan_ref: 'DEF-2' }]);
  });
});
