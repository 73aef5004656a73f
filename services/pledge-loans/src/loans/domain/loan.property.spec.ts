import fc from 'fast-check';
import { BusinessDate } from '@ipfin/kernel';
import {
  applyBatch,
  applyToLoan,
  contentHash,
  foldHistory,
  outstanding,
  type ApplyBatchResult,
  type BatchItem,
  type LoanAggregate,
  type ParsedLoanEvent,
  type PledgeHolder,
} from '.';

/*
 * Properties over random lifecycles of one loan: whatever the banks send, the totals stay
 * consistent, the state always equals a re-fold of the history, reversing the event just accepted
 * restores the state before it, and how the items are cut into batches never changes the outcome.
 */

const BANK = 'bank-icbc-zz';
const LOAN = 'ICBC-ZZ-2024-0100';
const PRINCIPAL = 100_000_000n;
const REGISTERED_ON = BusinessDate.of(2024, 1, 10);

type Command =
  | { kind: 'disburse'; amount: bigint }
  | { kind: 'repay'; principal: bigint; interest: bigint }
  | { kind: 'overdue'; days: number }
  | { kind: 'default'; loss: bigint }
  | { kind: 'settle' }
  | { kind: 'reverse'; pick: number };

const fen = (max: bigint): fc.Arbitrary<bigint> => fc.bigInt({ min: 0n, max });
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fen(60_000_000n).map((amount) => ({ kind: 'disburse' as const, amount: amount + 1n })) },
  {
    weight: 4,
    arbitrary: fc
      .record({ principal: fen(40_000_000n), interest: fen(500_000n) })
      .map((r) => ({ kind: 'repay' as const, ...r })),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 180 }).map((days) => ({ kind: 'overdue' as const, days })) },
  { weight: 1, arbitrary: fen(50_000_000n).map((loss) => ({ kind: 'default' as const, loss })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'settle' as const }) },
  { weight: 2, arbitrary: fc.nat(50).map((pick) => ({ kind: 'reverse' as const, pick })) },
);

const registration: ParsedLoanEvent = {
  eventId: 'reg',
  type: 'LoanRegistered',
  loanRef: LOAN,
  occurredOn: REGISTERED_ON.toString(),
  data: {
    borrower: { uscc: '91350602MA31K8P7X1', name: '漳州芗城闽锐精密机械有限公司', size: 'small', regionCode: '350602' },
    principal: PRINCIPAL,
    annualRate: '0.0385',
    termMonths: 36,
    inclusive: true,
    pledge: {
      registrationNo: 'Y2024980100000',
      registeredOn: '2024-01-08',
      appraisedValue: 150_000_000n,
      rights: [{ kind: 'patent', number: '202011456789.3' }],
    },
  },
};

/** Turns commands into events; a reversal picks one of the event ids issued before it. */
function toEvents(commands: readonly Command[]): ParsedLoanEvent[] {
  const issued: string[] = ['reg'];
  return [
    registration,
    ...commands.map((c, i): ParsedLoanEvent => {
      const envelope = { eventId: `e${i}`, loanRef: LOAN, occurredOn: REGISTERED_ON.addDays(i + 1).toString() };
      issued.push(envelope.eventId);
      switch (c.kind) {
        case 'disburse':
          return { ...envelope, type: 'LoanDisbursed', data: { amount: c.amount } };
        case 'repay':
          return { ...envelope, type: 'RepaymentReceived', data: { principal: c.principal, interest: c.interest } };
        case 'overdue':
          return { ...envelope, type: 'LoanOverdue', data: { overdueDays: c.days } };
        case 'default':
          return { ...envelope, type: 'LoanDefaulted', data: { principalLoss: c.loss } };
        case 'settle':
          return { ...envelope, type: 'LoanSettled', data: {} };
        case 'reverse':
          return {
            ...envelope,
            type: 'EventReversed',
            data: { reversedEventId: issued[c.pick % (issued.length - 1)] },
          };
      }
    }),
  ];
}

