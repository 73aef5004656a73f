/**
 * The fund ledger under concurrency, against the real PostgreSQL: approvals and contributions race
 * as truly concurrent transactions on separate connections (Promise.all over a 60-connection pool).
 * The fund row lock serialises them per fund region, so payouts happen strictly in approval order,
 * the balance never dips below zero at any step of the ledger, and capital = balance + paidOut −
 * recoveredToFund holds after every entry.
 */
import { fixedClock } from '@ipfin/kernel';
import type { TestSchema } from '@ipfin/testing';
import type { DataSource } from 'typeorm';
import {
  bankOf, defaultedLoan, deliver, envelope, fen, fundOf, fundRow, ledgerLines, outboxRows, replay, riskSchema, riskServices,
  ZHANGZHOU, type RiskServices,
} from './support/risk-kit';

const BANK = 'bank-icbc-zz';
const LOSS = '12345.67';
// 80 % of 12 345.67 = 9 876.536 → 9 876.54 (half-up), the bank bears 2 469.13.
const SHARE = fen('9876.54');

let db: TestSchema & { pooled: DataSource };
let svc: RiskServices;
let pooled: RiskServices;
const clock = fixedClock('2025-06-01T02:00:00Z');

const loanRef = (n: number) => `RACE-${String(n).padStart(3, '0')}`;

async function coveredDefaultedLoans(from: number, to: number): Promise<void> {
  const events = [];
  for (let n = from; n <= to; n++) events.push(...defaultedLoan({ bank: BANK, loanRef: loanRef(n) }, 1000 + n, LOSS));
  await deliver(db.dataSource, db.schema, svc.consumer, events.map(envelope));
}

async function fileClaims(from: number, to: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = from; n <= to; n++) {
    const claim = await svc.claims.file(bankOf(BANK), { loanRef: loanRef(n), principalLoss: LOSS, defaultedOn: '2025-05-20' });
    ids.push(claim.id);
  }
  return ids;
}

async function claimStates(): Promise<{ id: string; status: string; approval_sequence: number | null }[]> {
  return db.dataSource.query('select id, status, approval_sequence from claims where region = $1 order by approval_sequence nulls last', [ZHANGZHOU]);
}

async function expectLedgerSound(): Promise<void> {
  const lines = await ledgerLines(db.dataSource, ZHANGZHOU);
  const steps = replay(lines);
  for (const step of steps) {
    expect(step.balance >= 0n).toBe(true);
    expect(step.capital).toBe(step.balance + step.paidOut - step.recovered);
  }
  const row = await fundRow(db.dataSource, ZHANGZHOU);
  expect(steps[steps.length - 1]).toEqual({ capital: row.capital, balance: row.balance, paidOut: row.paidOut, recovered: row.recovered });
  // Payout entries name their claims in strictly increasing approval order.
  const sequences: { approval_sequence: number }[] = await db.dataSource.query(
    `select c.approval_sequence from ledger_entries e join claims c on c.id::text = e.reference
      where e.region = $1 and e.kind = 'payout' order by e.entry_id`,
    [ZHANGZHOU],
  );
  const order = sequences.map((s) => s.approval_sequence);
  expect(order).toEqual([...order].sort((a, b) => a - b));
}

beforeAll(async () => {
  db = await riskSchema('risk_race', 60);
  svc = riskServices(db.dataSource, db.schema, clock);
  pooled = riskServices(db.pooled, db.schema, clock);
  await svc.policies.seed();
});

afterAll(async () => {
  await db?.drop();
});

