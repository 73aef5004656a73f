/**
 * Rebuildable (events.md guarantee 4) for the fund's coverage view, through real Kafka and
 * PostgreSQL: a history is built through the service's own code — loan events on a fresh
 * three-partition topic folded by a validating consumer running `LoanEventsConsumer`, policies set
 * and changed through `PolicyService`, claims filed, approved, paid and withdrawn through the claims
 * and funds services — then `covered_loans` is dropped and rebuilt with `rebuildCoverage` (what
 * `npm run risk:rebuild-coverage` runs):
 *
 * - every column of every row comes back the same (`updated_at` excepted: the rows are rewritten),
 *   also for the loans whose approved or paid claim kept a later policy change away (today's
 *   policies would refuse them), for a loan that fell to a fund's first version though registered
 *   before its period, and when the view was emptied beforehand;
 * - nothing is published (outbox, DLQ), claims, funds, ledger, recoveries and policies are
 *   unchanged, the inbox holds the same events and the group's offsets have not moved;
 * - events published while the service was stopped are left to the service, which then folds them
 *   with their effects and nothing else;
 * - the rebuild refuses, changing nothing, while the service's consumer is still a member; a dry run
 *   reports the difference and changes nothing.
 */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { fixedClock } from '@ipfin/kernel';
import {
  createKafkaBus, encodeEvent, ValidatingConsumer, type ConsumedEvent, type ConsumerStats, type MessageBus,
  type MessagingLogger,
} from '@ipfin/messaging';
import { consumeUntilCaughtUp } from '@ipfin/testing';
import type { DataSource } from 'typeorm';
import { ZHANGZHOU_POLICY_INPUT } from '../src/funds/domain/fund-policy.seeds';
import { rebuildCoverage, type CoverageRebuildOptions, type CoverageRebuildReport } from '../src/rebuild/rebuild-coverage';
import {
  bankOf, defaulted, defaultedLoan, disbursed, envelope, fundOf, outboxRows, registered, repaid, reversed, riskSchema, riskServices,
  settled, smeBorrower, ZHANGZHOU, type LoanEvent, type LoanRef, type RiskServices,
} from './support/risk-kit';

const FAST = { sessionTimeoutMs: 6000, rebalanceTimeoutMs: 6000, heartbeatIntervalMs: 500, maxWaitTimeMs: 200 } as const;
const quiet: MessagingLogger = {
  log: () => undefined,
  warn: (m) => (process.env.RISKTEST_VERBOSE ? process.stderr.write(`warn ${m}\n`) : undefined),
  error: (m) => (process.env.RISKTEST_VERBOSE ? process.stderr.write(`error ${m}\n`) : undefined),
};
const clock = fixedClock('2025-06-10T03:00:00Z');
const suffix = randomBytes(4).toString('hex');
const topic = `risktest.loans.${suffix}`;
const group = `risk-rebuild-test-${suffix}`;

let db: Awaited<ReturnType<typeof riskSchema>>;
let svc: RiskServices;
let bus: MessageBus;

const ref = (bank: string, loanRef: string): LoanRef => ({ bank, loanRef });
const A = ref('bank-icbc-zz', 'RB-A'); // claim approved, then paid
const B = ref('bank-boc-zz', 'RB-B'); // claim approved, waiting; its second default reversed
const C = ref('bank-icbc-zz', 'RB-C'); // covered until its bank leaves the fund
const D = ref('bank-icbc-zz', 'RB-D'); // claim approved, then withdrawn by a default reversal
const E = ref('bank-hxb-zz', 'RB-E'); // bank not cooperating
const F = ref('bank-icbc-zz', 'RB-F'); // large borrower
const G = ref('bank-icbc-zz', 'RB-G'); // borrower in Beijing: outside every fund's region
const H = ref('bank-ccb-zz', 'RB-H'); // registration reversed
const I = ref('bank-ccb-zz', 'RB-I'); // repaid and settled
const W = ref('bank-whccb', 'RB-W'); // Weihai, before its fund had a policy
const Q = ref('bank-qz-1', 'RB-Q'); // Quanzhou, before its fund had a policy
const OLD = ref('bank-icbc-zz', 'RB-OLD'); // Zhangzhou, registered before the fund's period, before the seed
const NEW = ref('bank-ccb-zz', 'RB-NEW'); // registered while the service is stopped

