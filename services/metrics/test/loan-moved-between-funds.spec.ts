/**
 * A loan moved between funds by a policy change (audit finding 1). risk-compensation
 * (`reassessCoverage`) publishes `LoanCovered{350600, covered:false}` keyed 350600 and then
 * `LoanCovered{350602, covered:true}` keyed 350602: two keys, so two partitions that metrics may
 * fold in either order (events.md: order per key only). Whatever the order, the loan must end in
 * the 350602 county fund only — with the loss declared after the move — and every order must give
 * the same figures (a rebuild folds the partitions in yet another order).
 */
import { randomUUID } from 'node:crypto';
import { makePatentNumber, makeUscc } from '@ipfin/kernel';
import { migratedTestSchema } from '@ipfin/testing';
import { createDataSource } from '../src/database/data-source';
import { CoverageByFund1796000700000 } from '../src/database/migrations/1796000700000-CoverageByFund';
import { PROJECTIONS } from '../src/projections';
import { projectionHandlers } from '../src/rebuild/handlers';
import type { Envelope, TopicName } from './support/dataset';
import { applyBatch, assertValid, consumed, scopeOf, servicesOver } from './support/harness';

const BANK = 'bank-icbc-zz';
const LOAN = 'MOVE-1';
const borrower = { uscc: makeUscc('91350602MA0000901'), name: '迁移企业', size: 'small', regionCode: '350602' };
let time = Date.parse('2025-07-01T00:00:00Z');
const envelope = (topic: TopicName, key: string, name: string, data: Record<string, unknown>): Envelope =>
  ({ topic, key, id: randomUUID(), type: `ipfin.${topic}.${name}.v1`, time: new Date((time += 1000)).toISOString(), data });

const loanEvent = (seq: number, name: string, occurredOn: string, data: Record<string, unknown>): Envelope =>
  envelope('loans', `${BANK}:${LOAN}`, name, {
    bank: BANK, loanRef: LOAN, eventId: `${LOAN}-e${seq}`, sequence: seq, occurredOn, recordedAt: '2025-07-01T00:00:00.000Z', ...data,
  });
const registered = loanEvent(1, 'LoanRegistered', '2024-03-01', {
  borrower, principal: '1000000.00', annualRate: '0.0385', termMonths: 24, inclusive: true,
  pledge: { registrationNo: `Y${LOAN}`, registeredOn: '2024-03-01', appraisedValue: '2000000.00', rights: [{ kind: 'patent', number: makePatentNumber(2020, 1, 900001) }] },
});
const disbursed = loanEvent(2, 'LoanDisbursed', '2024-03-05', { amount: '1000000.00' });
/** Declared after the move: it must count in the 350602 fund only. */
const defaulted = loanEvent(3, 'LoanDefaulted', '2024-11-20', { principalLoss: '200000.00' });

const coverage = (fund: string, covered: boolean, cause: 'registered' | 'policy-changed'): Envelope =>
  envelope('risk', fund, 'LoanCovered', {
    region: fund, bank: BANK, loanRef: LOAN, registrationEventId: `${LOAN}-e1`, covered,
    reasons: covered ? [] : [{ rule: 'no-policy', detail: 'After a policy change the loan falls to the 350602 fund.' }],
    policyVersion: '2024-02-02', borrower: { uscc: borrower.uscc, size: borrower.size, regionCode: borrower.regionCode },
    principal: '1000000.00', registeredOn: '2024-03-01', cause,
  });
const coveredByCity = coverage('350600', true, 'registered');
const leavesCity = coverage('350600', false, 'policy-changed');
const joinsCounty = coverage('350602', true, 'policy-changed');

const ORDERS: Record<string, Envelope[][]> = {
  "old fund's partition first, loss after the move": [[registered, disbursed], [coveredByCity, leavesCity], [joinsCounty], [defaulted]],
  "new fund's partition first, loss after the move": [[registered, disbursed], [coveredByCity], [joinsCounty], [leavesCity], [defaulted]],
  'loss folded between the two partitions': [[coveredByCity], [registered, disbursed], [joinsCounty], [defaulted], [leavesCity]],
  'loss folded before either partition of the move': [[registered, disbursed, defaulted], [coveredByCity], [joinsCounty], [leavesCity]],
};

