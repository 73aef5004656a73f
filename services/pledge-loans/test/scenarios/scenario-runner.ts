import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateEventData, type EventReversedV1 } from '@ipfin/contracts';
import { Money } from '@ipfin/kernel';
import {
  applyBatch,
  foldHistory,
  outstanding,
  pledgeInForce,
  rightKey,
  toLoanEventJson,
  type ApplyBatchResult,
  type HistoryMeta,
  type LoanAggregate,
  type LoanEventJson,
  type LoanHistoryEntry,
  type PledgeHolder,
} from '../../src/loans/domain';
import { validateLoanEventItem } from '../../src/loans/dto/loan-event.dto';

/*
 * Drives the pure loan domain through a JSON fixture the way the service will: validate each
 * item, apply the batch, then "store" what changed (as JSON, re-parsed on the next load) before
 * the next batch. Besides the fixture's expectations it checks the invariants every batch must
 * keep: one result per item, gap-free sequences, re-folding the stored history gives the same
 * state, every Kafka payload passes the contracts' validator, and the pledge lookups match the
 * loans in force.
 */

export interface ExpectedItem {
  status: 'accepted' | 'duplicate' | 'rejected';
  /** Problem type (code) of a rejected item. */
  code?: string;
  httpStatus?: number;
  /** Exactly the fields named in `problem.errors` (order-insensitive). */
  fields?: string[];
  detailIncludes?: string;
}

export interface ExpectedLoan {
  bank?: string;
  loanRef: string;
  /** No registration in force (voided, or never registered). */
  voided?: boolean;
  status?: string;
  principal?: string;
  disbursed?: string;
  outstanding?: string;
  repaidPrincipal?: string;
  interestPaid?: string;
  principalLoss?: string;
  overdueDays?: number | null;
  /** Accepted history length, reversals included. */
  events?: number;
  /** eventIds flagged reversed. */
  reversedEvents?: string[];
}

export interface ScenarioBatch {
  /** Defaults to the fixture's bank. */
  bank?: string;
  /** RFC 3339 "now" of the request. */
  now: string;
  note?: string;
  items: unknown[];
  expect: ExpectedItem[];
  /** Event types published, in order. */
  messages?: string[];
  /** Loans as they must stand right after this batch. */
  expectLoans?: ExpectedLoan[];
}

export interface ScenarioFixture {
  scenario: string;
  description: string;
  bank: string;
  /** Pledges held by loans outside the fixture (e.g. another bank's, loaded from the store). */
  given?: {
    pledgedRights?: Record<string, PledgeHolder>;
    registrationNumbers?: Record<string, PledgeHolder>;
  };
  batches: ScenarioBatch[];
  expectLoans: ExpectedLoan[];
  /** rightKey → holder, or null when the right must be free. */
  expectPledgedRights?: Record<string, PledgeHolder | null>;
}

interface StoredEntry {
  event: LoanEventJson;
  meta: HistoryMeta;
}

/** The store between batches, as the service keeps it: plain JSON. */
export interface World {
  loans: Map<string, Map<string, string>>;
  knownEvents: Map<string, Map<string, string>>;
  pledgedRights: Map<string, PledgeHolder>;
  registrationNumbers: Map<string, PledgeHolder>;
  external: { pledgedRights: Map<string, PledgeHolder>; registrationNumbers: Map<string, PledgeHolder> };
}

export interface ScenarioRun {
  world: World;
  batches: ApplyBatchResult[];
}

const FIXTURES = join(__dirname, 'fixtures');

export function loadFixture(kind: 'ok' | 'not-ok', name: string): ScenarioFixture {
  return JSON.parse(readFileSync(join(FIXTURES, kind, `${name}.json`), 'utf8')) as ScenarioFixture;
}

const fen = (amount: bigint): string => Money.fromFen(amount).toString();

function storeAggregate(aggregate: LoanAggregate): string {
  const entries: StoredEntry[] = aggregate.history.map((entry) => {
    const { bank, sequence, recordedAt, contentHash, reversed, reversedBy } = entry;
    const meta: HistoryMeta =
      reversedBy === undefined
        ? { bank, sequence, recordedAt, contentHash, reversed }
        : { bank, sequence, recordedAt, contentHash, reversed, reversedBy };
    return { event: toLoanEventJson(entry), meta };
  });
  return JSON.stringify(entries);
}

/** Loads a stored loan back: every event re-parsed, the state re-folded from the history. */
export function loadAggregate(bank: string, loanRef: string, stored: string): LoanAggregate {
  const entries = JSON.parse(stored) as StoredEntry[];
  const history: LoanHistoryEntry[] = entries.map(({ event, meta }, i) => {
    const parsed = validateLoanEventItem(event, i);
    if (!parsed.ok) throw new Error(`stored event ${event.eventId} no longer parses: ${JSON.stringify(parsed.errors)}`);
    return { ...parsed.value, ...meta };
  });
  const folded = foldHistory(history);
  if (!folded.ok)
    throw new Error(
      `stored history of ${loanRef} no longer folds: ${folded.problem.code} at ${folded.failedAt.eventId}`,
    );
  return { bank, loanRef, state: folded.state, history };
}