const meta = (event: ParsedLoanEvent) => ({
  bank: BANK,
  recordedAt: '2025-01-01T00:00:00.000Z',
  contentHash: contentHash(event),
});

describe('loan lifecycle properties', () => {
  it('keeps the totals consistent and the state equal to a re-fold of the history', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 40 }), (commands) => {
        let aggregate: LoanAggregate | null = null;
        for (const event of toEvents(commands)) {
          const step = applyToLoan(aggregate, event, meta(event));
          if (!step.ok) continue;
          aggregate = step.aggregate;
          const state = aggregate.state;
          if (state !== null) {
            expect(state.disbursed <= state.principal).toBe(true);
            expect(outstanding(state) >= 0n).toBe(true);
            expect(state.status === 'overdue').toBe(state.overdueDays !== undefined);
            if (state.status === 'settled') expect(outstanding(state)).toBe(0n);
            if (state.status === 'registered') expect(state.disbursed).toBe(0n);
          }
          const folded = foldHistory(aggregate.history);
          expect(folded).toEqual({ ok: true, state });
          expect(aggregate.history.map((e) => e.sequence)).toEqual(aggregate.history.map((_e, i) => i + 1));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('restores the previous state when the event just accepted is reversed', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 30 }), (commands) => {
        let aggregate: LoanAggregate | null = null;
        for (const event of toEvents(commands)) {
          const step = applyToLoan(aggregate, event, meta(event));
          if (!step.ok) continue;
          if (event.type !== 'EventReversed') {
            const undo: ParsedLoanEvent = {
              eventId: `undo-${event.eventId}`,
              type: 'EventReversed',
              loanRef: LOAN,
              occurredOn: '2030-01-01',
              data: { reversedEventId: event.eventId },
            };
            const undone = applyToLoan(step.aggregate, undo, meta(undo));
            expect(undone.ok).toBe(true);
            if (undone.ok) expect(undone.aggregate.state).toEqual(aggregate?.state ?? null);
          }
          aggregate = step.aggregate;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same results however the items are cut into batches', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 30 }), fc.array(fc.nat(31), { maxLength: 4 }), (commands, cuts) => {
        const events = toEvents(commands);
        // Every event twice: the second copy must always be a duplicate (or refused again).
        const items: BatchItem[] = events.flatMap((value) => [
          { ok: true as const, value },
          { ok: true as const, value },
        ]);
        const whole = runBatches(items, []);
        const split = runBatches(items, cuts);
        expect(split.statuses).toEqual(whole.statuses);
        expect(split.aggregate).toEqual(whole.aggregate);
        expect(split.rights).toEqual(whole.rights);
        whole.statuses.forEach((status, i) => {
          if (i % 2 === 1) expect(status === 'accepted').toBe(false);
        });
      }),
      { numRuns: 200 },
    );
  });
});

function runBatches(items: readonly BatchItem[], cuts: readonly number[]) {
  const bounds = [...new Set([0, ...cuts.map((c) => c % (items.length + 1)), items.length])].sort((a, b) => a - b);
  let loans = new Map<string, LoanAggregate>();
  let knownEvents: ReadonlyMap<string, string> = new Map();
  let pledgedRights: ReadonlyMap<string, PledgeHolder> = new Map();
  let registrationNumbers: ReadonlyMap<string, PledgeHolder> = new Map();
  const statuses: string[] = [];
  for (let b = 0; b + 1 < bounds.length; b++) {
    const result: ApplyBatchResult = applyBatch({
      bank: BANK,
      items: items.slice(bounds[b], bounds[b + 1]),
      loans,
      knownEvents,
      pledgedRights,
      registrationNumbers,
      now: new Date('2025-01-01T00:00:00Z'),
    });
    statuses.push(...result.results.map((r) => r.status));
    loans = new Map([...loans, ...result.loans]);
    ({ knownEvents, pledgedRights, registrationNumbers } = result);
  }
  return { statuses, aggregate: loans.get(LOAN) ?? null, rights: [...pledgedRights] };
}
