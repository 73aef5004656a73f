/**
 * events.md: "nothing is dropped silently". When an aggregate's first event is dead-lettered (here
 * a `LoanRegistered`, and an `OpenLicenceDeclared`, whose processing fails), metrics has no
 * dimension (declaration) for the aggregate, and every later event of it goes to the DLQ too, at
 * once, with an `orphan:` reason — it is neither applied nor recorded as applied. The partition keeps
 * moving: another loan's (declaration's) events behind them are folded. Re-driving the dead letters
 * in order then restores exactly the figures of a run where nothing failed.
 *
 * Real Kafka (fresh one-partition topics), real validating consumers running the service's
 * handlers, real PostgreSQL; the figures compared through every report, against a control schema
 * fed the same envelopes without Kafka.
 */
import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@ipfin/contracts';
import type { EventBatchHandler, HandleEvents } from '@ipfin/messaging';
import { makePatentNumber, makeUscc } from '@ipfin/kernel';
import { createDataSource } from '../src/database/data-source';
import { projectionHandlers } from '../src/rebuild/handlers';
import type { Envelope } from './support/dataset';
import { DeadLetterKit, migratedTestSchema, type TestSchema } from '@ipfin/testing';
import { assertValid, feed, scopeOf, servicesOver, snapshot } from './support/harness';

let time = Date.parse('2025-07-02T00:00:00Z');
const at = (): string => new Date((time += 1000)).toISOString();

function loan(bank: string, loanRef: string) {
  let sequence = 0;
  const event = (name: string, occurredOn: string, data: Record<string, unknown>): Envelope => {
    sequence += 1;
    return {
      topic: 'loans', key: `${bank}:${loanRef}`, id: randomUUID(), type: `ipfin.loans.${name}.v1`, time: at(),
      data: { bank, loanRef, eventId: `${loanRef}-e${sequence}`, sequence, occurredOn, recordedAt: '2025-07-01T00:00:00.000Z', ...data },
    };
  };
  return {
    registered: (serial: number) => event('LoanRegistered', '2024-03-01', {
      borrower: { uscc: makeUscc(`91350602MA${String(serial).padStart(7, '0')}`), name: `芗城企业${serial}`, size: 'small', regionCode: '350602' },
      principal: '1000000.00', annualRate: '0.0385', termMonths: 24, inclusive: true,
      pledge: {
        registrationNo: `Y${loanRef}`, registeredOn: '2024-03-01', appraisedValue: '2000000.00',
        rights: [{ kind: 'patent', number: makePatentNumber(2021, 1, 950000 + serial) }],
      },
    }),
    disbursed: (amount: string) => event('LoanDisbursed', '2024-03-10', { amount }),
    repaid: (principal: string) => event('RepaymentReceived', '2024-09-10', { principal, interest: '1000.00' }),
    defaulted: (principalLoss: string) => event('LoanDefaulted', '2025-02-10', { principalLoss }),
  };
}

function declaration(serial: number, declaredOn: string) {
  const number = makePatentNumber(2022, 1, 960000 + serial);
  const owner = { sub: 'univ-minnan-normal', role: 'university', region: '350602' };
  const event = (name: string, data: Record<string, unknown>): Envelope => ({
    topic: 'patents', key: number, id: randomUUID(), type: `ipfin.patents.${name}.v1`, time: at(),
    data: { number, kind: 'invention', owner, declaredOn, ...data },
  });
  return {
    declared: event('OpenLicenceDeclared', { royalty: { kind: 'percent_of_sales', percent: '2.5' }, termYears: 2, expiresOn: '2026-01-31' }),
    withdrawn: (withdrawnOn: string) => event('OpenLicenceWithdrawn', { withdrawnOn }),
  };
}

const ORPHAN_LOAN = (key: string): string => `orphan: no LoanRegistered for ${key} was applied (dead-lettered or never published)`;

// Loan A's registration fails; its tranche, repayment and default follow it into the DLQ. Loan B's
// events, before and after them on the same partition, are folded.
const a = loan('bank-icbc-zz', 'ORPHAN-A');
const b = loan('bank-boc-zz', 'ORPHAN-B');
const aRegistered = a.registered(1);
const aEvents = [aRegistered, a.disbursed('1000000.00'), a.repaid('100000.00'), a.defaulted('300000.00')];
const bEvents = [b.registered(2), b.disbursed('600000.00'), b.repaid('50000.00')];
const loanStream = [aEvents[0], aEvents[1], bEvents[0], aEvents[2], bEvents[1], aEvents[3], bEvents[2]];

// Declaration X fails; its withdrawal follows it. Declaration Y (another patent) is folded.
const x = declaration(1, '2024-02-01');
const y = declaration(2, '2024-02-05');
const xEvents = [x.declared, x.withdrawn('2024-08-01')];
const patentStream = [xEvents[0], xEvents[1], y.declared];

const envelopeOf = (e: Envelope): EventEnvelope => ({
  id: e.id, type: e.type, source: `/ipfin/test-${e.topic}`, subject: e.key, time: e.time, specversion: '1.0', data: e.data,
});

let db: TestSchema;
let control: TestSchema;
const kit = new DeadLetterKit();
let topics: { loans: string; patents: string };
const failing = new Set([aRegistered.id, x.declared.id]);

