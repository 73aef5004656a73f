/**
 * Rebuildable (events.md guarantee 4): the registry's pledge view, dropped and folded again from
 * the beginning of the loan topic with `rebuildPledgeView` (what `npm run
 * registry:rebuild-pledges` runs), is the same view — and nothing else changes.
 *
 * Real Kafka (a fresh topic with `ipfin.loans.v1`'s partitions), real PostgreSQL, the service's
 * consumer code behind a real validating consumer. A history of loans is published in rounds and
 * folded by the "service" between them, while owners list, transfer and license patents:
 * registrations (with trademarks, trademark-only, of a patent not listed yet), disbursements,
 * repayments, overdue and default, settlements, a reversed registration, a reversed settlement,
 * patents pledged by two loans, an orphan (dead-lettered) and a copy of an applied event.
 *
 * Compared before and after, every column: `pledge_loans`, `patent_pledges`, `pledge_view_state`
 * (but the `updated_at` bookkeeping of when a row was written), the `patents` rows whole (the
 * fold writes none: pledges are not stored with the patent), the outbox (nothing enqueued, so
 * nothing published again), the group's inbox rows, and what the API derives from the view: each
 * patent's detail (`pledge`, `available`) and the `available` search filter. The view is damaged
 * before the rebuild (rows missing, rows extra, a flag flipped, `all_loans_known` false as on an
 * upgraded registry), so each step of the reset is needed for the figures to match.
 */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { TOPIC_CATALOGUE, TOPICS } from '@ipfin/contracts';
import {
  consumerLag, createKafkaBus, encodeEvent, ValidatingConsumer, type ConsumedEvent, type ConsumerStats, type MessageBus, type MessagingLogger,
} from '@ipfin/messaging';
import { consumeUntilCaughtUp, migratedTestSchema, type TestSchema } from '@ipfin/testing';
import { createDataSource } from '../src/database/data-source';
import { rebuildPledgeView } from '../src/rebuild/rebuild-pledge-view';
import {
  invention, listing, loanDefaulted, loanDisbursed, loanOverdue, loanRegistered, loanSettled, minnan, opticsParty, repaymentReceived,
  reversal, servicesOn, testClock, vocational, type Services,
} from './support';

const FAST = { sessionTimeoutMs: 6000, rebalanceTimeoutMs: 6000, heartbeatIntervalMs: 500, maxWaitTimeMs: 200, retryBackoffMs: 20, maxRetryBackoffMs: 200 } as const;
const quiet: MessagingLogger = { log: () => undefined, warn: () => undefined, error: (m) => process.stderr.write(`error ${m}\n`) };
const suffix = randomBytes(4).toString('hex');
const topic = `registrytest.loans.${suffix}`;
const groupId = `registry-test-pledges-${suffix}`;
const PARTITIONS = TOPIC_CATALOGUE.find((t) => t.name === TOPICS.loans)!.partitions;

const [P1, P2, P3, P4, P5, P6] = [5101, 5102, 5103, 5104, 5105, 5106].map((n) => invention(n));
const LISTED = [P1, P2, P3, P4, P5];

// The loans (bank, loanRef): pledging patents, trademark-only, and one never registered.
const L1 = loanRegistered('bank-icbc-zz', 'RB-1', [`ZL${P1}`, P2], { trademarks: ['43210011'], on: '2024-02-01' });
const L2 = loanRegistered('bank-boc-zz', 'RB-2', [P2, P3], { on: '2024-02-10' });
const L3 = loanRegistered('bank-zz-rural', 'RB-3', [P4], { on: '2024-02-12' });
const L4 = loanRegistered('bank-cib-zz', 'RB-4', [P5], { on: '2024-02-20' });
const L7 = loanRegistered('bank-boc-zz', 'RB-7', [P6], { on: '2024-03-01' });
const TM1 = loanRegistered('bank-zz-rural', 'RB-TM1', [], { trademarks: ['43210012'], on: '2024-03-02' });
const TM2 = loanRegistered('bank-icbc-zz', 'RB-TM2', [], { trademarks: ['43210013'], on: '2024-03-03' });
const L8 = loanRegistered('bank-cib-zz', 'RB-8', [P3, P1], { on: '2024-06-01' });
const L4settled = loanSettled('bank-cib-zz', 'RB-4', '2024-07-01');
const GHOST = loanSettled('bank-xm-intl', 'RB-GHOST', '2024-07-02');

