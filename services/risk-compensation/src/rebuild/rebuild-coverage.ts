import { TOPICS } from '@ipfin/contracts';
import {
  assertSchemaName, awaitIdleGroups, chunk, clearInbox, firstOfEachId, inboxStatement, preparedQuery, readEvent, resetConsumerOffsets,
  UnappliableEvent, type BusConsumerOptions, type ConsumedEvent, type IncomingRecord, type MessageBus,
} from '@ipfin/messaging';
import type { DataSource, EntityManager } from 'typeorm';
import { ClaimRepository } from '../claims/claim.repository';
import { CoveredLoanRepository } from '../claims/covered-loan.repository';
import { claimFixedTerms } from '../claims/domain/covered-loan';
import { LOANS_CONSUMER_GROUP } from '../claims/loan-events.consumer';
import { PolicyRepository } from '../funds/policy.repository';
import { CoverageReplay } from './coverage-replay';
import { replayRanges, type PartitionRange } from './replay-range';

export interface CoverageRebuildOptions {
  dataSource: DataSource;
  bus: MessageBus;
  /** The service's schema (holding `covered_loans`, `claims`, `fund_policies` and the inbox). */
  schema: string;
  /** Default `ipfin.loans.v1` (another topic in tests). */
  topic?: string;
  /** The service's consumer group and inbox name; default `risk-compensation.loans`. */
  groupId?: string;
  log: (line: string) => void;
  /** Fold and compare, then roll back: prints how the view would change, changes nothing. */
  dryRun?: boolean;
  /** Of the replay's own consumer group (`<groupId>.rebuild`). */
  tuning?: Pick<BusConsumerOptions, 'sessionTimeoutMs' | 'rebalanceTimeoutMs' | 'heartbeatIntervalMs' | 'maxWaitTimeMs'>;
  /** Events per fold (default 500, as the service's consumer). */
  batchSize?: number;
  /** How often progress is printed (default 2 s). */
  progressEveryMs?: number;
  /** Gives up (rolling back) when the replay has not finished by then (default 1 h). */
  timeoutMs?: number;
  /**
   * How long to wait for the group's members to leave before refusing (default 45 s: a consumer
   * that stopped without leaving its group stays a member for its 30 s session).
   */
  membersWaitMs?: number;
  /** Loans differing from the dropped view that are printed (default 20; all are counted). */
  driftShown?: number;
}

/** A loan whose row the rebuild wrote differently from the one it dropped. */
export interface DriftedLoan {
  bank: string;
  loanRef: string;
  /** `added`: not in the dropped view; `dropped`: not rebuilt; `changed`: the columns that differ. */
  change: 'added' | 'dropped' | 'changed';
  columns: string[];
}

export interface CoverageRebuildReport {
  /** False for a dry run: everything was rolled back. */
  committed: boolean;
  /** Events read from the topic up to where the service had consumed. */
  events: number;
  /** Events folded into the view (and recorded in the inbox). */
  folded: number;
  /** Copies of an event already folded (a re-drive after it was applied): skipped, as by the service. */
  duplicates: number;
  /** Events the service dead-lettered when they came (invalid, or unappliable): skipped, not sent to the DLQ again. */
  skipped: { invalid: number; unappliable: number };
  /** Rows of the rebuilt view. */
  loans: number;
  /** Claims whose terms the rebuild kept (approved or paid). */
  fixedTerms: number;
  /** Loans whose row differs from the dropped view (`drift.count`; the first `driftShown` listed). */
  drift: { count: number; loans: DriftedLoan[] };
  seconds: number;
}