const aLoan = defaultedLoan(A, 11, '400000.00');
const dLoan = defaultedLoan(D, 14, '100000.00');
const bSecondDefault = defaulted(B, 'RB-B-def2', '2025-05-25', '50000.00');
const hRegistration = registered(H, { serial: 18 });

async function publish(events: readonly LoanEvent[] | readonly ConsumedEvent[]): Promise<void> {
  const consumed = events.map((e) => ('envelope' in e ? e : envelope(e)));
  const producer = bus.producer({ idempotent: true });
  await producer.connect();
  try {
    await producer.send(consumed.map((e) => encodeEvent({ topic, key: e.key!, envelope: e.envelope })));
  } finally {
    await producer.disconnect();
  }
}

function serviceConsumer(): ValidatingConsumer {
  return new ValidatingConsumer({
    ...FAST, retryBackoffMs: 20, maxRetryBackoffMs: 100, maxRetries: 1, bus, dataSource: db.dataSource, schema: db.schema, logger: quiet,
    groupId: group, topics: [topic], handle: (events, manager) => svc.consumer.handle(events, manager),
  });
}

/** The service's consumer, run until its group has consumed the whole topic, then stopped. */
async function runService(): Promise<ConsumerStats> {
  return consumeUntilCaughtUp(bus, serviceConsumer(), [topic]);
}

const rebuild = (extra: Partial<CoverageRebuildOptions> = {}, lines: string[] = []): Promise<CoverageRebuildReport> =>
  rebuildCoverage({
    dataSource: db.dataSource, bus, schema: db.schema, topic, groupId: group, tuning: FAST, progressEveryMs: 200,
    membersWaitMs: 10_000, log: (line) => lines.push(line), ...extra,
  });

/** Every column of the view but `updated_at`, row by row. */
const coverageRows = (ds: DataSource): Promise<Record<string, unknown>[]> =>
  ds.query(`select bank, loan_ref, fund_region, covered, policy_version::text, borrower_region, registered_on::text, status, view
              from covered_loans order by bank, loan_ref`);

/** Everything else the service keeps: owned state, the outbox, the inbox, what Kafka holds for the group. */
async function everythingElse(ds: DataSource): Promise<Record<string, unknown>> {
  const admin = bus.admin();
  await admin.connect();
  try {
    return {
      claims: await ds.query('select * from claims order by seq'),
      funds: await ds.query('select * from funds order by region'),
      ledgerEntries: await ds.query('select * from ledger_entries order by entry_id'),
      ledgerLines: await ds.query('select * from ledger_lines order by entry_id, line_no'),
      recoveries: await ds.query('select * from recoveries order by id'),
      policies: await ds.query('select * from fund_policies order by region, effective_from'),
      outbox: await ds.query('select * from outbox order by id'),
      inbox: await ds.query('select consumer, ce_id, topic, partition, "offset"::text from inbox order by topic, partition, "offset", ce_id'),
      dlq: await admin.topicWatermarks(`${topic}.dlq`),
      offsets: await admin.groupOffsets(group, [topic]),
    };
  } finally {
    await admin.disconnect();
  }
}

const rowOf = (rows: Record<string, unknown>[], loan: LoanRef): Record<string, unknown> | undefined =>
  rows.find((r) => r.bank === loan.bank && r.loan_ref === loan.loanRef);

beforeAll(async () => {
  db = await riskSchema('risk_rebuild');
  svc = riskServices(db.dataSource, db.schema, clock);
  bus = createKafkaBus({ brokers: process.env.KAFKA_BROKERS!, clientId: `risk-rebuild-test-${suffix}`, logger: quiet });
  const admin = bus.admin();
  await admin.connect();
  try {
    await admin.createTopics([{ topic, partitions: 3 }, { topic: `${topic}.dlq`, partitions: 1 }]);
  } finally {
    await admin.disconnect();
  }
});

afterAll(async () => {
  const admin = bus?.admin();
  if (admin) {
    await admin.connect();
    try {
      await admin.deleteTopics([topic, `${topic}.dlq`]);
    } catch {
      // unique names: leaving them is harmless
    } finally {
      await admin.disconnect();
    }
  }
  await db?.drop();
});

