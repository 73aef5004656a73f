/**
 * Claims through the service layer and the real PostgreSQL: an approval the balance cannot cover
 * waits, a later smaller one never overtakes it, capital pays both in approval order; a recovery
 * returns the fund's part and pays the next waiting claim; rejection lets the bank file again.
 */
import { fixedClock, isDomainError } from '@ipfin/kernel';
import type { TestSchema } from '@ipfin/testing';
import type { DataSource } from 'typeorm';
import {
  bankOf, defaultedLoan, deliver, envelope, fen, fundOf, fundRow, ledgerLines, outboxRows, replay, riskSchema, riskServices,
  ZHANGZHOU, type RiskServices,
} from './support/risk-kit';

const BANK = 'bank-cib-zz';
const FUND = fundOf(ZHANGZHOU);
let db: TestSchema & { pooled: DataSource };
let svc: RiskServices;
const clock = fixedClock('2025-06-10T03:00:00Z');

async function refusal(promise: Promise<unknown>): Promise<{ code: string; kind: string; detail: string }> {
  try {
    await promise;
  } catch (error: unknown) {
    if (isDomainError(error)) return { code: error.code, kind: error.kind, detail: error.detail };
    throw error;
  }
  throw new Error('expected a refusal');
}

const file = (loanRef: string, principalLoss: string) =>
  svc.claims.file(bankOf(BANK), { loanRef, principalLoss, defaultedOn: '2025-05-20', evidence: ['(2025)闽0602民初123号判决书'] });

beforeAll(async () => {
  db = await riskSchema('risk_wait');
  svc = riskServices(db.dataSource, db.schema, clock);
  await svc.policies.seed();
  const events = [
    ...defaultedLoan({ bank: BANK, loanRef: 'ZZ-W-1' }, 11, '123456.79'),
    ...defaultedLoan({ bank: BANK, loanRef: 'ZZ-W-2' }, 12, '1000.00'),
    ...defaultedLoan({ bank: BANK, loanRef: 'ZZ-W-3' }, 13, '20000.00'),
    ...defaultedLoan({ bank: BANK, loanRef: 'ZZ-W-4' }, 14, '5000.00'),
  ];
  await deliver(db.dataSource, db.schema, svc.consumer, events.map(envelope));
});

afterAll(async () => {
  await db?.drop();
});

describe('an approved claim waits for capital, in approval order', () => {
  let first: string;
  let second: string;

  it('approves an odd-fen loss with the exact 80/20 split and lets it wait on an empty fund', async () => {
    const filed = await file('ZZ-W-1', '123456.79');
    expect(filed).toMatchObject({ status: 'filed', region: ZHANGZHOU, bank: BANK, filedOn: '2025-06-10', policyVersion: '2024-02-02' });
    first = filed.id;
    const approved = await svc.claims.approve(FUND, first);
    // 123 456.79 × 80 % = 98 765.432 → 98 765.43; the bank bears the remaining 24 691.36.
    expect(approved).toMatchObject({ status: 'waiting', fundShare: '98765.43', bankShare: '24691.36', approvalSequence: 1, approvedOn: '2025-06-10', capped: false });
    expect(await svc.funds.summary(FUND, ZHANGZHOU)).toMatchObject({ capital: '0.00', balance: '0.00', pendingPayouts: '98765.43' });
  });

  it('never lets a later, smaller claim overtake the waiting one', async () => {
    second = (await file('ZZ-W-2', '1000.00')).id;
    expect(await svc.claims.approve(FUND, second)).toMatchObject({ status: 'waiting', fundShare: '800.00', approvalSequence: 2 });
    const partial = await svc.funds.contribute(FUND, ZHANGZHOU, { amount: '50000.00', receivedOn: '2025-06-09' });
    expect(partial.paidClaims).toEqual([]);
    expect(partial.fund).toMatchObject({ capital: '50000.00', balance: '50000.00', paidOut: '0.00', pendingPayouts: '99565.43' });
    expect((await svc.claims.get(bankOf(BANK), second)).status).toBe('waiting');
  });

  it('pays both, first to last, when capital arrives', async () => {
    const more = await svc.funds.contribute(FUND, ZHANGZHOU, { amount: '60000.00', receivedOn: '2025-06-10' });
    expect(more.paidClaims).toEqual([first, second]);
    expect(more.fund).toEqual({ region: ZHANGZHOU, capital: '110000.00', paidOut: '99565.43', recoveredToFund: '0.00', balance: '10434.57', pendingPayouts: '0.00' });
    expect(await svc.claims.get(FUND, first)).toMatchObject({ status: 'paid', paidOn: '2025-06-10', recoveredToFund: '0.00' });
    const paid = await outboxRows(db.dataSource, 'ClaimPaid');
    expect(paid.map((e) => [e.payload.claimId, e.payload.fundShare])).toEqual([[first, '98765.43'], [second, '800.00']]);
  });

  it('shares a recovery 80/20 and lets the fund part pay the next waiting claim', async () => {
    const third = (await file('ZZ-W-3', '20000.00')).id;
    expect(await svc.claims.approve(FUND, third)).toMatchObject({ status: 'waiting', fundShare: '16000.00', approvalSequence: 3 });

    expect(await refusal(svc.claims.recover(bankOf(BANK), third, { amount: '100.00', recoveredOn: '2025-06-10' }))).toMatchObject({ code: 'claim-not-paid', kind: 'rule' });
    expect(await refusal(svc.claims.recover(bankOf(BANK), first, { amount: '100.00', recoveredOn: '2025-06-01' }))).toMatchObject({ code: 'recovery-before-payout' });
    expect(await refusal(svc.claims.recover(bankOf('bank-abc-zz'), first, { amount: '100.00', recoveredOn: '2025-06-10' }))).toMatchObject({ code: 'claim-not-found', kind: 'not-found' });

    const recovery = await svc.claims.recover(bankOf(BANK), first, { amount: '10000.01', recoveredOn: '2025-06-10' });
    // 10 000.01 × 80 % = 8 000.008 → 8 000.01 back to the fund; 2 000.00 stays with the bank.
    expect(recovery).toMatchObject({ fundPart: '8000.01', bankPart: '2000.00', capped: false, paidClaims: [third] });
    expect(recovery.claim).toMatchObject({ status: 'paid', recoveredToFund: '8000.01', recoveredToBank: '2000.00' });
    const fund = await svc.funds.summary(FUND, ZHANGZHOU);
    expect(fund).toMatchObject({ capital: '110000.00', paidOut: '115565.43', recoveredToFund: '8000.01', balance: '2434.58', pendingPayouts: '0.00' });

    const row = await fundRow(db.dataSource, ZHANGZHOU);
    expect(row.capital).toBe(row.balance + row.paidOut - row.recovered);
    const steps = replay(await ledgerLines(db.dataSource, ZHANGZHOU));
    expect(steps.map((s) => s.balance)).toEqual([fen('50000.00'), fen('110000.00'), fen('11234.57'), fen('10434.57'), fen('18434.58'), fen('2434.58')]);
    const shared = await outboxRows(db.dataSource, 'RecoveryShared');
    expect(shared.map((e) => e.payload)).toEqual([expect.objectContaining({ claimId: first, amount: '10000.01', fundPart: '8000.01', bankPart: '2000.00' })]);
  });
});