export function newWorld(fixture: ScenarioFixture): World {
  const pledgedRights = new Map(Object.entries(fixture.given?.pledgedRights ?? {}));
  const registrationNumbers = new Map(Object.entries(fixture.given?.registrationNumbers ?? {}));
  return {
    loans: new Map(),
    knownEvents: new Map(),
    pledgedRights,
    registrationNumbers,
    external: { pledgedRights: new Map(pledgedRights), registrationNumbers: new Map(registrationNumbers) },
  };
}

function bankLoans(world: World, bank: string): Map<string, string> {
  let loans = world.loans.get(bank);
  if (loans === undefined) world.loans.set(bank, (loans = new Map()));
  return loans;
}

function loadLoans(world: World, bank: string): Map<string, LoanAggregate> {
  return new Map(
    [...bankLoans(world, bank)].map(([loanRef, stored]) => [loanRef, loadAggregate(bank, loanRef, stored)]),
  );
}

function allLoans(world: World): LoanAggregate[] {
  return [...world.loans].flatMap(([bank, loans]) =>
    [...loans].map(([loanRef, stored]) => loadAggregate(bank, loanRef, stored)),
  );
}

function checkInvariants(
  bank: string,
  batch: ScenarioBatch,
  result: ApplyBatchResult,
  before: Map<string, LoanAggregate>,
  input: { rights: Map<string, PledgeHolder>; regs: Map<string, PledgeHolder> },
): void {
  expect(result.results).toHaveLength(batch.items.length);
  const accepted = result.results.filter((r) => r.status === 'accepted');
  expect(result.newEvents).toHaveLength(accepted.length);
  expect(result.messages).toHaveLength(accepted.length);
  expect(result.newEvents.map((e) => e.eventId)).toEqual(accepted.map((r) => r.eventId));

  for (const [loanRef, aggregate] of result.loans) {
    expect(aggregate.history.map((e) => e.sequence)).toEqual(aggregate.history.map((_e, i) => i + 1));
    expect(aggregate.history.slice(0, before.get(loanRef)?.history.length ?? 0).map((e) => e.eventId)).toEqual(
      before.get(loanRef)?.history.map((e) => e.eventId) ?? [],
    );
    const folded = foldHistory(aggregate.history);
    expect(folded.ok).toBe(true);
    if (folded.ok) expect(folded.state).toEqual(aggregate.state);
    if (aggregate.state !== null) expect(outstanding(aggregate.state) >= 0n).toBe(true);
  }

  result.messages.forEach((message, i) => {
    const entry = result.newEvents[i];
    expect(message.key).toBe(`${bank}:${entry.loanRef}`);
    expect(message.ceType).toBe(`ipfin.loans.${entry.type}.v1`);
    expect(message.id).toBe(`${bank}:${entry.loanRef}:${entry.sequence}`);
    expect(message.payload).toMatchObject({
      bank,
      loanRef: entry.loanRef,
      eventId: entry.eventId,
      sequence: entry.sequence,
      occurredOn: entry.occurredOn,
    });
    const validation = validateEventData(message.ceType, message.payload);
    expect(validation).toEqual({ ok: true, value: message.payload });
    if (entry.type === 'EventReversed') {
      const reversed = (message.payload as EventReversedV1).reversed;
      expect(
        validateEventData(`ipfin.loans.${(message.payload as EventReversedV1).reversedType}.v1`, reversed).ok,
      ).toBe(true);
      expect(reversed).toMatchObject({ eventId: entry.data.reversedEventId, loanRef: entry.loanRef });
    }
  });
  if (batch.messages !== undefined) expect(result.messages.map((m) => m.ceType.split('.')[2])).toEqual(batch.messages);

  // The net lookup changes turn the input lookups into the output ones.
  for (const [changes, from, to] of [
    [result.pledgeChanges.rights, input.rights, result.pledgedRights],
    [result.pledgeChanges.registrationNumbers, input.regs, result.registrationNumbers],
  ] as const) {
    const replayed = new Map(from);
    changes.released.forEach((key) => replayed.delete(key));
    changes.acquired.forEach(({ key, holder }) => replayed.set(key, holder));
    expect(sorted(replayed)).toEqual(sorted(to));
  }
}

/** The rights of every loan in force in the store, plus the pledges held outside the fixture. */
function derivedPledges(world: World): { rights: Map<string, PledgeHolder>; regs: Map<string, PledgeHolder> } {
  const rights = new Map(world.external.pledgedRights);
  const regs = new Map(world.external.registrationNumbers);
  for (const loan of allLoans(world)) {
    if (loan.state === null) continue;
    regs.set(loan.state.pledge.registrationNo, { bank: loan.bank, loanRef: loan.loanRef });
    if (pledgeInForce(loan.state)) {
      for (const r of loan.state.pledge.rights)
        rights.set(rightKey(r.kind, r.number), { bank: loan.bank, loanRef: loan.loanRef });
    }
  }
  return { rights, regs };
}