interface ReplayCounts {
  events: number;
  folded: number;
  duplicates: number;
  invalid: number;
  unappliable: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const SHOWN_SKIPS = 20;

/**
 * Drops the coverage view (`covered_loans`) and folds `ipfin.loans.v1` again from offset 0 with the
 * service's own fold (`npm run risk:rebuild-coverage`), in ONE transaction: a rebuild that fails,
 * is interrupted or is a dry run changes nothing.
 *
 * 1. The service must be stopped: waits up to `membersWaitMs` for its group (and any other
 *    rebuild's) to have no members, then refuses, having changed nothing.
 * 2. Reads the topic's watermarks and the group's committed offsets; in the transaction, after the
 *    shared policy lock (no policy change meanwhile), the inbox's last offsets. It folds each
 *    partition from 0 up to where the service had consumed (`replayRanges`) — not further: events
 *    after that are the service's to fold, with their effects. Refuses if the topic no longer
 *    starts at offset 0.
 * 3. Reads the claims that fixed their loan's coverage (`waiting`, `paid`), copies the view aside
 *    for the comparison, empties `covered_loans` and forgets the group's inbox rows.
 * 4. Reads the topic through its own consumer group `<groupId>.rebuild` (reset to the beginning)
 *    and folds each partition's events through `CoverageReplay` — validation, inbox and
 *    unappliable events as the service's validating consumer handles them, each batch under a
 *    savepoint — printing progress. It publishes nothing: no `LoanCovered`, no `ClaimRejected`, no
 *    dead letters (the events it cannot apply are the ones the service dead-lettered; it prints
 *    them). It touches no claim, fund or ledger row.
 * 5. Compares the rebuilt rows with the dropped ones (every column but `updated_at`), prints the
 *    loans that differ, and commits (a dry run rolls back).
 *
 * The group's committed offsets are not moved: the service, started again, goes on from where it
 * stopped, and every event the rebuild folded is in its inbox again (it skips those as
 * duplicates). Moving them would either skip events published meanwhile or, had the rebuild died
 * half-way, let the service resume on a half-built view with its effects switched on.
 */
export async function rebuildCoverage(opts: CoverageRebuildOptions): Promise<CoverageRebuildReport> {
  const { dataSource, bus, log } = opts;
  const schema = assertSchemaName(opts.schema);
  const topic = opts.topic ?? TOPICS.loans;
  const groupId = opts.groupId ?? LOANS_CONSUMER_GROUP;
  const replayGroup = `${groupId}.rebuild`;
  const started = Date.now();

  await awaitIdleGroups(bus, [groupId, replayGroup], { waitMs: opts.membersWaitMs ?? 45_000, log: (line) => log(`rebuild: ${line}`) });
  const admin = bus.admin();
  await admin.connect();
  const position = await (async () => {
    try {
      return { marks: await admin.topicWatermarks(topic), committed: await admin.groupOffsets(groupId, [topic]) };
    } finally {
      await admin.disconnect();
    }
  })();

  const loans = new CoveredLoanRepository(dataSource);
  const policies = new PolicyRepository(dataSource);
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    const m = runner.manager;
    await policies.lockShared(m);
    const inboxRows = await m.query<{ partition: number; next: string }[]>(
      `select partition, (max("offset") + 1)::text as next from "${schema}".inbox where consumer = $1 and topic = $2 group by partition`,
      [groupId, topic],
    );
    const range = replayRanges(topic, position.marks, position.committed, new Map(inboxRows.map((r) => [r.partition, BigInt(r.next)])));
    if (!range.ok) throw new Error(`rebuild refused, nothing changed: ${range.reason}`);
    const fixing = await new ClaimRepository(dataSource).fixingCoverage(m);

    await m.query(`create temp table coverage_before on commit drop as select * from "${schema}".covered_loans`);
    await m.query(`truncate "${schema}".covered_loans`);
    const forgotten = await clearInbox(m, schema, groupId);
    log(`rebuild: coverage view emptied, ${forgotten} inbox entries of ${groupId} forgotten; ${fixing.length} loans keep the terms their approved or paid claim fixed`);

    const replay = new CoverageReplay(loans, policies, claimFixedTerms(fixing));
    const counts = await replayTopic({ ...opts, schema, topic, groupId, replayGroup, ranges: range.ranges, manager: m, replay, started });

    const [{ n }] = await m.query<{ n: number }[]>(`select count(*)::int as n from "${schema}".covered_loans`);
    const drift = await driftFromDropped(m, schema, opts.driftShown ?? 20);
    if (drift.count === 0) log(`rebuild: all ${n} loans as in the dropped view`);
    else {
      log(`rebuild: ${drift.count} of the loans differ from the dropped view${drift.count > drift.loans.length ? ` (first ${drift.loans.length})` : ''}:`);
      for (const d of drift.loans) log(`rebuild:   ${d.bank}:${d.loanRef} ${d.change}${d.columns.length > 0 ? ` (${d.columns.join(', ')})` : ''}`);
    }
    if (opts.dryRun) await runner.rollbackTransaction();
    else await runner.commitTransaction();
    const seconds = (Date.now() - started) / 1000;
    log(opts.dryRun
      ? `rebuild: dry run, rolled back — nothing changed (${counts.events} events read in ${seconds.toFixed(1)} s)`
      : `rebuild: done, ${counts.folded} events folded into ${n} loans in ${seconds.toFixed(1)} s; start the service: it goes on from where it stopped`);
    return {
      committed: !opts.dryRun,
      events: counts.events, folded: counts.folded, duplicates: counts.duplicates,
      skipped: { invalid: counts.invalid, unappliable: counts.unappliable },
      loans: n, fixedTerms: fixing.length, drift, seconds,
    };
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    await runner.release();
  }
}