describe('rejection and re-filing', () => {
  it('rejects a filed claim with a reason, refuses to approve it, and accepts a new claim for the loan', async () => {
    const claim = await file('ZZ-W-4', '5000.00');
    expect(await refusal(file('ZZ-W-4', '5000.00'))).toMatchObject({ code: 'claim-already-open', kind: 'conflict' });
    const rejected = await svc.claims.reject(FUND, claim.id, '缺少法院判决书');
    expect(rejected).toMatchObject({ status: 'rejected', rejectionReason: '缺少法院判决书', rejectedOn: '2025-06-10' });
    expect(await refusal(svc.claims.approve(FUND, claim.id))).toMatchObject({ code: 'claim-not-filed', kind: 'conflict' });
    expect(await refusal(svc.claims.reject(FUND, claim.id, 'again'))).toMatchObject({ code: 'claim-not-filed' });
    const again = await file('ZZ-W-4', '4000.00');
    expect(again).toMatchObject({ status: 'filed', principalLoss: '4000.00' });
    const [rejectedEvent] = await outboxRows(db.dataSource, 'ClaimRejected');
    expect(rejectedEvent.payload).toMatchObject({ claimId: claim.id, reason: '缺少法院判决书', region: ZHANGZHOU });
  });

  it('refuses a claim above the reported loss, or with another default date, naming every reason', async () => {
    await svc.claims.reject(FUND, (await svc.claims.list(bankOf(BANK), { status: 'filed' })).items[0].id, 'redo');
    const wrong = await refusal(svc.claims.file(bankOf(BANK), { loanRef: 'ZZ-W-4', principalLoss: '5000.01', defaultedOn: '2025-05-21' }));
    expect(wrong.code).toBe('default-date-mismatch');
    expect(wrong.detail).toContain('5000.01');
    expect(await refusal(svc.claims.file(bankOf(BANK), { loanRef: 'NO-SUCH', principalLoss: '1.00', defaultedOn: '2025-05-20' }))).toMatchObject({ code: 'unknown-loan', kind: 'not-found' });
  });

  it('lists claims by status in filing order, page by page', async () => {
    const all = await svc.claims.list(bankOf(BANK), { limit: 2 });
    expect(all.items).toHaveLength(2);
    expect(all.nextCursor).not.toBeNull();
    const rest = await svc.claims.list(bankOf(BANK), { limit: 500, cursor: all.nextCursor! });
    expect([...all.items, ...rest.items].map((c) => c.loanRef)).toEqual(['ZZ-W-1', 'ZZ-W-2', 'ZZ-W-3', 'ZZ-W-4', 'ZZ-W-4']);
    expect(rest.nextCursor).toBeNull();
    const paid = await svc.claims.list(FUND, { status: 'paid' });
    expect(paid.items.map((c) => c.loanRef)).toEqual(['ZZ-W-1', 'ZZ-W-2', 'ZZ-W-3']);
    expect(await refusal(svc.claims.list(FUND, { cursor: 'garbage' }))).toMatchObject({ kind: 'validation' });
  });
});
