/**
 * The relay marks what the broker acknowledged in the statement of its next read (one database
 * round trip per round): every row still goes out once, and none is left unmarked at stop.
 */
import { enqueue, OutboxRelay } from '../src';
import { messagingFixture, repayment, SOURCE, testLogger, topicSize, waitFor } from './support/harness';

const ROWS = 23;

describe('relay rounds', () => {
  const f = messagingFixture(2);

  const unmarked = async (): Promise<number> =>
    (await f.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${f.schema}".outbox WHERE published_at IS NULL`))[0].n;

  it('sends each row once over many rounds and marks every row, the last round too', async () => {
    const { dataSource, bus, schema, topic } = f;
    // Five rows a round: the read after each round must leave out the rows it marks itself.
    const relay = new OutboxRelay({ dataSource, bus, schema, logger: testLogger(), batchSize: 5, pollIntervalMs: 50 });
    await dataSource.transaction((manager) =>
      enqueue(manager, { schema, source: SOURCE }, Array.from({ length: ROWS }, (_, i) => repayment(topic, `bank-a:L-${i % 4}`, i + 1))),
    );
    relay.start();
    try {
      await waitFor('every row on the topic', () => topicSize(bus, topic), (n) => n >= ROWS);
    } finally {
      await relay.stop();
    }
    expect(await unmarked()).toBe(0);
    // Nothing was sent twice, also not after the relay had nothing left to read for a while.
    expect(await topicSize(bus, topic)).toBe(ROWS);

    // Asked to stop right after the broker's ack: no next read marks that round, the way out does.
    let stopping: Promise<void> | undefined;
    const again: OutboxRelay = new OutboxRelay({
      dataSource, bus, schema, logger: testLogger(),
      testHooks: { afterAck: () => { stopping = again.stop(); } },
    });
    await dataSource.transaction((manager) => enqueue(manager, { schema, source: SOURCE }, [repayment(topic, 'bank-a:L-9', 1)]));
    again.start();
    await waitFor('the relay to stop after its ack', async () => stopping !== undefined, Boolean);
    await stopping;
    expect(await unmarked()).toBe(0);
    expect(await topicSize(bus, topic)).toBe(ROWS + 1);
  });
});
