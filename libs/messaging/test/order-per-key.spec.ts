/**
 * Guarantee 3: events of one aggregate arrive in commit order, although many transactions write
 * concurrently, ids become visible out of order, and the relay fails over half-way.
 */
import { DataSource } from 'typeorm';
import { enqueue, MessageBus, OutboxRelay } from '../src';
import {
  consumer,
  messagingFixture,
  projection,
  projectionHandler,
  repayment,
  SOURCE,
  testLogger,
  waitFor,
  waitForNoLag,
} from './support/harness';

const KEYS = [
  'bank-zhangzhou:ZZ-1',
  'bank-zhangzhou:ZZ-2',
  'bank-weihai:WH-1',
  'bank-quanzhou:QZ-1',
  'bank-quanzhou:QZ-2',
];
const WRITERS = 6;
const TRANSACTIONS_PER_WRITER = 20;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('order per key', () => {
  // The fixture sets these up and tears them down around each test; the bodies read them as locals.
  const f = messagingFixture(3, 16);
  let dataSource: DataSource;
  let bus: MessageBus;
  let schema: string;
  let topic: string;

  beforeEach(async () => {
    ({ dataSource, bus, schema, topic } = f);
    for (const key of KEYS)
      await dataSource.query(`INSERT INTO "${schema}".loans (key, sequence) VALUES ($1, 0)`, [key]);
  });

  /** One transaction: lock the loan, take the next 1–3 sequence numbers, enqueue their events. */
  async function writeEvents(random: () => number): Promise<number> {
    const key = KEYS[Math.floor(random() * KEYS.length)];
    const count = 1 + Math.floor(random() * 3);
    await dataSource.transaction(async (manager) => {
      const [loan] = await manager.query<{ sequence: number }[]>(
        `SELECT sequence FROM "${schema}".loans WHERE key = $1 FOR UPDATE`,
        [key],
      );
      await pause(random() * 4); // let other transactions take ids meanwhile
      const messages = Array.from({ length: count }, (_, i) => repayment(topic, key, loan.sequence + i + 1));
      await manager.query(`UPDATE "${schema}".loans SET sequence = $2 WHERE key = $1`, [key, loan.sequence + count]);
      await enqueue(manager, { schema, source: SOURCE }, messages);
      await pause(random() * 15); // and commit later than they do
    });
    return count;
  }

  it('many concurrent transactions on a few loans are consumed per loan in commit order', async () => {
    const relay = () =>
      new OutboxRelay({ dataSource, bus, schema, logger: testLogger(), pollIntervalMs: 50, standbyRetryMs: 100 });
    const relays = [relay(), relay()];
    relays.forEach((r) => r.start());
    const loans = consumer({
      bus,
      dataSource,
      schema,
      topics: [topic],
      maxBatchSize: 13,
      handle: projectionHandler(schema),
    });
    await loans.start();

    try {
      await waitFor(
        'one leader',
        async () => relays.filter((r) => r.isLeader()).length,
        (n) => n === 1,
      );
      let seed = 42;
      const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647; // Park–Miller: same run every time
      let written = 0;
      let transactions = 0;
      const writer = async () => {
        for (let i = 0; i < TRANSACTIONS_PER_WRITER; i++) {
          const count = await writeEvents(random);
          written += count;
          transactions += 1;
        }
      };
      const writing = Promise.all(Array.from({ length: WRITERS }, writer));

      // Fail over half-way: the standby takes the lock and carries on where the leader stopped.
      await waitFor(
        'half the transactions',
        async () => transactions,
        (n) => n >= (WRITERS * TRANSACTIONS_PER_WRITER) / 2,
      );
      const leader = relays.find((r) => r.isLeader())!;
      await leader.stop();
      const standby = relays.find((r) => r !== leader)!;
      await waitFor('the standby to lead', async () => standby.isLeader(), Boolean);
      await writing;

      await waitFor(
        'the outbox to drain',
        async () => (await standby.stats()).backlog,
        (n) => n === 0,
        15_000,
      );
      await waitForNoLag(bus, loans.groupId, [topic]);

      const applied = await projection(dataSource, schema);
      expect(applied.count).toBe(written);
      expect(applied.distinctIds).toBe(written);
      const committed = await dataSource.query<{ key: string; sequence: number }[]>(
        `SELECT key, sequence FROM "${schema}".loans ORDER BY key`,
      );
      for (const { key, sequence } of committed) {
        const seen = applied.rows.filter((r) => r.key === key).map((r) => r.sequence);
        expect({ key, seen }).toEqual({ key, seen: Array.from({ length: sequence }, (_, i) => i + 1) });
      }
    } finally {
      await loans.stop();
      await Promise.all(relays.map((r) => r.stop()));
    }
  });
});
