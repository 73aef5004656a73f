/**
 * events.md: "nothing is dropped silently". The pledge view keeps every registered loan — a
 * trademark-only one with no patents — so an event of a loan it does not know is an orphan: its
 * registration was dead-lettered. Such events go to the DLQ after it, at once, with an `orphan:`
 * reason, instead of being applied as nothing: were a patent loan's settlement dropped, re-driving
 * its registration later would pledge the patent for good. The partition keeps moving, and
 * re-driving the dead letters in order leaves the patent released, as pledge-loans says.
 *
 * Real Kafka (a fresh one-partition topic), a real validating consumer running the service's
 * handler, real PostgreSQL. Also: a registry upgraded with loans already folded (trademark-only
 * ones not kept) refuses only provable orphans.
 */
import { randomBytes } from 'node:crypto';
import { serviceDataSource } from '@ipfin/http';
import { UnappliableEvent, type ConsumedEvent } from '@ipfin/messaging';
import type { DataSource } from 'typeorm';
import { createDataSource, MIGRATIONS } from '../src/database/data-source';
import { LoanPledgesConsumer } from '../src/patents/loan-pledges.consumer';
import { PledgeRepository } from '../src/patents/pledge.repository';
import { DeadLetterKit, migratedTestSchema, type TestSchema } from '@ipfin/testing';
import { feed, invention, loanRegistered, loanSettled, reversal } from './support';

const P = invention(4101);
const Q = invention(4102);
const aRegistered = loanRegistered('bank-icbc-zz', 'ORPH-A', [P]);
const aSettled = loanSettled('bank-icbc-zz', 'ORPH-A');
const tmRegistered = loanRegistered('bank-zz-rural', 'ORPH-TM', [], { trademarks: ['43210001'] });
const tmSettled = loanSettled('bank-zz-rural', 'ORPH-TM');
const bRegistered = loanRegistered('bank-boc-zz', 'ORPH-B', [Q]);
const stream = [aRegistered, tmRegistered, aSettled, tmSettled, bRegistered];

const ORPHAN = 'orphan: no LoanRegistered for bank-icbc-zz:ORPH-A was applied (dead-lettered or never published)';

const pledges = async (ds: DataSource): Promise<string[]> =>
  (await ds.query<{ number: string; bank: string; loan_ref: string }[]>('select number, bank, loan_ref from patent_pledges order by number'))
    .map((r) => `${r.number} ${r.bank}:${r.loan_ref}`);
const loans = async (ds: DataSource): Promise<unknown[]> => ds.query('select bank, loan_ref, patents, settled from pledge_loans order by bank, loan_ref');
const ids = (events: readonly ConsumedEvent[]): string[] => events.map((e) => e.envelope.id);

describe('events of a loan whose registration was dead-lettered', () => {
  let db: TestSchema;
  const kit = new DeadLetterKit();
  let topic: string;
  const failing = new Set([aRegistered.envelope.id]);
  const consumer = new LoanPledgesConsumer(new PledgeRepository());

  const consume = () => kit.consume({
    dataSource: db.dataSource, schema: db.schema, groupId: kit.groupId('pledges'), topic,
    handle: async (events, manager) => {
      const failed = events.find((e) => failing.has(e.envelope.id));
      if (failed) throw new Error(`simulated failure of ${failed.envelope.type}`);
      await consumer.handle(events, manager);
    },
  });

  beforeAll(async () => {
    db = await migratedTestSchema(createDataSource, 'patents_orphans');
    topic = await kit.topic('loans');
    await kit.publish(topic, stream.map((e) => ({ key: e.key!, envelope: e.envelope })));
  });

  afterAll(async () => {
    await kit.close();
    await db?.drop();
  });

  it('go to the DLQ after it with their reason; a trademark-only loan and the loan behind them are folded', async () => {
    expect(await consume()).toMatchObject({ applied: 3, deadLettered: 2 });
    const letters = await kit.deadLetters(topic);
    expect(letters.map((l) => [l.ceId, l.reason, l.origin])).toEqual([
      [aRegistered.envelope.id, 'handler failed after 2 attempts: simulated failure of ipfin.loans.LoanRegistered.v1', `${topic}/0/0`],
      [aSettled.envelope.id, ORPHAN, `${topic}/0/2`],
    ]);
    // Nothing else changed: no inbox row for a dead letter, nothing of loan A.
    const inbox = await db.dataSource.query<{ ce_id: string }[]>('select ce_id from inbox order by ce_id');
    expect(inbox.map((r) => r.ce_id)).toEqual(ids([tmRegistered, tmSettled, bRegistered]).sort());
    expect(await pledges(db.dataSource)).toEqual([`${Q} bank-boc-zz:ORPH-B`]);
    expect(await loans(db.dataSource)).toEqual([
      { bank: 'bank-boc-zz', loan_ref: 'ORPH-B', patents: [Q], settled: false },
      { bank: 'bank-zz-rural', loan_ref: 'ORPH-TM', patents: [], settled: true },
    ]);
  });

  it('re-driven in order, leave the settled loan’s patent released (the registration alone would pledge it for good)', async () => {
    failing.clear();
    await kit.redrive(topic, await kit.deadLetters(topic));
    expect(await consume()).toMatchObject({ applied: 2, deadLettered: 0 });
    expect(await pledges(db.dataSource)).toEqual([`${Q} bank-boc-zz:ORPH-B`]);
    expect(await loans(db.dataSource)).toContainEqual({ bank: 'bank-icbc-zz', loan_ref: 'ORPH-A', patents: [P], settled: true });
  });
});