describe('50 approvals racing against a balance that covers 10', () => {
  let claimIds: string[];

  beforeAll(async () => {
    await coveredDefaultedLoans(1, 50);
    claimIds = await fileClaims(1, 50);
    // Ten shares and a remainder too small for an eleventh.
    await svc.funds.contribute(fundOf(ZHANGZHOU), ZHANGZHOU, { amount: '103765.40', receivedOn: '2025-05-31' });
  });

  it('pays exactly the first 10 in approval order; the other 40 wait', async () => {
    const results = await Promise.all(claimIds.map((id) => pooled.claims.approve(fundOf(ZHANGZHOU), id)));

    const sequences = results.map((r) => r.approvalSequence).sort((a, b) => a! - b!);
    expect(sequences).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    for (const r of results) {
      expect(r.status).toBe(r.approvalSequence! <= 10 ? 'paid' : 'waiting');
      expect(r).toMatchObject({ fundShare: '9876.54', bankShare: '2469.13', fundSharePercent: '80' });
    }
    const states = await claimStates();
    expect(states.filter((c) => c.status === 'paid').map((c) => c.approval_sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(states.filter((c) => c.status === 'waiting')).toHaveLength(40);

    const fund = await fundRow(db.dataSource, ZHANGZHOU);
    expect(fund).toEqual({ capital: fen('103765.40'), balance: fen('5000.00'), paidOut: 10n * SHARE, recovered: 0n, lastApprovalSequence: 50 });
    expect(await svc.funds.summary(fundOf(ZHANGZHOU), ZHANGZHOU)).toMatchObject({
      capital: '103765.40', paidOut: '98765.40', recoveredToFund: '0.00', balance: '5000.00', pendingPayouts: '395061.60',
    });
    await expectLedgerSound();

    const paidEvents = await outboxRows(db.dataSource, 'ClaimPaid');
    expect(paidEvents.map((e) => e.payload.approvalSequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(paidEvents.every((e) => e.key === ZHANGZHOU && e.payload.fundShare === '9876.54' && e.payload.paidOn === '2025-06-01')).toBe(true);
    expect(await outboxRows(db.dataSource, 'ClaimApproved')).toHaveLength(50);
  });

  it('keeps the order and the balance when approvals and contributions race together', async () => {
    await coveredDefaultedLoans(51, 70);
    const newClaims = await fileClaims(51, 70);
    const approvals = newClaims.map((id) => pooled.claims.approve(fundOf(ZHANGZHOU), id));
    const contributions = Array.from({ length: 25 }, (_, i) =>
      pooled.funds.contribute(fundOf(ZHANGZHOU), ZHANGZHOU, { amount: '5000.00', receivedOn: `2025-05-${String(i + 1).padStart(2, '0')}` }),
    );
    const settled = await Promise.allSettled([...approvals, ...contributions]);
    expect(settled.filter((s) => s.status === 'rejected')).toEqual([]);

    // 5 000.00 left + 25 × 5 000.00 = 130 000.00 pays 13 more shares (128 395.02), 1 604.98 remains.
    const states = await claimStates();
    const paid = states.filter((c) => c.status === 'paid').map((c) => c.approval_sequence);
    expect(paid).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    const waiting = states.filter((c) => c.status === 'waiting').map((c) => c.approval_sequence);
    expect(waiting).toEqual(Array.from({ length: 47 }, (_, i) => i + 24));

    const fund = await fundRow(db.dataSource, ZHANGZHOU);
    expect(fund.balance).toBe(fen('1604.98'));
    expect(fund.paidOut).toBe(23n * SHARE);
    expect(fund.capital).toBe(fund.balance + fund.paidOut - fund.recovered);
    await expectLedgerSound();
    const summary = await svc.funds.summary(fundOf(ZHANGZHOU), ZHANGZHOU);
    expect(summary.pendingPayouts).toBe('464197.38'); // 47 × 9 876.54
  });

  it('refuses a ledger write that would take the balance below zero, in the database itself', async () => {
    await expect(db.dataSource.query('update funds set balance_fen = -1, capital_fen = capital_fen - balance_fen - 1 where region = $1', [ZHANGZHOU]))
      .rejects.toThrow(/funds_balance_never_negative/);
    await expect(db.dataSource.query('update ledger_lines set amount_fen = 1')).rejects.toThrow(/append-only/);
  });
});
