/**
 * A risk-compensation claim end to end through http://localhost:3000: a bank reports a covered
 * Zhangzhou loan and its default to pledge-loans; the events travel ipfin.loans.v1 → the fund's
 * coverage view; the fund adds capital; the bank claims an odd-fen loss; the fund approves; the
 * claim is paid 80/20 to the fen and the fund's ledger shows it.
 */
import { api, eventually, token } from './support/client';
import { COOPERATING_BANK, coveredDefaultedLoan, plus, ZHANGZHOU } from './risk-fixtures';

const bank = token('bank', COOPERATING_BANK, ZHANGZHOU);
const fund = token('fund', 'zz-risk-fund', ZHANGZHOU);
const otherFund = token('fund', 'qz-risk-fund', '350500');

const LOAN = 'ZZ-RC-2025-0001';
const LOSS = '123456.79';

describe('a covered loan defaults, the bank claims, the fund pays 80/20', () => {
  let claimId: string;
  let before: { capital: string; paidOut: string; recoveredToFund: string; balance: string; pendingPayouts: string };

  it('reports the loan and its default to pledge-loans', async () => {
    const res = await api('POST', '/v1/loan-events', {
      token: bank,
      body: coveredDefaultedLoan({ loanRef: LOAN, serial: 880001, principal: '2000000.00', loss: LOSS, registeredOn: '2025-01-15', defaultedOn: '2025-09-30' }),
    });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
  });

  it('shows the loan covered by the Zhangzhou fund, with the reported loss', async () => {
    const coverage = await eventually(
      () => api('GET', `/v1/claims/coverage/${COOPERATING_BANK}/${LOAN}`, { token: bank }),
      (r) => r.status === 200 && r.body.status === 'defaulted',
    );
    expect(coverage.status).toBe(200);
    expect(coverage.body).toMatchObject({
      bank: COOPERATING_BANK, loanRef: LOAN, covered: true, reasons: [], region: ZHANGZHOU, policyVersion: '2024-02-02',
      registeredOn: '2025-01-15', principal: '2000000.00', reportedLoss: LOSS, defaultedOn: '2025-09-30',
    });
    expect((await api('GET', `/v1/claims/coverage/${COOPERATING_BANK}/${LOAN}`, { token: otherFund })).status).toBe(404);
  });

  it('lets the fund add capital', async () => {
    const summary = await api('GET', `/v1/funds/${ZHANGZHOU}`, { token: fund });
    expect(summary.status).toBe(200);
    before = summary.body;
    const res = await api('POST', `/v1/funds/${ZHANGZHOU}/contributions`, {
      token: fund, body: { amount: '1000000.00', receivedOn: '2025-10-08' }, headers: { 'Idempotency-Key': `capital-${LOAN}` },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ region: ZHANGZHOU, amount: '1000000.00', receivedOn: '2025-10-08' });
    expect(res.body.fund.capital).toBe(plus(before.capital, '1000000.00'));
  });

  it('takes the bank’s claim for the odd-fen loss', async () => {
    const res = await api('POST', '/v1/claims', {
      token: bank, body: { loanRef: LOAN, principalLoss: LOSS, defaultedOn: '2025-09-30', evidence: ['(2025)闽0602民初880001号判决书'] },
      headers: { 'Idempotency-Key': `claim-${LOAN}` },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'filed', region: ZHANGZHOU, bank: COOPERATING_BANK, loanRef: LOAN, principalLoss: LOSS, policyVersion: '2024-02-02' });
    claimId = res.body.id;
    const bankCannotApprove = await api('POST', `/v1/claims/${claimId}/approve`, { token: bank });
    expect(bankCannotApprove.status).toBe(403);
  });

  it('pays the approved claim with the exact 80/20 split', async () => {
    const res = await api('POST', `/v1/claims/${claimId}/approve`, { token: fund });
    expect(res.status).toBe(200);
    // 123 456.79 × 80 % = 98 765.432 → 98 765.43 (half-up to the fen); the bank bears 24 691.36.
    expect(res.body).toMatchObject({ id: claimId, status: 'paid', fundSharePercent: '80', fundShare: '98765.43', bankShare: '24691.36', capped: false });
    expect(plus(res.body.fundShare, res.body.bankShare)).toBe(LOSS);
    expect(res.body.paidOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const mine = await api('GET', '/v1/claims?status=paid', { token: bank });
    expect(mine.body.items.map((c: { id: string }) => c.id)).toContain(claimId);
    const regions = await api('GET', '/v1/claims?status=paid', { token: fund });
    expect(regions.body.items.find((c: { id: string }) => c.id === claimId)).toMatchObject({ fundShare: '98765.43', bankShare: '24691.36' });
  });

  it('shows the ledger figures of the Zhangzhou fund', async () => {
    const res = await api('GET', `/v1/funds/${ZHANGZHOU}`, { token: fund });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      region: ZHANGZHOU,
      capital: plus(before.capital, '1000000.00'),
      paidOut: plus(before.paidOut, '98765.43'),
      recoveredToFund: before.recoveredToFund,
      balance: plus(before.balance, '901234.57'),
      pendingPayouts: before.pendingPayouts,
    });
  });
});
