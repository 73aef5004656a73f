/**
 * The loan-events service against the real PostgreSQL: batches persist and reload correctly,
 * concurrent banks cannot pledge the same patent twice, a batch of 1000 events is a handful of
 * statements, and every accepted event lands in the outbox in the same transaction.
 */
import { configureUsccAllowList, toProblem } from '@ipfin/http';
import { fixedClock, makePatentNumber, makeUscc } from '@ipfin/kernel';
import { Outbox } from '@ipfin/messaging';
import { migratedTestSchema, type TestSchema } from '@ipfin/testing';
import { DataSource, type Logger as TypeOrmLogger } from 'typeorm';
import { createDataSource } from '../src/database/data-source';
import { LoanEventsService } from '../src/loans/loan-events.service';
import { LoanRepository } from '../src/loans/loan.repository';
import { LoansService } from '../src/loans/loans.service';

let db: TestSchema;
let counted: DataSource;
let statements: string[] = [];

const clock = fixedClock('2024-12-01T02:00:00Z');
const serviceOn = (ds: DataSource): LoanEventsService =>
  new LoanEventsService(ds, new LoanRepository(ds), new Outbox({ schema: db.schema, source: '/ipfin/pledge-loans', clientId: 't', brokers: 'localhost:1' }), clock);

const borrower = (n: number) => ({ uscc: makeUscc(`91350602MA${String(n).padStart(7, '0')}`), name: `企业${n}`, size: 'small', regionCode: '350602' });
const patent = (n: number) => makePatentNumber(2021, 1, n);
const register = (eventId: string, loanRef: string, patentSerial: number, registrationNo = `Y-${loanRef}`) => ({
  eventId, type: 'LoanRegistered', loanRef, occurredOn: '2024-03-01',
  data: {
    borrower: borrower(patentSerial), principal: '1000000.00', annualRate: '0.0385', termMonths: 24, inclusive: true,
    pledge: { registrationNo, registeredOn: '2024-02-28', appraisedValue: '2000000.00', rights: [{ kind: 'patent', number: patent(patentSerial) }] },
  },
});
const ev = (eventId: string, type: string, loanRef: string, data: object = {}, occurredOn = '2024-04-01') => ({ eventId, type, loanRef, occurredOn, data });
const statuses = (r: { results: { status: string }[] }) => r.results.map((x) => x.status);

beforeAll(async () => {
  db = await migratedTestSchema(createDataSource, 'loans_it');
  const logger: TypeOrmLogger = {
    logQuery: (q) => { statements.push(q); },
    logQueryError: () => undefined, logQuerySlow: () => undefined, logSchemaBuild: () => undefined, logMigration: () => undefined, log: () => undefined,
  };
  counted = new DataSource({ ...(db.dataSource.options as object), logging: ['query'], logger } as DataSource['options']);
  await counted.initialize();
});

afterAll(async () => {
  await counted?.destroy();
  await db?.drop();
});

