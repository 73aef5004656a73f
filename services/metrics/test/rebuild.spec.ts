/**
 * Rebuildable (guarantee 4) through real Kafka: a generated dataset of all four topics is
 * published, folded by validating consumers running the service's handlers, then the projections
 * are dropped and rebuilt from offset 0 with `rebuildProjections` (what `npm run
 * metrics:rebuild` runs) and every figure is the same. A plain replay (offsets reset, inbox kept)
 * changes nothing either, and a rebuild refuses to start while a consumer is still running.
 */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { TOPIC_CATALOGUE, TOPICS } from '@ipfin/contracts';
import {
  consumerLag, createKafkaBus, encodeEvent, resetConsumerOffsets, ValidatingConsumer, type MessageBus, type MessagingLogger,
} from '@ipfin/messaging';
import { migratedTestSchema, type TestSchema } from '@ipfin/testing';
import { createDataSource } from '../src/database/data-source';
import type { ProjectionName } from '../src/projections';
import { projectionHandlers } from '../src/rebuild/handlers';
import { rebuildProjections, type ProjectionToRebuild } from '../src/rebuild/rebuild-projections';
import { generateDataset, type Envelope } from './support/dataset';
import { servicesOver, snapshot } from './support/harness';

const FAST = { sessionTimeoutMs: 6000, rebalanceTimeoutMs: 6000, heartbeatIntervalMs: 500, maxWaitTimeMs: 200, retryBackoffMs: 20, maxRetryBackoffMs: 200 } as const;
const NAMES: ProjectionName[] = ['loans', 'risk', 'patents', 'products'];
const quiet: MessagingLogger = { log: () => undefined, warn: (m) => process.stderr.write(`warn ${m}\n`), error: (m) => process.stderr.write(`error ${m}\n`) };

let db: TestSchema;
let bus: MessageBus;
let projections: ProjectionToRebuild[];
let data: Envelope[];
const suffix = randomBytes(4).toString('hex');

async function waitForNoLag(timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lags = await Promise.all(projections.map((p) => consumerLag(bus, p.groupId, p.topics)));
    if (lags.every((l) => l === 0)) return;
    if (Date.now() > deadline) throw new Error(`still lagging: ${lags.join(', ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function consumers(): ValidatingConsumer[] {
  return projections.map((p) => new ValidatingConsumer({
    ...FAST, bus, dataSource: db.dataSource, schema: db.schema, logger: quiet, groupId: p.groupId, topics: p.topics,
    handle: (events, manager, withCommit, ahead) => p.handler.handle(events, manager, withCommit, ahead),
    readAhead: p.handler.readAhead?.bind(p.handler),
  }));
}

async function runUntilCaughtUp(): Promise<void> {
  const running = consumers();
  try {
    for (const c of running) await c.start();
    await waitForNoLag();
  } finally {
    await Promise.all(running.map((c) => c.stop()));
  }
  expect(running.reduce((n, c) => n + c.stats().deadLettered, 0)).toBe(0);
}

beforeAll(async () => {
  db = await migratedTestSchema(createDataSource, 'metrics_rebuild');
  bus = createKafkaBus({ brokers: process.env.KAFKA_BROKERS!, clientId: `metrics-rebuild-test-${suffix}`, logger: quiet });
  const handlers = projectionHandlers(db.dataSource);
  projections = NAMES.map((name) => ({
    name,
    groupId: `metrics-test-${name}-${suffix}`,
    topics: [`metricstest.${name}.${suffix}`],
    handler: handlers[name],
  }));
  const admin = bus.admin();
  await admin.connect();
  try {
    await admin.createTopics(NAMES.flatMap((name) => {
      const partitions = TOPIC_CATALOGUE.find((t) => t.name === TOPICS[name])!.partitions;
      return [{ topic: `metricstest.${name}.${suffix}`, partitions }, { topic: `metricstest.${name}.${suffix}.dlq`, partitions: 1 }];
    }));
  } finally {
    await admin.disconnect();
  }
  data = generateDataset(777, 2).envelopes;
  const producer = bus.producer({ idempotent: true });
  await producer.connect();
  try {
    const records = data.map((e) => encodeEvent({
      topic: `metricstest.${e.topic}.${suffix}`, key: e.key,
      envelope: { id: e.id, type: e.type, source: `/ipfin/test-${e.topic}`, subject: e.key, time: e.time, specversion: '1.0', data: e.data },
    }));
    for (let i = 0; i < records.length; i += 500) await producer.send(records.slice(i, i + 500));
  } finally {
    await producer.disconnect();
  }
});

afterAll(async () => {
  const admin = bus?.admin();
  if (admin) {
    await admin.connect();
    try {
      await admin.deleteTopics(NAMES.flatMap((name) => [`metricstest.${name}.${suffix}`, `metricstest.${name}.${suffix}.dlq`]));
    } catch {
      // unique names: leaving them is harmless
    } finally {
      await admin.disconnect();
    }
  }
  await db?.drop();
});

describe('rebuilding the metrics projections from the topics', () => {
  let before: unknown;

  it('folds the published topics through the consumers', async () => {
    await runUntilCaughtUp();
    before = await snapshot(servicesOver(db.dataSource));
    const [{ n }] = await db.dataSource.query('select count(*)::int as n from inbox');
    expect(n).toBe(data.length);
  });

  it('a replay with the inbox kept changes no figure', async () => {
    for (const p of projections) await resetConsumerOffsets(bus, p.groupId, p.topics, 'earliest');
    await runUntilCaughtUp();
    expect(await snapshot(servicesOver(db.dataSource))).toEqual(before);
  });

  it('refuses to rebuild while a consumer group still has a running member after the wait, touching nothing', async () => {
    const [running] = consumers();
    await running.start();
    const admin = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: `probe-${suffix}`, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      for (let i = 0; i < 150; i++) {
        const [group] = (await admin.describeGroups([projections[0].groupId])).groups;
        if (group?.state === 'Stable') break;
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await admin.disconnect();
    }
    const lines: string[] = [];
    try {
      await expect(rebuildProjections({
        dataSource: db.dataSource, bus, schema: db.schema, projections, log: (line) => lines.push(line), logger: quiet, membersWaitMs: 1_000,
      })).rejects.toThrow(new RegExp(`still have members after 1 s: ${projections[0].groupId} \\(Stable, 1 member\\)`));
      expect(lines).toEqual([expect.stringMatching(/^rebuild: waiting for consumer groups to have no members: /)]);
    } finally {
      await running.stop();
    }
    expect(await snapshot(servicesOver(db.dataSource))).toEqual(before);
  });

  it('drops the projections and replays every topic from the beginning, ending with identical figures', async () => {
    const lines: string[] = [];
    const started = Date.now();
    const report = await rebuildProjections({
      dataSource: db.dataSource, bus, schema: db.schema, projections, logger: quiet, tuning: FAST, progressEveryMs: 500,
      log: (line) => lines.push(line),
    });
    process.stdout.write(`rebuilt ${report.events} events in ${Date.now() - started} ms\n${lines.join('\n')}\n`);
    expect(report.events).toBe(data.length);
    expect(Object.values(report.perProjection).every((p) => p.deadLettered === 0)).toBe(true);
    expect(lines).toContain('rebuild: projections emptied (21 tables)');
    expect(lines[lines.length - 1]).toMatch(/done, \d+ events folded/);
    expect(await snapshot(servicesOver(db.dataSource))).toEqual(before);
  });
});
