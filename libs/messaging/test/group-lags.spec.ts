/**
 * `groupLags`: the lag of several groups over one admin connection that stays open (metrics'
 * `lagEvents`), the same figures as `consumerLag`, and new events seen on the next call.
 */
import { consumerLag, groupLags, type BusAdmin } from '../src';
import {
  asRecord, consumer, createTopic, deleteTopics, messagingFixture, projection, projectionHandler, repayment, unique, waitFor,
} from './support/harness';

describe('groupLags', () => {
  const f = messagingFixture(2);

  it('counts what each group has not consumed, over one connected admin, and sees new events on the next call', async () => {
    const { bus, dataSource, schema, topic } = f;
    const other = await createTopic(bus, 1);
    const admin: BusAdmin = bus.admin();
    await admin.connect();
    const producer = bus.producer();
    await producer.connect();
    const one = { groupId: unique('group'), topics: [topic] };
    const both = { groupId: unique('group'), topics: [topic, other] };
    try {
      await producer.send([1, 2, 3, 4, 5].map((i) => asRecord(repayment(topic, `bank-a:L-${i}`, 1))));
      await producer.send([1, 2, 3].map((i) => asRecord(repayment(other, `bank-a:L-${i}`, 1))));
      // Groups that never committed are behind by everything on their topics.
      expect(await groupLags(admin, [one, both])).toEqual([5, 8]);

      const c = consumer({ bus, dataSource, schema, topics: one.topics, groupId: one.groupId, handle: projectionHandler(schema) });
      await c.start();
      try {
        await waitFor('the five events applied', async () => (await projection(dataSource, schema)).count, (n) => n === 5);
        await waitFor('group one caught up', () => groupLags(admin, [one, both]), ([a]) => a === 0);
      } finally {
        await c.stop();
      }
      expect(await groupLags(admin, [one, both])).toEqual([0, 8]);

      // The same admin, still open, sees the events published since.
      await producer.send([6, 7].map((i) => asRecord(repayment(topic, `bank-a:L-${i}`, 1))));
      expect(await groupLags(admin, [both, one])).toEqual([10, 2]);
      expect(await consumerLag(bus, both.groupId, both.topics)).toBe(10);
      expect(await consumerLag(bus, one.groupId, one.topics)).toBe(2);
    } finally {
      await producer.disconnect();
      await admin.disconnect();
      await deleteTopics(bus, [other]);
    }
  });
});