const groupOf = (topic: TopicName): string => PROJECTIONS.find((p) => p.name === topic)!.groupId;

describe('a loan moved between funds by a policy change', () => {
  it('is valid input', () => {
    assertValid([registered, disbursed, defaulted, coveredByCity, leavesCity, joinsCounty]);
    // The two coverage events of the move travel on two keys.
    expect(new Set([leavesCity.key, joinsCounty.key]).size).toBe(2);
  });

  it.each(Object.keys(ORDERS))('counts in the new fund only, with its loss, whichever partition is folded first: %s', async (order) => {
    const db = await migratedTestSchema(createDataSource, 'metrics_move');
    try {
      const handlers = projectionHandlers(db.dataSource);
      let offset = 0;
      for (const batch of ORDERS[order]) {
        const topic = batch[0].topic;
        await applyBatch(db.dataSource, db.schema, groupOf(topic), handlers[topic], batch.map((e) => consumed(e, offset++)));
      }
      const s = servicesOver(db.dataSource);
      const county = await s.riskFund.report(scopeOf('350602'), {});
      const prefecture = await s.riskFund.report(scopeOf('350600'), {});
      const inCounty = await s.riskFund.report(scopeOf('350602'), { year: '2024' });
      const figures = (r: typeof county) => ({ coveredLoans: r.coveredLoans, lossRate: r.lossRate });
      // 350602 alone is the county fund; 350600 is Zhangzhou with its county funds: the loan once.
      expect({ order, county: figures(county), prefecture: figures(prefecture), inCounty2024: figures(inCounty) }).toEqual({
        order,
        county: { coveredLoans: 1, lossRate: '0.2000' },
        prefecture: { coveredLoans: 1, lossRate: '0.2000' },
        inCounty2024: { coveredLoans: 1, lossRate: '0.2000' },
      });
    } finally {
      await db.drop();
    }
  });

  it('the CoverageByFund migration carries each loan\'s stored coverage over (and back)', async () => {
    const db = await migratedTestSchema(createDataSource, 'metrics_move_mig');
    const runner = db.dataSource.createQueryRunner();
    try {
      await new CoverageByFund1796000700000().down(runner);
      await db.dataSource.query(`
        insert into loan_coverage (bank, loan_ref, fund_region, covered, principal_fen, registered_on) values
          ('b', 'covered', '350600', true, 100000000, '2024-03-01'), ('b', 'uncovered', '350600', false, 5, '2024-03-02'),
          ('b', 'never-judged', null, false, 0, null)`);
      await new CoverageByFund1796000700000().up(runner);
      expect(await db.dataSource.query('select bank, loan_ref, covered_by from loan_coverage order by loan_ref')).toEqual([
        { bank: 'b', loan_ref: 'covered', covered_by: { '350600': { principalFen: '100000000', registeredOn: '2024-03-01' } } },
        { bank: 'b', loan_ref: 'never-judged', covered_by: {} },
        { bank: 'b', loan_ref: 'uncovered', covered_by: {} },
      ]);
      await new CoverageByFund1796000700000().down(runner);
      expect(await db.dataSource.query('select loan_ref, fund_region, covered, principal_fen, registered_on::text from loan_coverage order by loan_ref')).toEqual([
        { loan_ref: 'covered', fund_region: '350600', covered: true, principal_fen: '100000000', registered_on: '2024-03-01' },
        { loan_ref: 'never-judged', fund_region: null, covered: false, principal_fen: '0', registered_on: null },
        { loan_ref: 'uncovered', fund_region: null, covered: false, principal_fen: '0', registered_on: null },
      ]);
    } finally {
      await runner.release();
      await db.drop();
    }
  });
});