describe('rebuilding the coverage view from ipfin.loans.v1', () => {
  let view: Record<string, unknown>[];
  let rest: Record<string, unknown>;
  let consumed = 0;

  it('builds a history through the service: regions, defaults, reversals, claims paid, waiting and withdrawn, policy changes', async () => {
    // Before any fund has a policy: an old Zhangzhou loan, a Quanzhou loan, and an orphan event.
    await publish([
      registered(OLD, { serial: 10, occurredOn: '2023-05-10' }),
      registered(Q, { borrower: smeBorrower(20, '350502') }),
      disbursed(ref('bank-icbc-zz', 'RB-GHOST'), 'RB-GHOST-d1', '2024-03-05', '1000.00'),
    ]);
    expect(await runService()).toMatchObject({ applied: 2, deadLettered: 1 });
    expect(rowOf(await coverageRows(db.dataSource), OLD)).toMatchObject({ fund_region: null, covered: false });
    // Zhangzhou's first version: the old loan, registered before its period, now belongs to it (no-policy).
    await svc.policies.seed();
    expect(rowOf(await coverageRows(db.dataSource), OLD)).toMatchObject({ fund_region: ZHANGZHOU, covered: false, policy_version: null });

    await publish([
      ...aLoan,
      registered(B, { borrower: smeBorrower(12, '350603') }), disbursed(B, 'RB-B-d1', '2024-03-05', '1000000.00'),
      defaulted(B, 'RB-B-def', '2025-05-20', '200000.00'), bSecondDefault,
      registered(C, { borrower: smeBorrower(13, '350681') }), disbursed(C, 'RB-C-d1', '2024-03-05', '1000000.00'),
      ...dLoan,
      registered(E, { serial: 15 }),
      registered(F, { borrower: smeBorrower(16, '350602', 'large') }),
      registered(G, { borrower: smeBorrower(17, '110105') }),
      hRegistration, reversed(hRegistration, 'RB-H-rev', '2024-03-02'),
      registered(I, { serial: 19 }), disbursed(I, 'RB-I-d1', '2024-03-05', '1000000.00'),
      repaid(I, 'RB-I-r1', '2024-09-05', '1000000.00', '19250.00'), settled(I, 'RB-I-s', '2024-09-05'),
      registered(W, { borrower: smeBorrower(21, '371002'), occurredOn: '2024-06-01' }),
    ]);
    await runService();
    await svc.policies.put(fundOf('371002'), '371002', {
      fundSharePercent: 60, effectiveFrom: '2024-02-20', effectiveTo: '2025-02-19', cooperatingBanks: ['bank-whccb'],
      borrowerSizes: ['micro', 'small', 'medium'], perLoanCap: '1000000.00', claimWindowDays: 10, claimWindowUnit: 'working',
    });
    await svc.policies.put(fundOf('350500'), '350500', { fundSharePercent: 50, effectiveFrom: '2024-01-01', cooperatingBanks: ['bank-qz-1'], borrowerSizes: ['micro', 'small'] });

    // Claims: A, B and D approved on an empty fund; capital for A's share pays A.
    const claimOn = async (loan: LoanRef, principalLoss: string) => {
      const filed = await svc.claims.file(bankOf(loan.bank), { loanRef: loan.loanRef, principalLoss, defaultedOn: '2025-05-20' });
      return svc.claims.approve(fundOf(ZHANGZHOU), filed.id);
    };
    expect(await claimOn(A, '400000.00')).toMatchObject({ status: 'waiting', fundShare: '320000.00' });
    expect(await claimOn(B, '200000.00')).toMatchObject({ status: 'waiting' });
    const dClaim = await claimOn(D, '100000.00');
    await svc.funds.contribute(fundOf(ZHANGZHOU), ZHANGZHOU, { amount: '320000.00', receivedOn: '2025-06-09' });

    // D's default reversed: its waiting claim is withdrawn. B's second default reversed: B's claim stands.
    await publish([
      reversed(dLoan[2], 'RB-D-rev', '2025-06-09'),
      reversed(bSecondDefault, 'RB-B-def2-rev', '2025-06-09'),
      repaid(C, 'RB-C-r1', '2024-09-05', '100000.00', '19250.00'),
    ]);
    await runService();
    const claims: { loan_ref: string; status: string; rejection_reason: string | null }[] =
      await db.dataSource.query('select loan_ref, status, rejection_reason from claims order by seq');
    expect(claims.map((c) => [c.loan_ref, c.status])).toEqual([['RB-A', 'paid'], ['RB-B', 'waiting'], ['RB-D', 'rejected']]);
    expect((await outboxRows(db.dataSource, 'ClaimRejected')).map((e) => e.payload.claimId)).toEqual([dClaim.id]);

    // The banks of A, B, C, D leave Zhangzhou's fund: every loan of theirs is judged again, except A and
    // B, whose claim fixed their terms.
    await svc.policies.put(fundOf(ZHANGZHOU), ZHANGZHOU, {
      effectiveFrom: ZHANGZHOU_POLICY_INPUT.effectiveFrom, effectiveTo: ZHANGZHOU_POLICY_INPUT.effectiveTo, fundSharePercent: 80,
      borrowerSizes: ['micro', 'small', 'medium'],
      cooperatingBanks: ZHANGZHOU_POLICY_INPUT.cooperatingBanks.filter((b) => b !== 'bank-icbc-zz' && b !== 'bank-boc-zz'),
    });

    view = await coverageRows(db.dataSource);
    rest = await everythingElse(db.dataSource);
    consumed = (rest.inbox as unknown[]).length + 1; // the orphan was dead-lettered, not recorded
    const judged = (loan: LoanRef) => {
      const row = rowOf(view, loan) as { fund_region: string | null; covered: boolean; policy_version: string | null; view: { reasons: { rule: string }[] } };
      return [row.fund_region, row.covered, row.policy_version, row.view.reasons.map((r) => r.rule)];
    };
    expect(judged(A)).toEqual([ZHANGZHOU, true, '2024-02-02', []]); // today's policy would refuse bank-icbc-zz
    expect(judged(B)).toEqual([ZHANGZHOU, true, '2024-02-02', []]); // and bank-boc-zz
    expect(judged(C)).toEqual([ZHANGZHOU, false, '2024-02-02', ['bank-not-cooperating']]);
    expect(judged(D)).toEqual([ZHANGZHOU, false, '2024-02-02', ['bank-not-cooperating']]);
    expect(judged(E)).toEqual([ZHANGZHOU, false, '2024-02-02', ['bank-not-cooperating']]);
    expect(judged(F)).toEqual([ZHANGZHOU, false, '2024-02-02', ['bank-not-cooperating', 'borrower-size']]);
    expect(judged(G)).toEqual([null, false, null, ['no-policy']]);
    expect(judged(W)).toEqual(['371002', true, '2024-02-20', []]);
    expect(judged(Q)).toEqual(['350500', true, '2024-01-01', []]);
    expect(judged(OLD)).toEqual([ZHANGZHOU, false, null, ['no-policy']]);
    expect(rowOf(view, H)).toBeUndefined();
    expect(rowOf(view, I)).toMatchObject({ status: 'settled' });
    expect(rowOf(view, B)).toMatchObject({ status: 'defaulted', view: expect.objectContaining({ reportedLoss: '200000.00', reversals: ['RB-B-def2-rev'] }) });
  });

  it('refuses while the service consumer is still a member of its group, changing nothing', async () => {
    const running = serviceConsumer();
    await running.start();
    const probe = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: `probe-${suffix}`, logLevel: logLevel.NOTHING }).admin();
    await probe.connect();
    try {
      for (let i = 0; i < 150; i++) {
        const [described] = (await probe.describeGroups([group])).groups;
        if (described?.state === 'Stable') break;
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await probe.disconnect();
    }
    const lines: string[] = [];
    try {
      await expect(rebuild({ membersWaitMs: 1_000 }, lines)).rejects.toThrow(
        new RegExp(`consumer groups still have members after 1 s: ${group} \\(Stable, 1 member\\) — stop every replica`),
      );
      expect(lines).toEqual([expect.stringMatching(/^rebuild: waiting for consumer groups to have no members: /)]);
    } finally {
      await running.stop();
    }
    expect(await coverageRows(db.dataSource)).toEqual(view);
    expect(await everythingElse(db.dataSource)).toEqual(rest);
  });

  it('drops the view and folds the topic up to where the service stopped: every row the same, nothing published, no owned state touched', async () => {
    // Published while the service is stopped: the service's to fold, with their effects.
    await publish([registered(NEW, { serial: 22 }), disbursed(E, 'RB-E-d1', '2024-03-05', '500000.00')]);
    const [{ now }] = await db.dataSource.query<{ now: Date }[]>('select clock_timestamp() as now');
    const lines: string[] = [];
    const report = await rebuild({}, lines);
    process.stdout.write(`${lines.join('\n')}\n`);

    expect(await coverageRows(db.dataSource)).toEqual(view);
    expect(report).toMatchObject({
      committed: true, events: consumed, folded: consumed - 1, duplicates: 0, skipped: { invalid: 0, unappliable: 1 },
      loans: view.length, fixedTerms: 2, drift: { count: 0, loans: [] },
    });
    const written: { updated_at: Date }[] = await db.dataSource.query('select updated_at from covered_loans');
    expect(written.every((r) => r.updated_at.getTime() >= now.getTime())).toBe(true);
    expect(await everythingElse(db.dataSource)).toEqual(rest);
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^rebuild: coverage view emptied, \d+ inbox entries of .* forgotten; 2 loans keep the terms/),
      expect.stringMatching(/^rebuild: replaying \d+ events of /),
      expect.stringMatching(/^rebuild: skipped .*orphan: no LoanRegistered for bank-icbc-zz:RB-GHOST/),
      `rebuild: all ${view.length} loans as in the dropped view`,
      expect.stringMatching(/^rebuild: done, \d+ events folded into \d+ loans/),
    ]));
  });

  it('rebuilds a view that was emptied; a dry run before only reports the difference', async () => {
    await db.dataSource.query('delete from covered_loans');
    const dry = await rebuild({ dryRun: true, driftShown: 3 });
    expect(dry).toMatchObject({ committed: false, loans: view.length, drift: { count: view.length } });
    expect(dry.drift.loans).toHaveLength(3);
    expect(dry.drift.loans.every((d) => d.change === 'added')).toBe(true);
    expect(await coverageRows(db.dataSource)).toEqual([]);
    expect(await everythingElse(db.dataSource)).toEqual(rest);

    const report = await rebuild();
    expect(report).toMatchObject({ committed: true, drift: { count: view.length } });
    expect(await coverageRows(db.dataSource)).toEqual(view);
    expect(await everythingElse(db.dataSource)).toEqual(rest);
  });

  it('reports a row that differs from what the topic gives, and rebuilds it', async () => {
    await db.dataSource.query(`update covered_loans set covered = false, view = jsonb_set(view, '{covered}', 'false') where loan_ref = 'RB-W'`);
    const report = await rebuild();
    expect(report.drift).toEqual({ count: 1, loans: [{ bank: W.bank, loanRef: W.loanRef, change: 'changed', columns: ['covered', 'view'] }] });
    expect(await coverageRows(db.dataSource)).toEqual(view);
  });

  it('leaves the events published meanwhile to the service, which folds them with their effects and nothing else', async () => {
    const outboxBefore = (rest.outbox as unknown[]).length;
    const stats = await runService();
    expect(stats).toMatchObject({ applied: 2, duplicates: 0, deadLettered: 0 });
    const outbox = await outboxRows(db.dataSource);
    expect(outbox.slice(outboxBefore).map((r) => [r.ce_type, r.payload.loanRef, r.payload.cause])).toEqual([
      ['ipfin.risk.LoanCovered.v1', NEW.loanRef, 'registered'],
    ]);
    const after = await coverageRows(db.dataSource);
    expect(rowOf(after, NEW)).toMatchObject({ fund_region: ZHANGZHOU, covered: true });
    expect(rowOf(after, E)).toMatchObject({ status: 'disbursed' });
    const unchanged = (rows: Record<string, unknown>[]) => rows.filter((r) => r.loan_ref !== NEW.loanRef && r.loan_ref !== E.loanRef);
    expect(unchanged(after)).toEqual(unchanged(view));
    expect((await everythingElse(db.dataSource)).claims).toEqual(rest.claims);
  });
});