interface ReplayArgs extends CoverageRebuildOptions {
  schema: string;
  topic: string;
  groupId: string;
  replayGroup: string;
  ranges: readonly PartitionRange[];
  manager: EntityManager;
  replay: CoverageReplay;
  started: number;
}

/**
 * Reads `ranges` of the topic through the replay's consumer group and folds them inside the
 * rebuild's transaction, one partition batch at a time (the transaction has one connection).
 */
async function replayTopic(args: ReplayArgs): Promise<ReplayCounts> {
  const { bus, topic, log, ranges } = args;
  const counts: ReplayCounts = { events: 0, folded: 0, duplicates: 0, invalid: 0, unappliable: 0 };
  const ends = new Map(ranges.map((r) => [r.partition, r.to]));
  /** Per partition still to fold, the next offset. */
  const next = new Map(ranges.filter((r) => r.to > r.from).map((r) => [r.partition, r.from]));
  const total = ranges.reduce((n, r) => n + Number(r.to - r.from), 0);
  log(`rebuild: replaying ${total} events of ${topic} (${ranges.map((r) => `${r.partition}: ${r.from}…${r.to}`).join(', ')})`);
  if (next.size === 0) return counts;

  await resetConsumerOffsets(bus, args.replayGroup, [topic], 'earliest');
  const consumer = bus.consumer({ groupId: args.replayGroup, sessionTimeoutMs: 30_000, heartbeatIntervalMs: 3000, ...args.tuning });
  let over = false;
  let settle: (error?: Error) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    settle = (error?: Error) => {
      if (over) return;
      over = true;
      if (error === undefined) resolve();
      else reject(error);
    };
  });
  finished.catch(() => undefined); // awaited below; this only keeps an early failure from being "unhandled"
  consumer.onCrash((error) => settle(error));
  const folder = new PartitionFolder(args, counts);
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run(async (batch, control) => {
      if (over) return;
      try {
        const from = next.get(batch.partition);
        const to = ends.get(batch.partition) ?? 0n;
        if (from !== undefined) {
          const records = batch.records.filter((r) => BigInt(r.offset) >= from && BigInt(r.offset) < to);
          for (const part of chunk(records, args.batchSize ?? 500)) {
            await folder.fold(batch.partition, part);
            await control.heartbeat();
          }
          const last = BigInt(batch.records[batch.records.length - 1].offset) + 1n;
          if (last >= to) next.delete(batch.partition);
          else next.set(batch.partition, last > from ? last : from);
        }
        control.resolveOffset(batch.records[batch.records.length - 1].offset);
        if (next.size === 0) settle();
      } catch (error: unknown) {
        settle(error instanceof Error ? error : new Error(`rebuild: the fold failed: ${JSON.stringify(error)}`));
      }
    });
    const deadline = args.started + (args.timeoutMs ?? 3_600_000);
    const every = args.progressEveryMs ?? 2000;
    while (!over) {
      await Promise.race([finished.catch(() => undefined), sleep(every)]);
      if (over) break;
      if (Date.now() > deadline) settle(new Error(`rebuild: not finished after ${Math.round((Date.now() - args.started) / 1000)} s — rolled back, nothing changed`));
      const seconds = (Date.now() - args.started) / 1000;
      log(`rebuild: ${counts.events}/${total} events (${total ? Math.floor((counts.events / total) * 100) : 100}%), ${Math.round(counts.events / Math.max(seconds, 0.001))} events/s`);
    }
    await finished;
  } finally {
    over = true;
    await consumer.stop();
    await consumer.disconnect();
  }
  if (counts.invalid + counts.unappliable > 0) {
    log(`rebuild: skipped as the service dead-lettered them: ${counts.invalid} invalid and ${counts.unappliable} unappliable events; not sent to the DLQ again`);
  }
  return counts;
}

/** Folds a partition's records inside the rebuild's transaction, as the validating consumer applies them. */
class PartitionFolder {
  private shown = 0;

