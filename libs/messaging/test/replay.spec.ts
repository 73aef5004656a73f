/**
 * `replayFromBeginning`, the loop of every projection rebuild (guarantee 4): what consumer groups
 * built is emptied and folded again from offset 0 into the same rows; a topic that lost its first
 * events is refused before anything changes; a failing `empty` keeps the inbox, so the groups —
 * reset already — only skip what they had applied.
 */
import { Kafka, logLevel } from 'kafkajs';
import { consumerLag, replayFromBeginning, type ReplayGroup } from '../src';
import {
  asRecord, consumer, createTopic, deleteTopics, FAST_GROUP, messagingFixture, produce, projection, projectionHandler, repayment, requireEnv,
  testLogger, toFen, unique, waitForNoLag,
} from './support/harness';

describe('replayFromBeginning', () => {
  const f = messagingFixture(2);
  const quiet = testLogger();


  /** Folds `topics` with a service-like consumer of `groupId` until it has caught up. */
  async function serviceFolds(groupId: string, topics: string[]): Promise<void> {
    const c = consumer({ bus: f.bus, dataSource: f.dataSource, schema: f.schema, topics, groupId, handle: projectionHandler(f.schema) });
    await c.start();
    try {
      await waitForNoLag(f.bus, groupId, topics);
    } finally {
      await c.stop();
    }
  }

  /** The projection as a set (its `position` order depends on how groups interleave), and the inbox. */
  async function state(): Promise<{ applied: string[]; totalFen: bigint; inbox: { consumer: string; n: number }[] }> {
    const p = await projection(f.dataSource, f.schema);
    const inbox = await f.dataSource.query<{ consumer: string; n: number }[]>(
      `select consumer, count(*)::int as n from "${f.schema}".inbox group by consumer order by consumer`,
    );
    return { applied: p.rows.map((r) => `${r.ce_id} ${r.key} ${r.sequence} ${r.principal_fen}`).sort(), totalFen: p.totalFen, inbox };
  }

  const groupsOf = (a: string, b: string, other: string): ReplayGroup[] => [
    { name: 'repayments', groupId: a, topics: [f.topic], handler: { handle: projectionHandler(f.schema) } },
    { name: 'others', groupId: b, topics: [other], handler: { handle: projectionHandler(f.schema) } },
  ];

  it('empties what two groups built and folds their topics again into the same rows, leaving both at the end', async () => {
    const other = await createTopic(f.bus, 1);
    try {
      const first = asRecord(repayment(f.topic, 'bank-a:L-1', 1, '1000.00'));
      await produce(f.bus, [
        first,
        ...Array.from({ length: 30 }, (_, i) => asRecord(repayment(f.topic, `bank-a:L-${(i % 5) + 2}`, Math.floor(i / 5) + 1, `${i + 1}.25`))),
        first, // a copy on the topic (a re-drive): skipped as a duplicate, in the service and in the replay
      ]);
      await produce(f.bus, Array.from({ length: 8 }, (_, i) => asRecord(repayment(other, `bank-b:O-${i}`, 1, '7.00'))));
      const [a, b] = [unique('group'), unique('group')];
      await serviceFolds(a, [f.topic]);
      await serviceFolds(b, [other]);
      const before = await state();
      expect(before.applied).toHaveLength(39);
      expect(before.inbox).toEqual([{ consumer: a, n: 31 }, { consumer: b, n: 8 }].sort((x, y) => x.consumer.localeCompare(y.consumer)));

      // Damage the projection: a row no event made, a row lost.
      await f.dataSource.query(`insert into "${f.schema}".applied (key, ce_id, sequence, principal_fen) values ('ghost', 'ghost', 1, 1)`);
      await f.dataSource.query(`delete from "${f.schema}".applied where position = (select min(position) from "${f.schema}".applied)`);
      expect(await state()).not.toEqual(before);

      const lines: string[] = [];
      let emptiedWithInbox: number | undefined;
      const report = await replayFromBeginning({
        dataSource: f.dataSource, bus: f.bus, schema: f.schema, groups: groupsOf(a, b, other), logger: quiet,
        tuning: FAST_GROUP, progressEveryMs: 50, log: (l) => lines.push(l),
        empty: async (manager) => {
          await manager.query(`truncate "${f.schema}".applied`);
          // Inside the transaction, before the inbox is forgotten.
          emptiedWithInbox = Number((await manager.query<{ n: number }[]>(`select count(*)::int as n from "${f.schema}".inbox`))[0].n);
        },
      });

      expect(await state()).toEqual(before);
      expect(emptiedWithInbox).toBe(39);
      expect(report.total).toBe(32 + 8);
      expect(report.groups).toEqual({
        repayments: { applied: 31, duplicates: 1, deadLettered: 0 },
        others: { applied: 8, duplicates: 0, deadLettered: 0 },
      });
      expect(before.totalFen).toBe(toFen('1000.00') + Array.from({ length: 30 }, (_, i) => toFen(`${i + 1}.25`)).reduce((x, y) => x + y, 0n) + 8n * toFen('7.00'));
      expect(await consumerLag(f.bus, a, [f.topic])).toBe(0);
      expect(await consumerLag(f.bus, b, [other])).toBe(0);
      expect(lines).toEqual(expect.arrayContaining([
        `rebuild: repayments: consumer group ${a} reset to the beginning of ${f.topic}`,
        `rebuild: others: consumer group ${b} reset to the beginning of ${other}`,
        `rebuild: repayments: 31 inbox entries of ${a} forgotten`,
        `rebuild: others: 8 inbox entries of ${b} forgotten`,
        `rebuild: replaying 40 events of ${f.topic}, ${other}`,
      ]));
    } finally {
      await deleteTopics(f.bus, [other]);
    }
  });

  it('refuses a topic that no longer starts at offset 0 before changing anything', async () => {
    const other = await createTopic(f.bus, 1);
    const kafka = new Kafka({ brokers: requireEnv('KAFKA_BROKERS').split(','), clientId: unique('gone'), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    try {
      await produce(f.bus, [asRecord(repayment(f.topic, 'bank-a:L-1', 1)), asRecord(repayment(f.topic, 'bank-a:L-1', 2))]);
      await produce(f.bus, [asRecord(repayment(other, 'bank-b:O-1', 1)), asRecord(repayment(other, 'bank-b:O-1', 2))]);
      const [a, b] = [unique('group'), unique('group')];
      await serviceFolds(a, [f.topic]);
      await serviceFolds(b, [other]);
      const before = await state();
      await admin.connect();
      await admin.fetchTopicMetadata({ topics: [other] }); // made by the bus's admin: this client loads it first
      // Retention at work on the second group's topic: its first event is deleted.
      for (let attempt = 1; ; attempt++) {
        try {
          await admin.deleteTopicRecords({ topic: other, partitions: [{ partition: 0, offset: '1' }] });
          break;
        } catch (error) {
          if (attempt === 10) throw error;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      let emptied = false;
      await expect(replayFromBeginning({
        dataSource: f.dataSource, bus: f.bus, schema: f.schema, groups: groupsOf(a, b, other), logger: quiet, tuning: FAST_GROUP,
        log: () => undefined, empty: async () => { emptied = true; },
      })).rejects.toThrow(`${other} partition 0 starts at offset 1, not 0: events before it are gone`);
      expect(emptied).toBe(false);
      expect(await state()).toEqual(before);
      // Neither group was reset: both still at the end.
      expect(await consumerLag(f.bus, a, [f.topic])).toBe(0);
      expect(await consumerLag(f.bus, b, [other])).toBe(0);
    } finally {
      await admin.disconnect();
      await deleteTopics(f.bus, [other]);
    }
  });

  it('keeps the inbox when `empty` fails: the reset groups then only skip what they had applied', async () => {
    await produce(f.bus, Array.from({ length: 12 }, (_, i) => asRecord(repayment(f.topic, `bank-a:L-${i % 3}`, Math.floor(i / 3) + 1, '3.00'))));
    const a = unique('group');
    await serviceFolds(a, [f.topic]);
    const before = await state();
    await expect(replayFromBeginning({
      dataSource: f.dataSource, bus: f.bus, schema: f.schema, logger: quiet, tuning: FAST_GROUP, log: () => undefined,
      groups: [{ name: 'repayments', groupId: a, topics: [f.topic], handler: { handle: projectionHandler(f.schema) } }],
      empty: async (manager) => {
        await manager.query(`truncate "${f.schema}".applied`);
        throw new Error('disk full');
      },
    })).rejects.toThrow('disk full');
    expect(await state()).toEqual(before);
    expect(await consumerLag(f.bus, a, [f.topic])).toBe(12);
    // The service started again re-reads the topic and changes nothing.
    await serviceFolds(a, [f.topic]);
    expect(await state()).toEqual(before);
  });
});
