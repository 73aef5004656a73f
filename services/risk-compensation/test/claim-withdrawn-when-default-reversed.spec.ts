/**
 * audit F1, through the real loan-events consumer (inbox transaction) and the real payout, against
 * PostgreSQL: a claim approved on an empty fund waits; the bank reverses the loan's default; the
 * consumer withdraws the claim (`rejected`, reason `default-reversed: …`, `ClaimRejected`) under
 * the fund row lock, so capital arriving later pays nothing for it. Controls: a claim whose default
 * stands — also when another default of its loan is reversed — is paid in approval order; and a
 * reversal racing payouts never lets both win.
 */
import { fixedClock } from '@ipfin/kernel';
import type { TestSchema } from '@ipfin/testing';
import type { DataSource } from 'typeorm';
import {
  bankOf, defaulted, defaultedLoan, deliver, envelope, fen, fundOf, fundRow, ledgerLines, outboxRows, replay, reversed,
  riskSchema, riskServices, ZHANGZHOU, type LoanEvent, type RiskServices,
} from './support/risk-kit';

const BANK = 'bank-cib-zz';
const FUND = fundOf(ZHANGZHOU);
const clock = fixedClock('2025-06-10T03:00:00Z');
let db: TestSchema & { pooled: DataSource };
let svc: RiskServices;

const ref = (loanRef: string) => ({ bank: BANK, loanRef });
const file = (loanRef: string, principalLoss: string) =>
  svc.claims.file(bankOf(BANK), { loanRef, principalLoss, defaultedOn: '2025-05-20' });
const feed = (events: readonly LoanEvent[], on: RiskServices = svc) => deliver(on.ds, db.schema, on.consumer, events.map(envelope));

async function claimRow(id: string): Promise<{ status: string; approval_sequence: number | null; rejection_reason: string | null }> {
  const [row] = await db.dataSource.query('select status, approval_sequence, rejection_reason from claims where id = $1', [id]);
  return row;
}

describe('a waiting claim whose default is reversed', () => {
  beforeAll(async () => {
    db = await riskSchema('risk_withdraw');
    svc = riskServices(db.dataSource, db.schema, clock);
    await svc.policies.seed();
  });

  afterAll(async () => {
    await db?.drop();
  });


  // Loan 1: its only default will be reversed. Loan 2: the control, its default stands. Loan 3: two
  // defaults; the one the claim does not need is reversed.
  const loan1 = defaultedLoan(ref('ZZ-R-1'), 31, '300000.00');
  const loan2 = defaultedLoan(ref('ZZ-R-2'), 32, '10000.00');
  const loan3 = defaultedLoan(ref('ZZ-R-3'), 33, '20000.00');
  const loan3Extra = defaulted(ref('ZZ-R-3'), 'ZZ-R-3-def2', '2025-05-25', '5000.00');
  const reversal1 = envelope(reversed(loan1[2], 'ZZ-R-1-rev', '2025-06-09'));
  let first: string;
  let second: string;
  let third: string;

  beforeAll(async () => {
    await feed([...loan1, ...loan2, ...loan3, loan3Extra]);
  });

  it('waits on an empty fund once approved, with the control claims behind it', async () => {
    first = (await file('ZZ-R-1', '300000.00')).id;
    second = (await file('ZZ-R-2', '10000.00')).id;
    third = (await file('ZZ-R-3', '20000.00')).id;
    expect(await svc.claims.approve(FUND, first)).toMatchObject({ status: 'waiting', approvalSequence: 1, fundShare: '240000.00' });
    expect(await svc.claims.approve(FUND, second)).toMatchObject({ status: 'waiting', approvalSequence: 2, fundShare: '8000.00' });
    expect(await svc.claims.approve(FUND, third)).toMatchObject({ status: 'waiting', approvalSequence: 3, fundShare: '16000.00' });
    expect(await svc.funds.summary(FUND, ZHANGZHOU)).toMatchObject({ balance: '0.00', pendingPayouts: '264000.00' });
  });

  it('is withdrawn by the reversal: rejected as default-reversed, ClaimRejected published, out of the queue', async () => {
    const before = (await outboxRows(db.dataSource)).length;
    // The same batch reverses loan 3's extra default: 20 000.00 is still reported, its claim keeps waiting.
    await deliver(db.dataSource, db.schema, svc.consumer, [reversal1, envelope(reversed(loan3Extra, 'ZZ-R-3-rev', '2025-06-09'))]);

    const withdrawn = await svc.claims.get(bankOf(BANK), first);
    expect(withdrawn).toMatchObject({ status: 'rejected', rejectedOn: '2025-06-10', principalLoss: '300000.00', defaultedOn: '2025-05-20' });
    expect(withdrawn.rejectionReason).toMatch(/^default-reversed: The loan events of ZZ-R-1 no longer report a principal loss/);
    expect(withdrawn.approvalSequence).toBeUndefined();
    expect(withdrawn.fundShare).toBeUndefined();
    expect(await svc.claims.get(FUND, third)).toMatchObject({ status: 'waiting', approvalSequence: 3 });

    const events = (await outboxRows(db.dataSource)).slice(before);
    expect(events.map((e) => [e.ce_type, e.key, e.payload.claimId])).toEqual([['ipfin.risk.ClaimRejected.v1', ZHANGZHOU, first]]);
    expect(events[0].payload).toEqual({
      region: ZHANGZHOU, claimId: first, bank: BANK, loanRef: 'ZZ-R-1', reason: withdrawn.rejectionReason, rejectedOn: '2025-06-10',
    });
    expect(await svc.funds.summary(FUND, ZHANGZHOU)).toMatchObject({ balance: '0.00', pendingPayouts: '24000.00' });
  });

  it('is not paid when capital arrives; the control claims are, in approval order', async () => {
    const contribution = await svc.funds.contribute(FUND, ZHANGZHOU, { amount: '300000.00', receivedOn: '2025-06-10' });
    expect(contribution.paidClaims).toEqual([second, third]);
    expect(contribution.fund).toEqual({
      region: ZHANGZHOU, capital: '300000.00', paidOut: '24000.00', recoveredToFund: '0.00', balance: '276000.00', pendingPayouts: '0.00',
    });
    expect((await svc.claims.get(FUND, first)).status).toBe('rejected');
    const paid = await outboxRows(db.dataSource, 'ClaimPaid');
    expect(paid.map((e) => e.payload.claimId)).toEqual([second, third]);
    const payouts = (await ledgerLines(db.dataSource, ZHANGZHOU)).filter((l) => l.kind === 'payout').map((l) => l.reference);
    expect(payouts).not.toContain(first);
    const row = await fundRow(db.dataSource, ZHANGZHOU);
    expect(row.capital).toBe(row.balance + row.paidOut - row.recovered);
    expect(replay(await ledgerLines(db.dataSource, ZHANGZHOU)).at(-1)).toMatchObject({ balance: fen('276000.00') });
    // The sequence it held is not given again.
    expect(row.lastApprovalSequence).toBe(3);
  });

  it('changes nothing when the reversal is delivered again, and leaves a paid claim paid', async () => {
    const before = (await outboxRows(db.dataSource)).length;
    expect(await deliver(db.dataSource, db.schema, svc.consumer, [reversal1])).toBe(0);
    // Even handed to the handler again (past the inbox), the withdrawn claim is not withdrawn twice.
    await db.dataSource.transaction((m) => svc.consumer.handle([reversal1], m));
    // Loan 2's default reversed after its claim was paid: the money moved; the claim stays paid.
    await feed([reversed(loan2[2], 'ZZ-R-2-rev', '2025-06-10')]);
    expect(await svc.claims.get(FUND, second)).toMatchObject({ status: 'paid', paidOn: '2025-06-10' });
    expect((await outboxRows(db.dataSource)).length).toBe(before);
  });

  it('lets the fund still approve nothing for the reversed loan, and the bank file again only for a reported loss', async () => {
    expect(await svc.claims.coverage(bankOf(BANK), BANK, 'ZZ-R-1')).toMatchObject({ status: 'disbursed', reportedLoss: '0.00' });
    await expect(file('ZZ-R-1', '300000.00')).rejects.toMatchObject({ code: 'loan-not-defaulted' });
  });
});

