/**
 * The coverage view fed with real `ipfin.loans.v1` envelopes through the handler, inside the
 * inbox transaction, against the real PostgreSQL: coverage decided at registration and explained,
 * `LoanCovered` written to the outbox in the same transaction, defaults and reversals folded, a
 * redelivered batch changing nothing, and a batch of 300 events costing a handful of statements.
 */
import { fixedClock, isDomainError } from '@ipfin/kernel';
import type { TestSchema } from '@ipfin/testing';
import { DataSource, type Logger as TypeOrmLogger } from 'typeorm';
import { ClaimRepository } from '../src/claims/claim.repository';
import { LoanEventsConsumer } from '../src/claims/loan-events.consumer';
import { CoveredLoanRepository } from '../src/claims/covered-loan.repository';
import { FundLedgerRepository } from '../src/funds/fund-ledger.repository';
import { PolicyRepository } from '../src/funds/policy.repository';
import { Outbox } from '@ipfin/messaging';
import {
  bankOf, defaulted, deliver, disbursed, envelope, fundOf, outboxRows, registered, reversed, riskSchema, riskServices, smeBorrower,
  ZHANGZHOU, type RiskServices,
} from './support/risk-kit';

let db: TestSchema & { pooled: DataSource };
let svc: RiskServices;
const clock = fixedClock('2025-06-10T03:00:00Z');

const ICBC = { bank: 'bank-icbc-zz', loanRef: 'ZZ-C-1' };

async function refusal(promise: Promise<unknown>): Promise<{ code: string; kind: string; detail: string }> {
  try {
    await promise;
  } catch (error: unknown) {
    if (isDomainError(error)) return { code: error.code, kind: error.kind, detail: error.detail };
    throw error;
  }
  throw new Error('expected a refusal');
}

beforeAll(async () => {
  db = await riskSchema('risk_loans');
  svc = riskServices(db.dataSource, db.schema, clock);
  await svc.policies.seed();
});

afterAll(async () => {
  await db?.drop();
});

