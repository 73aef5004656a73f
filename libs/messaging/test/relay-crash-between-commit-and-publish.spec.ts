/**
 * Guarantees 1 and 2 across a relay crash: a committed state change is published even if the
 * relay dies at the worst moment, and the consumer applies it exactly once.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
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
  toFen,
  topicSize,
  waitFor,
  waitForNoLag,
} from './support/harness';

const repoRoot = join(__dirname, '../../..');

/** Runs the relay in a child process that SIGKILLs itself at `crash`; resolves with how it ended. */
function runRelayUntilItDies(
  schema: string,
  crash: 'after-ack' | 'before-send',
): Promise<NodeJS.Signals | number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'support/relay-child.ts')], {
      cwd: repoRoot,
      env: { ...process.env, RELAY_SCHEMA: schema, RELAY_CRASH: crash },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('relay child did not crash within 60 s'));
    }, 60_000);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal ?? code);
    });
  });
}

describe('relay killed between commit and publish', () => {
  // The fixture sets these up and tears them down around each test; the bodies read them as locals.
  const f = messagingFixture(3);
  let dataSource: DataSource;
  let bus: MessageBus;
  let schema: string;
  let topic: string;

  beforeEach(() => {
    ({ dataSource, bus, schema, topic } = f);
  });

  /** The state change and its event, one transaction. */
  async function repayLoan(key: string, principal: string): Promise<string> {
    return dataSource.transaction(async (manager) => {
      // An INSERT … RETURNING comes back as rows (an UPDATE would come back as [rows, count]).
      const [loan] = await manager.query<{ sequence: number }[]>(
        `INSERT INTO "${schema}".loans AS l (key, sequence, repaid) VALUES ($1, 1, $2)
         ON CONFLICT (key) DO UPDATE SET sequence = l.sequence + 1, repaid = l.repaid + $2
         RETURNING sequence`,
        [key, toFen(principal).toString()],
      );
      const [ceId] = await enqueue(manager, { schema, source: SOURCE }, [
        repayment(topic, key, loan.sequence, principal),
      ]);
      return ceId;
    });
  }

  const unpublished = async () =>
    (
      await dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "${schema}".outbox WHERE published_at IS NULL`,
      )
    )[0].n;

  it.each([
    ['after the broker acknowledged, before marking the row published', 'after-ack' as const, 1],
    ['after reading the row, before sending it', 'before-send' as const, 0],
  ])(
    '%s: the event is published by the next relay and applied exactly once',
    async (_moment, crash, onTopicAfterCrash) => {
      const ceId = await repayLoan('bank-zhangzhou:ZZ-2024-0042', '250000.00');

      const ended = await runRelayUntilItDies(schema, crash);
      expect(ended).toBe('SIGKILL');
      expect(await unpublished()).toBe(1);
      expect(await topicSize(bus, topic)).toBe(onTopicAfterCrash);

      // The projection consumes whatever made it to the topic before the crash…
      const loans = consumer({ bus, dataSource, schema, topics: [topic], handle: projectionHandler(schema) });
      await loans.start();
      const relay = new OutboxRelay({
        dataSource,
        bus,
        schema,
        logger: testLogger(),
        pollIntervalMs: 50,
        standbyRetryMs: 100,
      });
      try {
        await waitFor(
          'the copy on the topic to be applied',
          async () => loans.stats().applied,
          (n) => n === onTopicAfterCrash,
        );
        // …then a new relay publishes the row again, since it was never marked.
        relay.start();
        await waitFor('the outbox to drain', unpublished, (n) => n === 0);
        expect(await topicSize(bus, topic)).toBe(onTopicAfterCrash + 1);
        expect((await relay.stats()).leader).toBe(true);
        await waitForNoLag(bus, loans.groupId, [topic]);
      } finally {
        await relay.stop();
        await loans.stop();
      }
      const applied = await projection(dataSource, schema);
      expect(applied.rows.map((r) => r.ce_id)).toEqual([ceId]);
      expect(applied.totalFen).toBe(25_000_000n);
      expect(loans.stats()).toMatchObject({ applied: 1, duplicates: onTopicAfterCrash, deadLettered: 0 });
    },
  );
});