describe('loan events persisted in PostgreSQL', () => {
  it('reloads history across requests: a later reversal re-folds what earlier requests stored', async () => {
    const svc = serviceOn(db.dataSource);
    expect(statuses(await svc.post('bank-a', [register('a1', 'L-1', 1), ev('a2', 'LoanDisbursed', 'L-1', { amount: '600000.00' })]))).toEqual(['accepted', 'accepted']);
    expect(statuses(await svc.post('bank-a', [ev('a3', 'LoanDisbursed', 'L-1', { amount: '400000.00' }), ev('a4', 'RepaymentReceived', 'L-1', { principal: '500000.00', interest: '1.00' }, '2024-05-01')]))).toEqual(['accepted', 'accepted']);
    // Reversing the first tranche would leave 400 000 disbursed against 500 000 repaid.
    const breaks = await svc.post('bank-a', [ev('a5', 'EventReversed', 'L-1', { reversedEventId: 'a2' }, '2024-05-02')]);
    expect(breaks.results[0]).toMatchObject({ status: 'rejected', problem: { type: expect.stringContaining('reversal-breaks-history') } });
    expect(statuses(await svc.post('bank-a', [ev('a6', 'EventReversed', 'L-1', { reversedEventId: 'a3' }, '2024-05-02')]))).toEqual(['accepted']);
    const loan = await new LoansService(new LoanRepository(db.dataSource)).get({ sub: 'bank-a', role: 'bank', region: '350600' }, 'L-1');
    expect(loan).toMatchObject({ disbursed: '600000.00', repaidPrincipal: '500000.00', outstanding: '100000.00' });
    expect((loan.events as unknown[]).length).toBe(5);
  });

  it('remembers accepted event ids across requests: same content is a duplicate, other content a conflict', async () => {
    const svc = serviceOn(db.dataSource);
    const again = await svc.post('bank-a', [ev('a2', 'LoanDisbursed', 'L-1', { amount: '600000' }), ev('a2', 'LoanDisbursed', 'L-1', { amount: '1.00' })]);
    expect(again.results[0].status).toBe('duplicate');
    expect(again.results[1]).toMatchObject({ status: 'rejected', problem: { status: 409, type: expect.stringContaining('event-id-conflict') } });
  });

  it('lets only one of two concurrent banks pledge the same patent', async () => {
    const [a, b] = await Promise.all([
      serviceOn(db.dataSource).post('bank-a', [register('c1', 'RACE-A', 777)]),
      serviceOn(db.dataSource).post('bank-b', [register('c1', 'RACE-B', 777)]),
    ]);
    const outcomes = [a.results[0], b.results[0]].map((r) => r.problem?.type ?? r.status).sort();
    expect(outcomes).toEqual(['accepted', 'https://ipfin.dev/problems/right-already-pledged']);
    const holders: { bank: string }[] = await db.dataSource.query('select bank from pledged_rights where right_key = $1', [`patent:${patent(777)}`]);
    expect(holders).toHaveLength(1);
  });

  it('applies a batch of 1000 events in a handful of statements and writes one outbox row per accepted event', async () => {
    const svc = serviceOn(counted);
    const items = Array.from({ length: 500 }, (_, i) => [register(`b-${i}-r`, `BULK-${i}`, 10_000 + i), ev(`b-${i}-d`, 'LoanDisbursed', `BULK-${i}`, { amount: '1000.00' })]).flat();
    const outboxBefore = Number((await db.dataSource.query('select count(*) as n from outbox'))[0].n);
    statements = [];
    const res = await svc.post('bank-bulk', items);
    expect(res.results.every((r) => r.status === 'accepted')).toBe(true);
    const sql = statements.filter((q) => !/^(START TRANSACTION|COMMIT|SET TRANSACTION)/i.test(q));
    expect(sql.length).toBeLessThanOrEqual(12);
    const outboxAfter = Number((await db.dataSource.query('select count(*) as n from outbox'))[0].n);
    expect(outboxAfter - outboxBefore).toBe(1000);
    const keys: { key: string; ce_type: string }[] = await db.dataSource.query(
      "select key, ce_type from outbox where key = 'bank-bulk:BULK-7' order by id",
    );
    expect(keys.map((k) => k.ce_type)).toEqual(['ipfin.loans.LoanRegistered.v1', 'ipfin.loans.LoanDisbursed.v1']);
  });

  it('stores nothing of a batch whose every event is refused', async () => {
    const svc = serviceOn(db.dataSource);
    const before = Number((await db.dataSource.query('select count(*) as n from loan_events'))[0].n);
    const res = await svc.post('bank-a', [ev('z1', 'LoanDisbursed', 'NOPE', { amount: '-1.00' }), ev('z2', 'LoanDisbursed', 'NOPE', { amount: '1.00' })]);
    expect(statuses(res)).toEqual(['rejected', 'rejected']);
    expect(Number((await db.dataSource.query('select count(*) as n from loan_events'))[0].n)).toBe(before);
  });
});