describe('the coverage view folded from loan events', () => {
  const registration = registered(ICBC, { serial: 21, principal: '2000000.00' });
  const tranche = disbursed(ICBC, 'ZZ-C-1-d1', '2024-03-05', '2000000.00');
  const firstDefault = defaulted(ICBC, 'ZZ-C-1-def1', '2025-04-10', '300000.00');
  const laterDefault = defaulted(ICBC, 'ZZ-C-1-def2', '2025-05-02', '100000.55');

  it('covers a cooperating bank’s SME loan in Zhangzhou and publishes LoanCovered in the same transaction', async () => {
    const before = (await outboxRows(db.dataSource)).length;
    expect(await deliver(db.dataSource, db.schema, svc.consumer, [envelope(registration), envelope(tranche)])).toBe(2);
    const coverage = await svc.claims.coverage(bankOf(ICBC.bank), ICBC.bank, ICBC.loanRef);
    expect(coverage).toMatchObject({
      bank: ICBC.bank, loanRef: ICBC.loanRef, covered: true, reasons: [], region: ZHANGZHOU, policyVersion: '2024-02-02',
      registeredOn: '2024-03-01', principal: '2000000.00', status: 'disbursed', outstanding: '2000000.00', reportedLoss: '0.00',
    });
    const events = (await outboxRows(db.dataSource)).slice(before);
    expect(events.map((e) => [e.ce_type, e.key])).toEqual([['ipfin.risk.LoanCovered.v1', ZHANGZHOU]]);
    expect(events[0].payload).toMatchObject({ bank: ICBC.bank, loanRef: ICBC.loanRef, covered: true, cause: 'registered', policyVersion: '2024-02-02', registrationEventId: 'ZZ-C-1-reg' });
    // The fund of the region sees it too.
    expect((await svc.claims.coverage(fundOf(ZHANGZHOU), ICBC.bank, ICBC.loanRef)).covered).toBe(true);
  });

  it('explains every reason a loan is not covered, to its bank and to the fund', async () => {
    const ref = { bank: 'bank-hxb-zz', loanRef: 'HX-1' };
    await deliver(db.dataSource, db.schema, svc.consumer, [envelope(registered(ref, { borrower: smeBorrower(22, '350603', 'large') }))]);
    const coverage = await svc.claims.coverage(bankOf(ref.bank), ref.bank, ref.loanRef);
    expect(coverage).toMatchObject({ covered: false, region: ZHANGZHOU, policyVersion: '2024-02-02' });
    expect(coverage.reasons.map((r) => r.rule)).toEqual(['bank-not-cooperating', 'borrower-size']);
    const [event] = (await outboxRows(db.dataSource, 'LoanCovered')).filter((e) => e.payload.loanRef === 'HX-1');
    expect(event.payload).toMatchObject({ covered: false, reasons: [expect.objectContaining({ rule: 'bank-not-cooperating' }), expect.objectContaining({ rule: 'borrower-size' })] });
  });

  it('keeps a loan no fund is concerned with, tells its bank why, and hides it from funds', async () => {
    const ref = { bank: 'bank-sy-1', loanRef: 'SY-1' };
    const before = (await outboxRows(db.dataSource)).length;
    await deliver(db.dataSource, db.schema, svc.consumer, [envelope(registered(ref, { borrower: smeBorrower(23, '430502') }))]);
    const coverage = await svc.claims.coverage(bankOf(ref.bank), ref.bank, ref.loanRef);
    expect(coverage).toMatchObject({ covered: false, region: null, reasons: [expect.objectContaining({ rule: 'no-policy' })] });
    expect((await outboxRows(db.dataSource)).length).toBe(before);
    expect(await refusal(svc.claims.coverage(fundOf(ZHANGZHOU), ref.bank, ref.loanRef))).toMatchObject({ kind: 'not-found' });
  });

  it('folds defaults and undoes exactly the reversed one', async () => {
    await deliver(db.dataSource, db.schema, svc.consumer, [envelope(firstDefault), envelope(laterDefault)]);
    expect(await svc.claims.coverage(bankOf(ICBC.bank), ICBC.bank, ICBC.loanRef)).toMatchObject({
      status: 'defaulted', reportedLoss: '400000.55', defaultedOn: '2025-04-10', outstanding: '1599999.45',
    });
    // Reversing the first default moves the default date to the remaining one and drops its loss.
    await deliver(db.dataSource, db.schema, svc.consumer, [envelope(reversed(firstDefault, 'ZZ-C-1-rev1', '2025-05-03'))]);
    expect(await svc.claims.coverage(bankOf(ICBC.bank), ICBC.bank, ICBC.loanRef)).toMatchObject({
      status: 'defaulted', reportedLoss: '100000.55', defaultedOn: '2025-05-02', covered: true,
    });
    const claim = await svc.claims.file(bankOf(ICBC.bank), { loanRef: ICBC.loanRef, principalLoss: '100000.55', defaultedOn: '2025-05-02' });
    expect(claim.status).toBe('filed');
    // The remaining default is reversed after filing: the fund cannot approve a loss no longer reported.
    await deliver(db.dataSource, db.schema, svc.consumer, [envelope(reversed(laterDefault, 'ZZ-C-1-rev2', '2025-05-04'))]);
    expect(await svc.claims.coverage(bankOf(ICBC.bank), ICBC.bank, ICBC.loanRef)).toMatchObject({ status: 'disbursed', reportedLoss: '0.00' });
    expect((await svc.claims.coverage(bankOf(ICBC.bank), ICBC.bank, ICBC.loanRef)).defaultedOn).toBeUndefined();
    expect(await refusal(svc.claims.approve(fundOf(ZHANGZHOU), claim.id))).toMatchObject({ code: 'loan-not-defaulted', kind: 'rule' });
  });

  it('forgets a loan whose registration is reversed and tells the fund it is no longer covered', async () => {
    const ref = { bank: 'bank-boc-zz', loanRef: 'BOC-1' };
    const registration2 = registered(ref, { serial: 24 });
    await deliver(db.dataSource, db.schema, svc.consumer, [envelope(registration2), envelope(reversed(registration2, 'BOC-1-rev', '2024-03-02'))]);
    expect(await refusal(svc.claims.coverage(bankOf(ref.bank), ref.bank, ref.loanRef))).toMatchObject({ kind: 'not-found' });
    const events = (await outboxRows(db.dataSource, 'LoanCovered')).filter((e) => e.payload.loanRef === 'BOC-1');
    expect(events.map((e) => [e.payload.covered, e.payload.cause])).toEqual([[true, 'registered'], [false, 'registration-reversed']]);
    expect(events[1].payload.reasons).toEqual([expect.objectContaining({ rule: 'registration-reversed' })]);
    // Registered again under the same loanRef after the reversal: a new loan.
    await deliver(db.dataSource, db.schema, svc.consumer, [envelope(registered(ref, { serial: 24, eventId: 'BOC-1-reg2', occurredOn: '2024-03-03' }))]);
    expect(await svc.claims.coverage(bankOf(ref.bank), ref.bank, ref.loanRef)).toMatchObject({ covered: true, registeredOn: '2024-03-03' });
  });

  it('changes nothing when the same envelopes are delivered again', async () => {
    const batch = [envelope(registered({ bank: 'bank-ccb-zz', loanRef: 'CCB-1' }, { serial: 25 }))];
    expect(await deliver(db.dataSource, db.schema, svc.consumer, batch)).toBe(1);
    const outbox = (await outboxRows(db.dataSource)).length;
    const view = await db.dataSource.query("select view, updated_at from covered_loans where bank = 'bank-ccb-zz'");
    expect(await deliver(db.dataSource, db.schema, svc.consumer, batch)).toBe(0);
    expect((await outboxRows(db.dataSource)).length).toBe(outbox);
    expect(await db.dataSource.query("select view, updated_at from covered_loans where bank = 'bank-ccb-zz'")).toEqual(view);
  });

  it('fails the whole batch, changing nothing, when the stream contradicts the view', async () => {
    const before = (await outboxRows(db.dataSource)).length;
    const clash = registered(ICBC, { serial: 26, eventId: 'ZZ-C-1-other' });
    const fine = registered({ bank: 'bank-ccb-zz', loanRef: 'CCB-2' }, { serial: 27 });
    await expect(deliver(db.dataSource, db.schema, svc.consumer, [envelope(fine), envelope(clash)])).rejects.toThrow(/already registered/);
    expect((await outboxRows(db.dataSource)).length).toBe(before);
    expect(await db.dataSource.query("select 1 from covered_loans where loan_ref = 'CCB-2'")).toEqual([]);
  });
});