const ROUNDS: ConsumedEvent[][] = [
  [L1, L2, L3, L4, L7, TM1, TM2, loanDisbursed('bank-icbc-zz', 'RB-1'), loanDisbursed('bank-boc-zz', 'RB-2'), loanDisbursed('bank-zz-rural', 'RB-TM1')],
  [
    repaymentReceived('bank-icbc-zz', 'RB-1'), loanSettled('bank-icbc-zz', 'RB-1', '2024-05-30'), reversal(L3, '2024-04-01'), L4settled,
    loanSettled('bank-zz-rural', 'RB-TM1', '2024-06-30'), L8, GHOST,
  ],
  [reversal(L4settled, '2024-07-15'), loanOverdue('bank-boc-zz', 'RB-2'), loanDefaulted('bank-boc-zz', 'RB-2'), L2 /* a copy of an applied event */],
];
const EVENTS = ROUNDS.flat();

let db: TestSchema;
let bus: MessageBus;
let services: Services;
const clock = testClock();

async function publish(events: readonly ConsumedEvent[], to = topic): Promise<void> {
  const producer = bus.producer({ idempotent: true });
  await producer.connect();
  try {
    await producer.send(events.map((e) => encodeEvent({ topic: to, key: e.key!, envelope: e.envelope })));
  } finally {
    await producer.disconnect();
  }
}

function serviceConsumer(): ValidatingConsumer {
  return new ValidatingConsumer({
    ...FAST, bus, dataSource: db.dataSource, schema: db.schema, logger: quiet, groupId, topics: [topic],
    handle: (events, manager) => services.consumer.handle(events, manager),
  });
}

/** The registry's loan consumer, run until it has caught up with the topic, then stopped. */
async function serviceFoldsTheTopic(): Promise<ConsumerStats> {
  return consumeUntilCaughtUp(bus, serviceConsumer(), [topic]);
}

/** Every column of `table` but `exclude`, every row, in `orderBy` order. */
async function rows(table: string, orderBy: string, exclude: readonly string[] = []): Promise<Record<string, unknown>[]> {
  const columns = (await db.dataSource.query<{ name: string }[]>(
    'select column_name as name from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position',
    [db.schema, table],
  )).map((c) => c.name).filter((c) => !exclude.includes(c));
  expect(columns.length).toBeGreaterThan(0);
  return db.dataSource.query(`select ${columns.map((c) => `"${c}"`).join(', ')} from "${db.schema}".${table} order by ${orderBy}`);
}

const search = async (available: 'true' | 'false'): Promise<string[]> =>
  (await services.queries.search({ available, limit: '500' })).items.map((i) => i.number).sort();

/** The view, the state derived from it, and what the rebuild must leave alone. */
async function snapshot() {
  return {
    pledgeLoans: await rows('pledge_loans', 'bank, loan_ref', ['updated_at']),
    patentPledges: await rows('patent_pledges', 'number, bank, loan_ref'),
    viewState: await rows('pledge_view_state', 'singleton', ['updated_at']),
    patents: await rows('patents', 'number'),
    outbox: await rows('outbox', 'id'),
    idempotencyKeys: await rows('idempotency_keys', '1'),
    inbox: (await rows('inbox', 'consumer, ce_id', ['applied_at'])),
    details: await Promise.all(LISTED.map((n) => services.queries.get(n))),
    available: await search('true'),
    unavailable: await search('false'),
  };
}

const pledgesByPatent = async (): Promise<Record<string, string[]>> => {
  const out: Record<string, string[]> = {};
  for (const r of await db.dataSource.query<{ number: string; bank: string; loan_ref: string }[]>('select * from patent_pledges order by number, bank, loan_ref')) {
    (out[r.number] ??= []).push(`${r.bank}:${r.loan_ref}`);
  }
  return out;
};

beforeAll(async () => {
  db = await migratedTestSchema(createDataSource, 'patents_rebuild');
  services = servicesOn(db.dataSource, db.schema, clock);
  bus = createKafkaBus({ brokers: process.env.KAFKA_BROKERS!, clientId: `registry-rebuild-test-${suffix}`, logger: quiet });
  const admin = bus.admin();
  await admin.connect();
  try {
    await admin.createTopics([{ topic, partitions: PARTITIONS }, { topic: `${topic}.dlq`, partitions: 1 }]);
  } finally {
    await admin.disconnect();
  }
});

