/**
 * Zhangzhou §13 (domain.md, audit finding 3): an agency earns the ¥150 000 service subsidy for a
 * year when its inclusive **patent** pledge registrations benefit ≥ 5 enterprises, with ≥ 50
 * transfers / licences and ≥ 50 product filings. A trademark-only inclusive pledge still counts as
 * an enterprise served (`inclusivePledgeEnterprises`, api.md) but not toward the ≥ 5.
 */
import { randomUUID } from 'node:crypto';
import { makePatentNumber, makeUscc } from '@ipfin/kernel';
import { migratedTestSchema, type TestSchema } from '@ipfin/testing';
import { createDataSource } from '../src/database/data-source';
import { AgencyPatentBorrowers1796000800000 } from '../src/database/migrations/1796000800000-AgencyPatentBorrowers';
import { MEASURES } from '../src/counters/deltas';
import { PROJECTIONS } from '../src/projections';
import { projectionHandlers } from '../src/rebuild/handlers';
import type { Envelope, TopicName } from './support/dataset';
import { applyBatch, assertValid, consumed, scopeOf, servicesOver, type Services } from './support/harness';

const AGENCY = 'agency-sub-test';
const COUNTY = '350602';
let time = Date.parse('2025-07-01T00:00:00Z');
const envelope = (topic: TopicName, key: string, name: string, data: Record<string, unknown>): Envelope =>
  ({ topic, key, id: randomUUID(), type: `ipfin.${topic}.${name}.v1`, time: new Date((time += 1000)).toISOString(), data });
const firm = (n: number) => ({ uscc: makeUscc(`91${COUNTY}MD${String(n).padStart(7, '0')}`), name: `服务企业${n}`, regionCode: COUNTY });

/** An inclusive loan registered through the agency for firm `n`, pledging a patent or a trademark only. */
const pledge = (n: number, kind: 'patent' | 'trademark'): Envelope => {
  const loanRef = `SUB-${n}`;
  return envelope('loans', `bank-icbc-zz:${loanRef}`, 'LoanRegistered', {
    bank: 'bank-icbc-zz', loanRef, eventId: `${loanRef}-e1`, sequence: 1, occurredOn: `2024-0${1 + (n % 9)}-10`, recordedAt: '2025-07-01T00:00:00.000Z',
    borrower: { ...firm(n), size: 'small' }, principal: '500000.00', annualRate: '0.0385', termMonths: 12, inclusive: true, agencyId: AGENCY,
    pledge: {
      registrationNo: `Y${loanRef}`, registeredOn: `2024-0${1 + (n % 9)}-10`, appraisedValue: '1000000.00',
      rights: [kind === 'patent' ? { kind, number: makePatentNumber(2020, 1, 910000 + n) } : { kind, number: String(9100000 + n) }],
    },
  });
};

const deals = Array.from({ length: 50 }, (_, i) => {
  const number = makePatentNumber(2021, 1, 920000 + i);
  return envelope('patents', number, 'PatentTransferred', {
    number, kind: 'invention', transferId: `sub-tr-${i}`, from: { sub: 'univ-xmu', role: 'university', region: '350203' },
    assignee: firm(100 + i), price: '10000.00', contractDate: '2024-05-20', agencyId: AGENCY,
  });
});
const filings = Array.from({ length: 50 }, (_, i) => envelope('products', firm(200 + i).uscc, 'ProductFiled', {
  productId: `sub-prod-${i}`, sequence: 1, recordedAt: '2025-07-01T00:00:00.000Z', enterprise: { ...firm(200 + i), size: 'small' },
  name: `产品${i}`, patents: [makePatentNumber(2022, 1, 930000 + i)], filedOn: '2024-06-15', agencyId: AGENCY,
}));

let db: TestSchema;
let s: Services;
let offset = 0;