/** The service's handler, failing (as a bug or a conflict would) on the events in `failing`. */
function failingOn(handler: EventBatchHandler): HandleEvents {
  return async (events, manager, withCommit) => {
    const failed = events.find((e) => failing.has(e.envelope.id));
    if (failed) throw new Error(`simulated failure of ${failed.envelope.type}`);
    await handler.handle(events, manager, withCommit);
  };
}

async function consumeBoth(): Promise<{ loans: { applied: number; deadLettered: number }; patents: { applied: number; deadLettered: number } }> {
  const handlers = projectionHandlers(db.dataSource);
  const run = (name: 'loans' | 'patents') =>
    kit.consume({ dataSource: db.dataSource, schema: db.schema, groupId: kit.groupId(name), topic: topics[name], handle: failingOn(handlers[name]) });
  return { loans: await run('loans'), patents: await run('patents') };
}

/** Xiangcheng's financing totals, all time. */
const totals = async (ds: TestSchema['dataSource']) =>
  (await servicesOver(ds).financing.report({ region: scopeOf('350602').region, from: null, to: null, groupBy: 'month' })).totals;

const inbox = async (): Promise<string[]> =>
  (await db.dataSource.query<{ ce_id: string }[]>('select ce_id from inbox order by ce_id')).map((r) => r.ce_id);

beforeAll(async () => {
  assertValid([...loanStream, ...patentStream]);
  db = await migratedTestSchema(createDataSource, 'metrics_orphans');
  control = await migratedTestSchema(createDataSource, 'metrics_orphans_control');
  topics = { loans: await kit.topic('loans'), patents: await kit.topic('patents') };
  await kit.publish(topics.loans, loanStream.map((e) => ({ key: e.key, envelope: envelopeOf(e) })));
  await kit.publish(topics.patents, patentStream.map((e) => ({ key: e.key, envelope: envelopeOf(e) })));
});

afterAll(async () => {
  await kit.close();
  await db?.drop();
  await control?.drop();
});

describe('events of an aggregate whose first event was dead-lettered', () => {
  it('go to the DLQ after it, in order, each with its reason; the other aggregates on the partition are folded', async () => {
    const stats = await consumeBoth();
    expect(stats.loans).toMatchObject({ applied: bEvents.length, deadLettered: aEvents.length });
    expect(stats.patents).toMatchObject({ applied: 1, deadLettered: xEvents.length });

    const loanLetters = await kit.deadLetters(topics.loans);
    expect(loanLetters.map((l) => [l.ceId, l.reason])).toEqual([
      [aEvents[0].id, 'handler failed after 2 attempts: simulated failure of ipfin.loans.LoanRegistered.v1'],
      ...aEvents.slice(1).map((e) => [e.id, ORPHAN_LOAN('bank-icbc-zz:ORPHAN-A')]),
    ]);
    expect(loanLetters.map((l) => l.origin)).toEqual([0, 1, 3, 5].map((offset) => `${topics.loans}/0/${offset}`));
    const patentLetters = await kit.deadLetters(topics.patents);
    expect(patentLetters.map((l) => [l.ceId, l.reason])).toEqual([
      [x.declared.id, 'handler failed after 2 attempts: simulated failure of ipfin.patents.OpenLicenceDeclared.v1'],
      [xEvents[1].id, `orphan: no OpenLicenceDeclared for ${x.declared.key} of 2024-02-01 was applied (dead-lettered or never published)`],
    ]);

    // Nothing else changed: no inbox row for a dead letter, and every figure is that of B and Y alone.
    expect(await inbox()).toEqual([...bEvents, y.declared].map((e) => e.id).sort());
    expect(await db.dataSource.query("select 1 from loan_dim where loan_ref = 'ORPHAN-A'")).toEqual([]);
    expect(await totals(db.dataSource)).toMatchObject({ loans: 1, disbursed: '600000.00', defaults: 0, principalLoss: '0.00' });
    await feed(control.dataSource, control.schema, [...bEvents, y.declared], 7);
    expect(await snapshot(servicesOver(db.dataSource))).toEqual(await snapshot(servicesOver(control.dataSource)));
  });

  it('re-driven in order once the failure is fixed, restore the figures of a run where nothing failed', async () => {
    failing.clear();
    await kit.redrive(topics.loans, await kit.deadLetters(topics.loans));
    await kit.redrive(topics.patents, await kit.deadLetters(topics.patents));
    const stats = await consumeBoth();
    expect(stats.loans).toMatchObject({ applied: aEvents.length, deadLettered: 0 });
    expect(stats.patents).toMatchObject({ applied: xEvents.length, deadLettered: 0 });

    await feed(control.dataSource, control.schema, [...aEvents, ...xEvents], 8);
    expect(await snapshot(servicesOver(db.dataSource))).toEqual(await snapshot(servicesOver(control.dataSource)));
    expect(await totals(db.dataSource)).toMatchObject({ loans: 2, disbursed: '1600000.00', defaults: 1, principalLoss: '300000.00' });
    expect((await kit.deadLetters(topics.loans)).length).toBe(aEvents.length);
  });
});