function sorted<V>(map: ReadonlyMap<string, V>): [string, V][] {
  return [...map].sort(([a], [b]) => a.localeCompare(b));
}

export function runScenario(fixture: ScenarioFixture): ScenarioRun {
  const world = newWorld(fixture);
  const batches: ApplyBatchResult[] = [];
  fixture.batches.forEach((batch, b) => {
    const bank = batch.bank ?? fixture.bank;
    const now = new Date(batch.now);
    const items = batch.items.map((plain, i) => validateLoanEventItem(plain, i, { now }));
    const loans = loadLoans(world, bank);
    const knownEvents = world.knownEvents.get(bank) ?? new Map<string, string>();
    const input = { rights: new Map(world.pledgedRights), regs: new Map(world.registrationNumbers) };
    const result = applyBatch({
      bank,
      items,
      loans,
      knownEvents,
      pledgedRights: world.pledgedRights,
      registrationNumbers: world.registrationNumbers,
      now,
    });

    const actual = result.results.map((r, i) => ({
      item: i,
      eventId: r.eventId,
      status: r.status,
      ...(r.problem === undefined ? {} : { code: r.problem.type }),
    }));
    const expected = batch.expect.map((e, i) => ({
      item: i,
      eventId: result.results[i]?.eventId,
      status: e.status,
      ...(e.status === 'rejected' ? { code: e.code ?? actual[i]?.code } : {}),
    }));
    expect({ batch: b, results: actual }).toEqual({ batch: b, results: expected });
    batch.expect.forEach((e, i) => {
      const problem = result.results[i].problem;
      if (e.httpStatus !== undefined)
        expect({ item: i, status: problem?.status }).toEqual({ item: i, status: e.httpStatus });
      if (e.fields !== undefined)
        expect({ item: i, fields: (problem?.errors ?? []).map((f) => f.field).sort() }).toEqual({
          item: i,
          fields: [...e.fields].sort(),
        });
      if (e.detailIncludes !== undefined) expect(problem?.detail).toContain(e.detailIncludes);
      if (problem !== undefined) expect(problem.title.length).toBeGreaterThan(0);
    });
    checkInvariants(bank, batch, result, loans, input);

    // Write back what changed, as the service would, then check the lookups against the loans.
    const stored = bankLoans(world, bank);
    for (const [loanRef, aggregate] of result.loans) stored.set(loanRef, storeAggregate(aggregate));
    world.knownEvents.set(bank, new Map(result.knownEvents));
    world.pledgedRights = new Map(result.pledgedRights);
    world.registrationNumbers = new Map(result.registrationNumbers);
    const derived = derivedPledges(world);
    expect(sorted(world.pledgedRights)).toEqual(sorted(derived.rights));
    expect(sorted(world.registrationNumbers)).toEqual(sorted(derived.regs));
    if (batch.expectLoans !== undefined) expectLoans(world, fixture.bank, batch.expectLoans, `after batch ${b}`);
    batches.push(result);
  });
  return { world, batches };
}

function expectLoans(world: World, defaultBank: string, expectations: readonly ExpectedLoan[], when: string): void {
  for (const expected of expectations) {
    const bank = expected.bank ?? defaultBank;
    const loan = findLoan(world, bank, expected.loanRef);
    const state = loan?.state ?? null;
    const actual: Record<string, unknown> = { when, loanRef: expected.loanRef };
    const wanted: Record<string, unknown> = { when, loanRef: expected.loanRef };
    const compare = (key: keyof ExpectedLoan, value: unknown): void => {
      if (expected[key] === undefined) return;
      actual[key] = value;
      wanted[key] = expected[key];
    };
    compare('voided', state === null);
    compare('status', state?.status);
    compare('principal', state && fen(state.principal));
    compare('disbursed', state && fen(state.disbursed));
    compare('outstanding', state && fen(outstanding(state)));
    compare('repaidPrincipal', state && fen(state.repaidPrincipal));
    compare('interestPaid', state && fen(state.interestPaid));
    compare('principalLoss', state && fen(state.principalLoss));
    compare('overdueDays', state?.overdueDays ?? null);
    compare('events', loan?.history.length ?? 0);
    compare('reversedEvents', loan?.history.filter((e) => e.reversed).map((e) => e.eventId) ?? []);
    expect(actual).toEqual(wanted);
  }
}

export function findLoan(world: World, bank: string, loanRef: string): LoanAggregate | null {
  const stored = world.loans.get(bank)?.get(loanRef);
  return stored === undefined ? null : loadAggregate(bank, loanRef, stored);
}

/** Runs a fixture and checks every expectation it states. */
export function expectScenario(fixture: ScenarioFixture): ScenarioRun {
  const run = runScenario(fixture);
  expectLoans(run.world, fixture.bank, fixture.expectLoans, 'at the end');
  for (const [key, holder] of Object.entries(fixture.expectPledgedRights ?? {})) {
    expect({ key, holder: run.world.pledgedRights.get(key) ?? null }).toEqual({ key, holder });
  }
  return run;
}
