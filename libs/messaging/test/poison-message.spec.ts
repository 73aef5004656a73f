/**
 * Guarantee 5: an event that fails validation or processing goes to `<topic>.dlq` with the reason
 * after bounded retries, and the partition keeps moving.
 */
import { CE_HEADERS, DLQ_GROUP_HEADER, DLQ_ORIGIN_HEADER, DLQ_REASON_HEADER } from '@ipfin/contracts';
import { DataSource } from 'typeorm';
import { headerText, type HandleEvents, MessageBus, type OutgoingRecord, runningConsumerStats, UnappliableEvent, type ValidatingConsumer } from '../src';
import {
  asRecord,
  consumer,
  messagingFixture,
  projection,
  projectionHandler,
  readTopic,
  repayment,
  toFen,
  waitForNoLag,
} from './support/harness';

describe('poison messages', () => {
  // The fixture sets these up and tears them down around each test; the bodies read them as locals.
  const f = messagingFixture(1);
  let dataSource: DataSource;
  let bus: MessageBus;
  let schema: string;
  let topic: string;

  beforeEach(() => {
    ({ dataSource, bus, schema, topic } = f);
  });

  /** Sends `records`, then runs a consumer (2 retries) with `handle` until it has consumed them all. */
  async function consumeAll(records: OutgoingRecord[], handle: HandleEvents): Promise<ValidatingConsumer> {
    const producer = bus.producer();
    await producer.connect();
    await producer.send(records);
    await producer.disconnect();
    const loans = consumer({ bus, dataSource, schema, topics: [topic], maxRetries: 2, handle });
    await loans.start();
    try {
      await waitForNoLag(bus, loans.groupId, [topic]);
      // What Prometheus reads (ipfin_consumer_events_total): the running consumer's own counts.
      expect(runningConsumerStats().find((c) => c.groupId === loans.groupId)?.stats).toEqual(loans.stats());
    } finally {
      await loans.stop();
    }
    expect(runningConsumerStats().some((c) => c.groupId === loans.groupId)).toBe(false);
    return loans;
  }

  it('go to the DLQ with the reason, and the next good message on the partition is applied', async () => {
    const key = 'bank-zhangzhou:ZZ-2024-0099';
    const good1 = asRecord(repayment(topic, key, 1, '100.00'));
    const invalid = asRecord({
      ...repayment(topic, key, 2),
      data: { ...repayment(topic, key, 2).data, principal: '12.345' },
    });
    const headerless = { topic, key, value: JSON.stringify(repayment(topic, key, 2).data) };
    const notJson = { ...asRecord(repayment(topic, key, 2)), value: '{"bank": "bank-zhangzhou",' };
    const poison = asRecord({
      ...repayment(topic, key, 2),
      data: { ...repayment(topic, key, 2).data, eventId: 'poison' },
    });
    const good2 = asRecord(repayment(topic, key, 2, '200.00'));

    let poisonAttempts = 0;
    const loans = await consumeAll([good1, invalid, headerless, notJson, poison, good2], projectionHandler(schema, (events) => {
      if (events.some((e) => (e.envelope.data as { eventId: string }).eventId === 'poison')) {
        poisonAttempts += 1;
        throw new Error('cannot apply a repayment to a loan that does not exist');
      }
    }));

    const applied = await projection(dataSource, schema);
    expect(applied.rows.map((r) => r.ce_id)).toEqual([
      headerText(good1.headers![CE_HEADERS.id]),
      headerText(good2.headers![CE_HEADERS.id]),
    ]);
    // The batch 3 times, then the poison alone 3 times: bounded.
    expect(poisonAttempts).toBe(6);
    expect(loans.stats()).toMatchObject({ applied: 2, deadLettered: 4 });

    const dead = await readTopic(bus, `${topic}.dlq`, 4);
    // Each letter names the group that gave it up (several groups read a topic).
    expect(new Set(dead.map((r) => headerText(r.headers[DLQ_GROUP_HEADER])))).toEqual(new Set([loans.groupId]));
    const letters = dead.map((r) => ({
      origin: headerText(r.headers[DLQ_ORIGIN_HEADER]),
      reason: headerText(r.headers[DLQ_REASON_HEADER]),
      key: r.key?.toString(),
      value: r.value?.toString(),
      ceId: headerText(r.headers[CE_HEADERS.id]),
    }));
    expect(letters).toEqual([
      {
        origin: `${topic}/0/1`,
        reason: expect.stringMatching(/^invalid ipfin.loans.RepaymentReceived.v1: principal/),
        key,
        value: invalid.value,
        ceId: headerText(invalid.headers![CE_HEADERS.id]),
      },
      {
        origin: `${topic}/0/2`,
        reason: expect.stringMatching(/^missing header ce_id/),
        key,
        value: headerless.value,
        ceId: undefined,
      },
      {
        origin: `${topic}/0/3`,
        reason: expect.stringMatching(/^value is not JSON/),
        key,
        value: notJson.value,
        ceId: headerText(notJson.headers![CE_HEADERS.id]),
      },
      {
        origin: `${topic}/0/4`,
        reason: 'handler failed after 3 attempts: cannot apply a repayment to a loan that does not exist',
        key,
        value: poison.value,
        ceId: headerText(poison.headers![CE_HEADERS.id]),
      },
    ]);
  });

  it('a failing statement sent with the COMMIT rolls the whole batch back, inbox included, and only that event is dead-lettered', async () => {
    const keys = ['bank-zhangzhou:ZZ-2024-0101', 'bank-zhangzhou:ZZ-2024-0102', 'bank-zhangzhou:ZZ-2024-0103'];
    const [good1, poison, good2] = keys.map((key, i) => asRecord(repayment(topic, key, 1, `${i + 1}00.00`)));
    const poisonId = headerText(poison.headers![CE_HEADERS.id]);
    let poisonAttempts = 0;
    const loans = await consumeAll([good1, poison, good2], async (events, manager, withCommit) => {
      await projectionHandler(schema)(events, manager);
      if (events.some((e) => e.envelope.id === poisonId)) poisonAttempts += 1;
      // The batch's last write goes with the COMMIT; for the poison event it divides by zero.
      withCommit!({
        text: `INSERT INTO "${schema}".loans (key, sequence, repaid)
               SELECT k, 1, r / d FROM unnest($1::text[], $2::bigint[], $3::int[]) AS u(k, r, d)`,
        values: [
          events.map((e) => e.key),
          events.map((e) => toFen((e.envelope.data as { principal: string }).principal).toString()),
          events.map((e) => (e.envelope.id === poisonId ? 0 : 1)),
        ],
      });
    });

    const applied = await projection(dataSource, schema);
    expect(applied.rows.map((r) => r.ce_id)).toEqual([good1, good2].map((r) => headerText(r.headers![CE_HEADERS.id])));
    const written = await dataSource.query<{ key: string; repaid: string }[]>(`SELECT key, repaid::text FROM "${schema}".loans ORDER BY key`);
    expect(written).toEqual([{ key: keys[0], repaid: '10000' }, { key: keys[2], repaid: '30000' }]);
    const inbox = await dataSource.query<{ ce_id: string }[]>(`SELECT ce_id FROM "${schema}".inbox`);
    expect(inbox.map((r) => r.ce_id)).not.toContain(poisonId);
    expect(inbox).toHaveLength(2);
    // The batch 3 times, then the poison alone 3 times.
    expect(poisonAttempts).toBe(6);
    expect(loans.stats()).toMatchObject({ applied: 2, deadLettered: 1 });
    const [dead] = await readTopic(bus, `${topic}.dlq`, 1);
    expect(headerText(dead.headers[DLQ_REASON_HEADER])).toBe('handler failed after 3 attempts: division by zero');
    expect(headerText(dead.headers[CE_HEADERS.id])).toBe(poisonId);
  });

  it('an event the handler declares unappliable goes to the DLQ at once, with its reason, and the rest of its batch is applied once', async () => {
    const keys = ['bank-zhangzhou:ZZ-2024-0201', 'bank-zhangzhou:ZZ-2024-0202', 'bank-zhangzhou:ZZ-2024-0203'];
    // Two orphans in one batch, the handler naming the later one first; a duplicate of a good event.
    const good1 = asRecord(repayment(topic, keys[0], 1, '100.00'));
    const orphan1 = asRecord(repayment(topic, keys[1], 2, '200.00'));
    const good2 = asRecord(repayment(topic, keys[0], 2, '300.00'));
    const orphan2 = asRecord(repayment(topic, keys[1], 3, '400.00'));
    const good3 = asRecord(repayment(topic, keys[2], 1, '500.00'));
    const good3Again = { ...good3 };
    const orphans = new Set([orphan1, orphan2].map((r) => headerText(r.headers![CE_HEADERS.id])));
    const calls: number[] = [];
    const loans = await consumeAll([good1, orphan1, good2, orphan2, good3, good3Again], async (events, manager) => {
      calls.push(events.length);
      const unknown = [...events].reverse().find((e) => orphans.has(e.envelope.id));
      if (unknown) throw new UnappliableEvent(unknown, `orphan: no LoanRegistered for ${unknown.key} was applied`);
      await projectionHandler(schema)(events, manager);
    });

    const applied = await projection(dataSource, schema);
    expect(applied.rows.map((r) => r.ce_id)).toEqual([good1, good2, good3].map((r) => headerText(r.headers![CE_HEADERS.id])));
    const inbox = await dataSource.query<{ ce_id: string }[]>(`SELECT ce_id FROM "${schema}".inbox`);
    expect(inbox).toHaveLength(3);
    expect(inbox.map((r) => r.ce_id).filter((id) => orphans.has(id))).toEqual([]);
    // No retries: every call either names an orphan once or commits. The batch (6 events, good3
    // twice: 5 new), its part before orphan2 (3), before orphan1 (1), after orphan1 (1), after orphan2 (1).
    expect(calls).toEqual([5, 3, 1, 1, 1]);
    expect(loans.stats()).toMatchObject({ applied: 3, duplicates: 1, deadLettered: 2 });

    const dead = await readTopic(bus, `${topic}.dlq`, 2);
    expect(dead.map((r) => ({
      origin: headerText(r.headers[DLQ_ORIGIN_HEADER]),
      reason: headerText(r.headers[DLQ_REASON_HEADER]),
      ceId: headerText(r.headers[CE_HEADERS.id]),
    }))).toEqual([
      { origin: `${topic}/0/1`, reason: `orphan: no LoanRegistered for ${keys[1]} was applied`, ceId: headerText(orphan1.headers![CE_HEADERS.id]) },
      { origin: `${topic}/0/3`, reason: `orphan: no LoanRegistered for ${keys[1]} was applied`, ceId: headerText(orphan2.headers![CE_HEADERS.id]) },
    ]);
  });
});