afterAll(async () => {
  const admin = bus?.admin();
  if (admin) {
    await admin.connect();
    try {
      await admin.deleteTopics([topic, `${topic}.dlq`, `${topic}.gone`]);
    } catch {
      // unique names: leaving them is harmless
    } finally {
      await admin.disconnect();
    }
  }
  await db?.drop();
});

describe('rebuilding the pledge view from the loan topic', () => {
  let before: Awaited<ReturnType<typeof snapshot>>;

  it('the service folds a history of loans while owners list, transfer and license', async () => {
    await services.listings.post(minnan, LISTED.slice(0, 3).map((n, i) => listing(n, `一种储能电池的热管理方法 ${i}`)));
    await services.listings.post(vocational, LISTED.slice(3).map((n, i) => listing(n, `茶叶揉捻机 ${i}`)));
    await publish(ROUNDS[0]);
    let stats = await serviceFoldsTheTopic();
    // Pledged: a transfer with the pledgee's consent (owned state moves, an outbox row).
    await services.commands.transfer(minnan, P2, { assignee: opticsParty, price: '300000.00', contractDate: '2024-03-10', pledgeeConsent: true });
    await publish(ROUNDS[1]);
    stats = sumStats(stats, await serviceFoldsTheTopic());
    // Released by the reversed registration: licensed without consent.
    await services.commands.recordLicence(vocational, P4, {
      licensee: opticsParty, kind: 'ordinary', royalty: '80000.00', contractDate: '2024-06-01', startsOn: '2024-06-15', endsOn: '2026-06-14',
    } as never);
    await publish(ROUNDS[2]);
    stats = sumStats(stats, await serviceFoldsTheTopic());

    expect(stats).toMatchObject({ applied: EVENTS.length - 2, duplicates: 1, deadLettered: 1 });
    expect(await pledgesByPatent()).toEqual({
      [P1]: ['bank-cib-zz:RB-8'],
      [P2]: ['bank-boc-zz:RB-2'],
      [P3]: ['bank-boc-zz:RB-2', 'bank-cib-zz:RB-8'],
      [P5]: ['bank-cib-zz:RB-4'],
      [P6]: ['bank-boc-zz:RB-7'],
    });
    expect(await db.dataSource.query('select loan_ref, patents, settled from pledge_loans order by loan_ref')).toEqual([
      { loan_ref: 'RB-1', patents: [P1, P2], settled: true },
      { loan_ref: 'RB-2', patents: [P2, P3], settled: false },
      { loan_ref: 'RB-4', patents: [P5], settled: false },
      { loan_ref: 'RB-7', patents: [P6], settled: false },
      { loan_ref: 'RB-8', patents: [P1, P3].sort(), settled: false },
      { loan_ref: 'RB-TM1', patents: [], settled: true },
      { loan_ref: 'RB-TM2', patents: [], settled: false },
    ]);
    before = await snapshot();
    expect(before.available).toEqual([P4]);
    expect(before.outbox).toHaveLength(LISTED.length + 2);
    expect(before.details.find((d) => d.number === P3)).toMatchObject({ pledge: { pledged: true, pledgees: ['bank-boc-zz', 'bank-cib-zz'] }, available: false });
  });

  it('refuses while the consumer group still has a member, changing nothing', async () => {
    const running = serviceConsumer();
    await running.start();
    try {
      const admin = bus.admin();
      await admin.connect();
      try {
        for (let i = 0; i < 150 && (await admin.describeGroup(groupId)).state !== 'Stable'; i++) await new Promise((r) => setTimeout(r, 100));
      } finally {
        await admin.disconnect();
      }
      const lines: string[] = [];
      await expect(rebuildPledgeView({
        dataSource: db.dataSource, bus, schema: db.schema, topic, groupId, logger: quiet, membersWaitMs: 1_000, log: (l) => lines.push(l),
      })).rejects.toThrow(new RegExp(`still have members after 1 s: ${groupId} \\(Stable, 1 member\\)`));
      expect(lines).toEqual([expect.stringMatching(/^rebuild: waiting for consumer groups to have no members: /)]);
    } finally {
      await running.stop();
    }
    expect(await snapshot()).toEqual(before);
    expect(await consumerLag(bus, groupId, [topic])).toBe(0);
  });

  it('refuses a topic that no longer starts at offset 0, changing nothing', async () => {
    const gone = `${topic}.gone`;
    const kafka = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: `gone-${suffix}`, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: gone, numPartitions: 1 }], waitForLeaders: true });
      await publish([loanRegistered('bank-icbc-zz', 'GONE-1', [P4]), loanSettled('bank-icbc-zz', 'GONE-1')], gone);
      // Retention at work: the first event is deleted. (A partition just created may not take it at once.)
      for (let attempt = 1; ; attempt++) {
        try {
          await admin.deleteTopicRecords({ topic: gone, partitions: [{ partition: 0, offset: '1' }] });
          break;
        } catch (error) {
          if (attempt === 10) throw error;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      expect(await admin.fetchTopicOffsets(gone)).toEqual([expect.objectContaining({ partition: 0, low: '1', high: '2' })]);
    } finally {
      await admin.disconnect();
    }
    await expect(rebuildPledgeView({
      dataSource: db.dataSource, bus, schema: db.schema, topic: gone, groupId: `${groupId}-gone`, logger: quiet, log: () => undefined,
    })).rejects.toThrow(`${gone} partition 0 starts at offset 1, not 0: events before it are gone`);
    expect(await snapshot()).toEqual(before);
  });

  it('empties the (damaged) view, replays the topic from the beginning and ends with the same view, publishing nothing', async () => {
    // Damage: a pledge and a loan that no event made, a pledge missing, a settled flag flipped,
    // and all_loans_known false as on a registry upgraded with loans folded before it existed.
    await db.dataSource.transaction(async (m) => {
      await m.query(`insert into patent_pledges (number, bank, loan_ref) values ($1, 'bank-ghost', 'X-1')`, [P4]);
      await m.query(`insert into pledge_loans (bank, loan_ref, patents, settled) values ('bank-ghost', 'X-2', '{}', false)`);
      await m.query('delete from patent_pledges where number = $1', [P6]);
      await m.query(`update pledge_loans set settled = not settled where loan_ref = 'RB-2'`);
      await m.query('update pledge_view_state set all_loans_known = false');
    });
    expect(await snapshot()).not.toEqual(before);

    const lines: string[] = [];
    const report = await rebuildPledgeView({
      dataSource: db.dataSource, bus, schema: db.schema, topic, groupId, logger: quiet, tuning: FAST, progressEveryMs: 100,
      log: (l) => lines.push(l),
    });
    process.stdout.write(`${lines.join('\n')}\n`);

    const after = await snapshot();
    expect(after.pledgeLoans).toEqual(before.pledgeLoans);
    expect(after.patentPledges).toEqual(before.patentPledges);
    expect(after.viewState).toEqual([{ singleton: true, all_loans_known: true }]);
    expect(after.outbox).toEqual(before.outbox);
    expect(after.patents).toEqual(before.patents);
    expect(after).toEqual(before);
    expect(report).toMatchObject({ applied: EVENTS.length - 2, duplicates: 1, deadLettered: 1, loans: 7, pledges: 6 });
    expect(lines).toContain(`rebuild: pledge view: consumer group ${groupId} reset to the beginning of ${topic}`);
    expect(lines).toContain('rebuild: pledge view emptied (8 loans, 6 pledges), all_loans_known set to true');
    expect(lines).toContain(`rebuild: pledge view: ${EVENTS.length - 2} inbox entries of ${groupId} forgotten`);
    expect(lines).toContain(`rebuild: replaying ${EVENTS.length} events of ${topic}`);
    expect(lines[lines.length - 1]).toMatch(new RegExp(`^rebuild: done, ${EVENTS.length - 2} events folded \\(1 duplicates skipped, 1 dead-lettered\\) .*: 7 loans, 6 pledges; ${groupId} is at the end of ${topic}$`));

    expect(await consumerLag(bus, groupId, [topic])).toBe(0);
  });

  it('leaves the group at the end of the topic: the service goes on with new events only', async () => {
    await publish([loanSettled('bank-boc-zz', 'RB-2', '2024-09-20')]);
    expect(await serviceFoldsTheTopic()).toMatchObject({ applied: 1, duplicates: 0, deadLettered: 0 });
    expect(await pledgesByPatent()).toEqual({
      [P1]: ['bank-cib-zz:RB-8'],
      [P3]: ['bank-cib-zz:RB-8'],
      [P5]: ['bank-cib-zz:RB-4'],
      [P6]: ['bank-boc-zz:RB-7'],
    });
  });
});

function sumStats(a: ConsumerStats, b: ConsumerStats): ConsumerStats {
  return { applied: a.applied + b.applied, duplicates: a.duplicates + b.duplicates, deadLettered: a.deadLettered + b.deadLettered, lastAppliedAt: b.lastAppliedAt };
}