  constructor(
    private readonly args: ReplayArgs,
    private readonly counts: ReplayCounts,
  ) {}

  async fold(partition: number, records: readonly IncomingRecord[]): Promise<void> {
    const { topic } = this.args;
    const valid: ConsumedEvent[] = [];
    for (const record of records) {
      this.counts.events++;
      const read = readEvent(record, topic);
      if (read.ok) {
        valid.push({ envelope: read.envelope, topic, partition, offset: record.offset, key: record.key?.toString('utf8') ?? null });
      } else {
        this.counts.invalid++;
        this.skip(`${topic}/${partition}/${record.offset}: ${read.reason}`);
      }
    }
    await this.inOrder(valid);
  }

  /** As the validating consumer's `applyInOrder`: an unappliable event is cut out, the others folded. */
  private async inOrder(events: readonly ConsumedEvent[]): Promise<void> {
    let rest = events;
    while (rest.length > 0) {
      const failure = await this.attempt(rest);
      if (failure === null) return;
      const { event } = failure;
      const at = rest.findIndex((e) => e.partition === event.partition && e.offset === event.offset);
      if (at < 0) throw failure;
      if (at > 0) await this.inOrder(rest.slice(0, at));
      this.counts.unappliable++;
      this.skip(`${event.topic}/${event.partition}/${event.offset} (${event.envelope.type} ${event.envelope.id}): ${failure.message}`);
      rest = rest.slice(at + 1);
    }
  }

  /** Inbox and fold under a savepoint; an `UnappliableEvent` rolls back to it and is returned, anything else aborts. */
  private async attempt(events: readonly ConsumedEvent[]): Promise<UnappliableEvent | null> {
    const { manager, schema, groupId, topic } = this.args;
    const unique = firstOfEachId(events, (e) => e.envelope.id);
    const inbox = inboxStatement(schema, groupId, { topic, partition: events[0].partition }, unique.map((e) => ({ ceId: e.envelope.id, offset: e.offset })));
    await manager.query('savepoint coverage_replay');
    try {
      const rows = await preparedQuery<{ ce_id: string }>(manager, inbox.text, inbox.values);
      const inserted = new Set(rows.map((r) => r.ce_id));
      const fresh = unique.filter((e) => inserted.has(e.envelope.id));
      if (fresh.length > 0) await this.args.replay.handle(fresh, manager);
      await manager.query('release savepoint coverage_replay');
      this.counts.folded += fresh.length;
      this.counts.duplicates += events.length - fresh.length;
      return null;
    } catch (error: unknown) {
      await manager.query('rollback to savepoint coverage_replay');
      if (error instanceof UnappliableEvent) return error;
      throw error;
    }
  }

  private skip(line: string): void {
    if (this.shown++ < SHOWN_SKIPS) this.args.log(`rebuild: skipped ${line}`);
  }
}

/** The rebuilt rows that differ from the dropped ones (`coverage_before`), every column but `updated_at`. */
async function driftFromDropped(m: EntityManager, schema: string, shown: number): Promise<{ count: number; loans: DriftedLoan[] }> {
  const columns = ['fund_region', 'covered', 'policy_version', 'borrower_region', 'registered_on', 'status', 'view'];
  const rows = await m.query<{ bank: string; loan_ref: string; change: DriftedLoan['change']; columns: string[]; total: number }[]>(
    `select coalesce(n.bank, o.bank) as bank, coalesce(n.loan_ref, o.loan_ref) as loan_ref,
            case when o.bank is null then 'added' when n.bank is null then 'dropped' else 'changed' end as change,
            case when o.bank is null or n.bank is null then array[]::text[]
                 else array_remove(array[${columns.map((c) => `case when n.${c} is distinct from o.${c} then '${c}' end`).join(', ')}], null) end as columns,
            (count(*) over ())::int as total
       from "${schema}".covered_loans n full join coverage_before o on o.bank = n.bank and o.loan_ref = n.loan_ref
      where o.bank is null or n.bank is null
         or (${columns.map((c) => `n.${c}`).join(', ')}) is distinct from (${columns.map((c) => `o.${c}`).join(', ')})
      order by 1, 2
      limit greatest($1::int, 1)`,
    [shown],
  );
  return {
    count: rows[0]?.total ?? 0,
    loans: rows.slice(0, shown).map((r) => ({ bank: r.bank, loanRef: r.loan_ref, change: r.change, columns: r.columns })),
  };
}
