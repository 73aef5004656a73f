/**
 * events.md: "nothing is dropped silently". The coverage view keeps every registered loan (covered
 * or not, with or without a fund) and every money event by its id. When a loan's `LoanRegistered`
 * is dead-lettered (its processing fails), the loan's later events — tranche, default, the
 * default's reversal — go to the DLQ after it, at once, with an `orphan:` reason: nothing is applied,
 * recorded as applied or published. An event contradicting the view (a second registration) is
 * dead-lettered at once too. The partition keeps moving: another loan's events behind them are
 * folded. Re-driving the dead letters in order then gives the view and the `LoanCovered` a run
 * without the failure gives.
 *
 * Real Kafka (a fresh one-partition topic), a real validating consumer running the service's
 * handler, real PostgreSQL; a control schema fed the same events without Kafka.
 */
import { fixedClock } from '@ipfin/kernel';
import type { ConsumedEvent } from '@ipfin/messaging';
import type { DataSource } from 'typeorm';
import { DeadLetterKit } from '@ipfin/testing';
import {
  bankOf, defaulted, deliver, disbursed, envelope, outboxRows, registered, reversed, riskSchema, riskServices, type RiskServices,
} from './support/risk-kit';

const clock = fixedClock('2025-06-10T03:00:00Z');
const A = { bank: 'bank-icbc-zz', loanRef: 'ORPH-A' };
const B = { bank: 'bank-boc-zz', loanRef: 'ORPH-B' };

const aDefault = defaulted(A, 'ORPH-A-def', '2025-04-10', '300000.00');
const aEvents = [
  envelope(registered(A, { serial: 71, principal: '1000000.00' })),
  envelope(disbursed(A, 'ORPH-A-d1', '2024-03-05', '1000000.00')),
  envelope(aDefault),
  envelope(reversed(aDefault, 'ORPH-A-rev', '2025-04-12')),
];
const bEvents = [
  envelope(registered(B, { serial: 72, principal: '500000.00' })),
  envelope(disbursed(B, 'ORPH-B-d1', '2024-03-06', '500000.00')),
  envelope(defaulted(B, 'ORPH-B-def', '2025-05-02', '100000.00')),
];
/** A second registration of the live loan B: contradicts the view. */
const clash = envelope(registered(B, { serial: 73, eventId: 'ORPH-B-other' }));
const stream = [aEvents[0], aEvents[1], bEvents[0], aEvents[2], bEvents[1], clash, aEvents[3], bEvents[2]];

const ORPHAN = 'orphan: no LoanRegistered for bank-icbc-zz:ORPH-A was applied (dead-lettered or never published)';
const CONFLICT = 'Loan bank-boc-zz:ORPH-B is already registered by ORPH-B-reg; ORPH-B-other cannot register it again.';

let db: Awaited<ReturnType<typeof riskSchema>>;
let control: Awaited<ReturnType<typeof riskSchema>>;
let svc: RiskServices;
const kit = new DeadLetterKit();
let topic: string;
const failing = new Set([aEvents[0].envelope.id]);

async function consume(): Promise<{ applied: number; deadLettered: number }> {
  return kit.consume({
    dataSource: db.dataSource, schema: db.schema, groupId: kit.groupId('risk-loans'), topic,
    handle: async (events, manager) => {
      const failed = events.find((e) => failing.has(e.envelope.id));
      if (failed) throw new Error(`simulated failure of ${failed.envelope.type}`);
      await svc.consumer.handle(events, manager);
    },
  });
}

const views = async (ds: DataSource): Promise<unknown[]> => ds.query('select bank, loan_ref, view from covered_loans order by bank, loan_ref');
const covered = async (ds: DataSource): Promise<unknown[]> => (await outboxRows(ds, 'LoanCovered')).map((r) => [r.key, r.payload]);
const inbox = async (): Promise<string[]> => (await db.dataSource.query<{ ce_id: string }[]>('select ce_id from inbox order by ce_id')).map((r) => r.ce_id);
const ids = (events: readonly ConsumedEvent[]): string[] => events.map((e) => e.envelope.id);

beforeAll(async () => {
  db = await riskSchema('risk_orphans');
  control = await riskSchema('risk_orphans_control');
  svc = riskServices(db.dataSource, db.schema, clock);
  await svc.policies.seed();
  await riskServices(control.dataSource, control.schema, clock).policies.seed();
  topic = await kit.topic('loans');
  await kit.publish(topic, stream.map((e) => ({ key: e.key!, envelope: e.envelope })));
});

afterAll(async () => {
  await kit.close();
  await db?.drop();
  await control?.drop();
});

describe('events of a loan whose registration was dead-lettered', () => {
  it('go to the DLQ after it, in order, each with its reason; the other loan on the partition is folded', async () => {
    expect(await consume()).toMatchObject({ applied: bEvents.length, deadLettered: aEvents.length + 1 });

    const letters = await kit.deadLetters(topic);
    expect(letters.map((l) => [l.ceId, l.reason])).toEqual([
      [aEvents[0].envelope.id, 'handler failed after 2 attempts: simulated failure of ipfin.loans.LoanRegistered.v1'],
      [aEvents[1].envelope.id, ORPHAN],
      [aEvents[2].envelope.id, ORPHAN],
      [clash.envelope.id, CONFLICT],
      [aEvents[3].envelope.id, ORPHAN],
    ]);
    expect(letters.map((l) => l.origin)).toEqual([0, 1, 3, 5, 6].map((offset) => `${topic}/0/${offset}`));

    // Nothing else changed: no inbox row for a dead letter, no view or LoanCovered of A; B as if alone.
    expect(await inbox()).toEqual(ids(bEvents).sort());
    await deliver(control.dataSource, control.schema, riskServices(control.dataSource, control.schema, clock).consumer, bEvents);
    expect(await views(db.dataSource)).toEqual(await views(control.dataSource));
    expect(await covered(db.dataSource)).toEqual(await covered(control.dataSource));
    expect(await views(db.dataSource)).toEqual([expect.objectContaining({ loan_ref: 'ORPH-B', view: expect.objectContaining({ status: 'defaulted' }) })]);
  });

  it('re-driven in order once the failure is fixed, give the view a run without the failure gives', async () => {
    failing.clear();
    await kit.redrive(topic, await kit.deadLetters(topic));
    // The registration, tranche, default and reversal apply; the conflict is dead-lettered again.
    expect(await consume()).toMatchObject({ applied: aEvents.length, deadLettered: 1 });
    expect((await kit.deadLetters(topic)).map((l) => l.reason)).toEqual([expect.any(String), ORPHAN, ORPHAN, CONFLICT, ORPHAN, CONFLICT]);

    await deliver(control.dataSource, control.schema, riskServices(control.dataSource, control.schema, clock).consumer, aEvents);
    expect(await views(db.dataSource)).toEqual(await views(control.dataSource));
    expect(await covered(db.dataSource)).toEqual(await covered(control.dataSource));
    expect(await svc.claims.coverage(bankOf(A.bank), A.bank, A.loanRef)).toMatchObject({
      covered: true, status: 'disbursed', reportedLoss: '0.00', outstanding: '1000000.00',
    });
  });
});