describe('a registry upgraded with loans already folded (trademark-only loans were not kept)', () => {
  let ds: DataSource;
  const schema = `patents_orphans_legacy_${randomBytes(4).toString('hex')}`;
  const consumer = new LoanPledgesConsumer(new PledgeRepository());

  beforeAll(async () => {
    const before = MIGRATIONS.filter((m) => m.name !== 'PledgeViewState1796001000000');
    expect(before).toHaveLength(MIGRATIONS.length - 1);
    ds = serviceDataSource('patent-registry', before, { url: process.env.DATABASE_URL!, schema });
    await ds.initialize();
    await ds.query(`create schema "${schema}"`);
    await ds.runMigrations({ transaction: 'each' });
    // The loan consumer has applied events before the upgrade.
    await ds.query(`insert into inbox (consumer, ce_id, topic, partition, "offset") values ('patent-registry.loans', 'before-upgrade', 'ipfin.loans.v1', 0, 0)`);
    await ds.destroy();
    ds = serviceDataSource('patent-registry', MIGRATIONS, { url: process.env.DATABASE_URL!, schema });
    await ds.initialize();
    expect((await ds.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual(['PledgeViewState1796001000000']);
  });

  afterAll(async () => {
    await ds?.query(`drop schema if exists "${schema}" cascade`);
    await ds?.destroy();
  });

  it('records that the view may lack loans, and a new registry that it does not', async () => {
    expect(await ds.query('select all_loans_known from pledge_view_state')).toEqual([{ all_loans_known: false }]);
    const fresh = await migratedTestSchema(createDataSource, 'patents_orphans_fresh');
    try {
      expect(await fresh.dataSource.query('select all_loans_known from pledge_view_state')).toEqual([{ all_loans_known: true }]);
    } finally {
      await fresh.drop();
    }
  });

  it('still folds events of a loan it does not know (perhaps a trademark-only one), but refuses a reversed patent registration', async () => {
    await feed(ds, consumer, loanSettled('bank-zz-rural', 'OLD-TM'));
    expect(await loans(ds)).toEqual([]);
    const old = loanRegistered('bank-icbc-zz', 'OLD-P', [invention(4103)]);
    const attempt = feed(ds, consumer, reversal(old));
    await expect(attempt).rejects.toBeInstanceOf(UnappliableEvent);
    await expect(feed(ds, consumer, reversal(old))).rejects.toThrow('orphan: no LoanRegistered for bank-icbc-zz:OLD-P was applied');
    // Loans registered after the upgrade are kept, trademark-only ones too.
    await feed(ds, consumer, loanRegistered('bank-zz-rural', 'NEW-TM', [], { trademarks: ['43210002'] }));
    expect(await loans(ds)).toEqual([{ bank: 'bank-zz-rural', loan_ref: 'NEW-TM', patents: [], settled: false }]);
  });
});