describe('refused items and bodies, as the rest of the API words them', () => {
  const outboxRows = async (): Promise<number> => Number((await db.dataSource.query('select count(*) as n from outbox'))[0].n);
  const eventRows = async (): Promise<number> => Number((await db.dataSource.query('select count(*) as n from loan_events'))[0].n);

  it("admits an early borrower USCC on the operator's allow-list, and refuses it and any other wrong check character without", async () => {
    const svc = serviceOn(db.dataSource);
    const valid = borrower(901).uscc;
    const early = `${valid.slice(0, 17)}${valid.endsWith('0') ? '1' : '0'}`;
    const earlyLoan = (eventId: string, loanRef: string, uscc: string) => {
      const item = register(eventId, loanRef, 901);
      return { ...item, data: { ...item.data, borrower: { ...borrower(901), uscc } } };
    };

    const before = await svc.post('bank-early', [earlyLoan('e1', 'EARLY-1', early)]);
    expect(before.results[0]).toMatchObject({
      status: 'rejected',
      problem: { status: 400, errors: [{ field: '[0].data.borrower.uscc', message: expect.stringContaining('wrong check character') }] },
    });

    configureUsccAllowList([early.toLowerCase()]);
    try {
      const other = borrower(902).uscc;
      const res = await svc.post('bank-early', [earlyLoan('e1', 'EARLY-1', early.toLowerCase()), earlyLoan('e2', 'EARLY-2', `${other.slice(0, 17)}${other.endsWith('0') ? '1' : '0'}`)]);
      expect(statuses(res)).toEqual(['accepted', 'rejected']);
      expect(res.results[1].problem?.errors).toEqual([{ field: '[1].data.borrower.uscc', message: expect.stringContaining('wrong check character') }]);
      const loan = await new LoansService(new LoanRepository(db.dataSource)).get({ sub: 'bank-early', role: 'bank', region: '350600' }, 'EARLY-1');
      expect(loan).toMatchObject({ borrower: { uscc: early } });
    } finally {
      configureUsccAllowList([]);
    }
  });

  it('refuses blank free text with a 400 naming the field, typed …/problems/validation like every other invalid field, storing nothing', async () => {
    const svc = serviceOn(db.dataSource);
    const [events, outbox] = [await eventRows(), await outboxRows()];
    const blankName = register('w1', 'BLANK-1', 903);
    const res = await svc.post('bank-a', [
      { ...blankName, data: { ...blankName.data, borrower: { ...borrower(903), name: '   ' } } },
      { ...register('w2', '   ', 904) },
      ev('w3', 'LoanDisbursed', 'NO-SUCH-LOAN', { amount: '1.00' }),
    ]);

    expect(res.results[0]).toEqual({
      eventId: 'w1',
      status: 'rejected',
      problem: {
        type: 'https://ipfin.dev/problems/validation',
        title: 'Invalid request',
        status: 400,
        detail: '[0].data.borrower.name: name must not be blank',
        errors: [{ field: '[0].data.borrower.name', message: 'name must not be blank' }],
      },
    });
    expect(res.results[1].problem).toMatchObject({ type: 'https://ipfin.dev/problems/validation', errors: [{ field: '[1].loanRef', message: 'loanRef must not be blank' }] });
    expect(res.results[2].problem).toMatchObject({ type: 'https://ipfin.dev/problems/unknown-loan', status: 422 });
    expect([await eventRows(), await outboxRows()]).toEqual([events, outbox]);
  });

  it('answers a body that is not a batch of 1…1000 events with a 400 naming the body, as the library does', async () => {
    const svc = serviceOn(db.dataSource);
    for (const body of [{}, [], null, Array.from({ length: 1001 }, (_, i) => ev(`o${i}`, 'LoanDisbursed', 'L-1'))]) {
      const error = await svc.post('bank-a', body).then(() => null, (e: unknown) => e);
      expect(toProblem(error)).toMatchObject({
        type: 'https://ipfin.dev/problems/validation',
        status: 400,
        errors: [{ field: 'body', message: 'the body must be a JSON array of 1…1000 events' }],
      });
    }
  });
});