describe('a reversal racing payouts', () => {
  let pooled: RiskServices;

  beforeAll(async () => {
    db = await riskSchema('risk_withdraw_race', 20);
    svc = riskServices(db.dataSource, db.schema, clock);
    pooled = riskServices(db.pooled, db.schema, clock);
    await svc.policies.seed();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('never lets both win: each claim is either paid before the reversal or withdrawn unpaid', async () => {
    const n = 8;
    const refs = Array.from({ length: n }, (_, i) => ref(`ZZ-RACE-${i}`));
    const loans = refs.map((r, i) => defaultedLoan(r, 60 + i, '1000.00'));
    await feed(loans.flat());
    const region = ZHANGZHOU;
    const ids: string[] = [];
    for (const r of refs) ids.push((await file(r.loanRef, '1000.00')).id);
    for (const id of ids) expect((await svc.claims.approve(FUND, id)).status).toBe('waiting');
    const paidBefore = (await fundRow(db.dataSource, region)).paidOut;

    // Each loan's default is reversed while contributions, each covering one claim, arrive at once.
    await Promise.all([
      ...loans.map((events, i) => feed([reversed(events[2], `ZZ-RACE-${i}-rev`, '2025-06-10')], pooled)),
      ...Array.from({ length: n }, (_, i) =>
        pooled.funds.contribute(FUND, region, { amount: '800.00', receivedOn: `2025-06-0${1 + (i % 9)}` }),
      ),
    ]);

    const states = await Promise.all(ids.map(claimRow));
    expect(states.every((s) => s.status === 'paid' || s.status === 'rejected')).toBe(true);
    const paidIds = ids.filter((_, i) => states[i].status === 'paid');
    const rejectedIds = ids.filter((_, i) => states[i].status === 'rejected');
    for (const i of ids.keys()) if (states[i].status === 'rejected') expect(states[i].rejection_reason).toMatch(/^default-reversed: /);

    // Exactly one outcome per claim, in the outbox and in the ledger.
    const paidEvents = (await outboxRows(db.dataSource, 'ClaimPaid')).map((e) => e.payload.claimId).filter((id) => ids.includes(id));
    const rejectedEvents = (await outboxRows(db.dataSource, 'ClaimRejected')).map((e) => e.payload.claimId).filter((id) => ids.includes(id));
    expect(paidEvents.sort()).toEqual([...paidIds].sort());
    expect(rejectedEvents.sort()).toEqual([...rejectedIds].sort());
    const row = await fundRow(db.dataSource, region);
    expect(row.paidOut - paidBefore).toBe(BigInt(paidIds.length) * fen('800.00'));
    expect(row.capital).toBe(row.balance + row.paidOut - row.recovered);
    const payoutRefs = (await ledgerLines(db.dataSource, region)).filter((l) => l.kind === 'payout' && l.side === 'debit').map((l) => l.reference);
    for (const id of rejectedIds) expect(payoutRefs).not.toContain(id);
    expect(await svc.funds.summary(FUND, region)).toMatchObject({ pendingPayouts: '0.00' });
  });
});
