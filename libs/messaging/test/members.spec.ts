/**
 * A consumer with several group members: a batch that takes long on one partition does not hold
 * back the events of another partition (one member fetches again only once its whole last fetch
 * is applied), and every event is still applied once.
 */
import { asRecord, consumer, messagingFixture, projection, projectionHandler, repayment, waitFor } from './support/harness';

// Fixed keys: the partitioner is deterministic, so the same keys land on the same partitions every run.
const OTHER_KEYS = Array.from({ length: 8 }, (_, i) => `bank-b:L-${i}`);

describe('consumer group members', () => {
  const f = messagingFixture(2);

  it('applies the other partition while one partition waits in its handler, with two members', async () => {
    const { dataSource, bus, schema, topic } = f;
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let blockedPartition: number | null = null;
    const c = consumer({
      bus,
      dataSource,
      schema,
      topics: [topic],
      members: 2,
      handle: projectionHandler(schema, async (events) => {
        if (events.some((e) => e.key === 'bank-a:SLOW')) {
          blockedPartition = events[0].partition;
          await released;
        }
      }),
    });
    await c.start();
    const producer = bus.producer();
    await producer.connect();
    try {
      await producer.send([asRecord(repayment(topic, 'bank-a:SLOW', 1))]);
      await waitFor('the slow event in its handler', async () => blockedPartition, (p) => p !== null);
      await producer.send(OTHER_KEYS.map((key) => asRecord(repayment(topic, key, 1))));
      // The keys that hash to the other partition are applied while the slow batch still waits.
      const whileBlocked = await waitFor('events of the other partition', async () => (await projection(dataSource, schema)).count, (n) => n > 0);
      expect(whileBlocked).toBeGreaterThan(0);
      expect(whileBlocked).toBeLessThan(OTHER_KEYS.length);
      release();
      const applied = await waitFor('every event', async () => projection(dataSource, schema), (p) => p.count === OTHER_KEYS.length + 1);
      expect(applied.distinctIds).toBe(OTHER_KEYS.length + 1);
    } finally {
      release();
      await producer.disconnect();
      await c.stop();
    }
  });
});