async function fold(events: Envelope[]): Promise<void> {
  const handlers = projectionHandlers(db.dataSource);
  for (const topic of ['loans', 'patents', 'products'] as const) {
    const batch = events.filter((e) => e.topic === topic);
    if (batch.length === 0) continue;
    // One batch per partition, as the consumers fold them.
    const byPartition = new Map<number, ReturnType<typeof consumed>[]>();
    for (const e of batch) {
      const c = consumed(e, offset++);
      byPartition.set(c.partition, [...(byPartition.get(c.partition) ?? []), c]);
    }
    for (const part of byPartition.values()) await applyBatch(db.dataSource, db.schema, PROJECTIONS.find((p) => p.name === topic)!.groupId, handlers[topic], part);
  }
}

const row = async (region: string) => (await s.agencies.report(scopeOf(region), { year: '2024' })).rows.find((r) => r.agency === AGENCY);

beforeAll(async () => {
  db = await migratedTestSchema(createDataSource, 'metrics_subsidy');
  s = servicesOver(db.dataSource);
});

afterAll(async () => {
  await db?.drop();
});

describe('the Zhangzhou service-agency subsidy counts inclusive patent pledges only', () => {
  const fourPatents = [1, 2, 3, 4].map((n) => pledge(n, 'patent'));
  const trademarkOnly = pledge(5, 'trademark');
  const fifthPatent = pledge(6, 'patent');

  it('is valid input', () => {
    assertValid([...fourPatents, trademarkOnly, fifthPatent, ...deals, ...filings]);
  });

  it('4 patent pledges + 1 trademark-only pledge: 5 enterprises served, no subsidy', async () => {
    await fold([...fourPatents, trademarkOnly, ...deals, ...filings]);
    const expected = { agency: AGENCY, inclusivePledgeEnterprises: 5, transfersAndLicences: 50, productFilings: 50, subsidyEarned: false, subsidy: '0.00' };
    expect(await row('350600')).toEqual(expected);
    expect(await row(COUNTY)).toEqual(expected);
  });

  it('a fifth enterprise with a patent pledge earns the ¥150 000', async () => {
    await fold([fifthPatent]);
    const expected = { agency: AGENCY, inclusivePledgeEnterprises: 6, transfersAndLicences: 50, productFilings: 50, subsidyEarned: true, subsidy: '150000.00' };
    expect(await row('350600')).toEqual(expected);
    expect(await row(COUNTY)).toEqual(expected);
    // A ragged range inside the year judges the same year's counts through the exact sets.
    const ragged = (await s.agencies.report(scopeOf('350600'), { from: '2024-01-01', to: '2024-11-30' })).rows.find((r) => r.agency === AGENCY);
    expect(ragged).toEqual(expected);
  });

  it('the AgencyPatentBorrowers migration builds exactly the rows the fold keeps, from the loans already folded', async () => {
    const tables = ['member_daily', 'member_monthly', 'member_yearly', 'member_count_monthly', 'member_count_yearly'];
    const rows = async (): Promise<unknown[][]> => Promise.all(tables.map((t) =>
      db.dataSource.query(`select * from ${t} where measure = $1 order by region, day, dim${t.startsWith('member_count') ? '' : ', member'}`, [MEASURES.agencyInclusivePatentBorrowers])));
    // A registration reversed later must not be counted by the migration either.
    const reversedReg = pledge(7, 'patent');
    await fold([reversedReg, envelope('loans', reversedReg.key, 'EventReversed', {
      bank: 'bank-icbc-zz', loanRef: 'SUB-7', eventId: 'SUB-7-e2', sequence: 2, occurredOn: '2024-09-01', recordedAt: '2025-07-01T00:00:00.000Z',
      reversedEventId: 'SUB-7-e1', reversedType: 'LoanRegistered', reversed: reversedReg.data,
    })]);
    const folded = await rows();
    expect(folded[0]).toHaveLength(5 * 4); // five patent borrowers under four region keys
    expect(folded.map((r) => r.length)).toEqual([20, 20, 20, 4 * new Set([1, 2, 3, 4, 6].map((n) => 1 + (n % 9))).size, 4]);
    const runner = db.dataSource.createQueryRunner();
    try {
      await new AgencyPatentBorrowers1796000800000().down(runner);
      expect((await rows()).flat()).toEqual([]);
      await new AgencyPatentBorrowers1796000800000().up(runner);
    } finally {
      await runner.release();
    }
    expect(await rows()).toEqual(folded);
  });
});