describe('performance hygiene', () => {
  it('applies a batch of 300 events for 100 loans in a handful of statements', async () => {
    const statements: string[] = [];
    const logger: TypeOrmLogger = {
      logQuery: (q) => { statements.push(q); },
      logQueryError: () => undefined, logQuerySlow: () => undefined, logSchemaBuild: () => undefined, logMigration: () => undefined, log: () => undefined,
    };
    const counted = new DataSource({ ...(db.dataSource.options as object), logging: ['query'], logger } as DataSource['options']);
    await counted.initialize();
    try {
      const outbox = new Outbox({ schema: db.schema, source: '/ipfin/risk-compensation', clientId: 't', brokers: 'localhost:1' });
      const consumer = new LoanEventsConsumer(new CoveredLoanRepository(counted), new PolicyRepository(counted), new FundLedgerRepository(counted), new ClaimRepository(counted), outbox, clock);
      const events = Array.from({ length: 100 }, (_, i) => {
        const ref = { bank: 'bank-psbc-zz', loanRef: `BULK-${i}` };
        return [registered(ref, { serial: 100 + i }), disbursed(ref, `BULK-${i}-d`, '2024-03-05', '1000000.00'), defaulted(ref, `BULK-${i}-x`, '2025-05-01', '1000.00')];
      }).flat();
      const before = (await outboxRows(db.dataSource, 'LoanCovered')).length;
      await counted.transaction(async (m) => {
        statements.length = 0;
        await consumer.handle(events.map(envelope), m);
      });
      expect(statements.length).toBeLessThanOrEqual(8);
      expect((await outboxRows(db.dataSource, 'LoanCovered')).length - before).toBe(100);
      expect(await svc.claims.coverage(bankOf('bank-psbc-zz'), 'bank-psbc-zz', 'BULK-99')).toMatchObject({ covered: true, status: 'defaulted', reportedLoss: '1000.00' });
    } finally {
      await counted.destroy();
    }
  });
});
