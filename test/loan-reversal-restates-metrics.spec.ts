/**
 * A bank reverses a wrongly reported event; every figure the regulator sees restates,
 * distinct SME counts included.
 */
import { api, eventually, token } from './support/client';
import { borrower, event, patent, registration, DONGSHAN, ZHANGZHOU } from './fixtures';

const bank = token('bank', 'bank-boc-zz', ZHANGZHOU);
const regulator = token('regulator', 'zz-ip-office', ZHANGZHOU);
const byBank = async () => {
  const report = (await api('GET', `/v1/metrics/financing?region=${ZHANGZHOU}&year=2025&groupBy=bank`, { token: regulator })).body;
  return report.rows.find((r: { key: string }) => r.key === 'bank-boc-zz');
};

describe('reversals restate the regulator figures', () => {
  it('undoes a disbursement after repayments, then a whole registration', async () => {
    const b = borrower(501, 'micro', DONGSHAN); // Dongshan county belongs to this file alone
    const post = await api('POST', '/v1/loan-events', {
      token: bank,
      body: [
        registration('boc-1', 'BOC-2025-1', '2025-01-10', { borrower: b, principal: '800000.00', patents: [patent(501501, 2021)] }),
        event('boc-2', 'LoanDisbursed', 'BOC-2025-1', '2025-01-12', { amount: '500000.00' }),
        event('boc-3', 'LoanDisbursed', 'BOC-2025-1', '2025-02-12', { amount: '300000.00' }),
        event('boc-4', 'RepaymentReceived', 'BOC-2025-1', '2025-03-12', { principal: '100000.00', interest: '2566.67' }),
      ],
    });
    expect(post.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
    const before = await eventually(byBank, (r) => r?.disbursed === '800000.00' && r?.outstanding === '700000.00');
    expect(before).toMatchObject({ loans: 1, contracted: '800000.00', disbursed: '800000.00', outstanding: '700000.00', smesServed: 1 });

    const reverseTranche = await api('POST', '/v1/loan-events', {
      token: bank, body: [event('boc-5', 'EventReversed', 'BOC-2025-1', '2025-03-20', { reversedEventId: 'boc-3' })],
    });
    expect(reverseTranche.body.results[0].status).toBe('accepted');
    const afterTranche = await eventually(byBank, (r) => r?.disbursed === '500000.00');
    expect(afterTranche).toMatchObject({ loans: 1, disbursed: '500000.00', outstanding: '400000.00', smesServed: 1 });

    // Reversing the registration needs every later event reversed first.
    const tooEarly = await api('POST', '/v1/loan-events', {
      token: bank, body: [event('boc-6', 'EventReversed', 'BOC-2025-1', '2025-03-21', { reversedEventId: 'boc-1' })],
    });
    expect(tooEarly.body.results[0]).toMatchObject({ status: 'rejected', problem: { type: expect.stringContaining('reversal-breaks-history') } });

    const unwind = await api('POST', '/v1/loan-events', {
      token: bank,
      body: [
        event('boc-7', 'EventReversed', 'BOC-2025-1', '2025-03-21', { reversedEventId: 'boc-4' }),
        event('boc-8', 'EventReversed', 'BOC-2025-1', '2025-03-21', { reversedEventId: 'boc-2' }),
        event('boc-9', 'EventReversed', 'BOC-2025-1', '2025-03-21', { reversedEventId: 'boc-1' }),
      ],
    });
    expect(unwind.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    const gone = await eventually(byBank, (r) => r === undefined || r.loans === 0);
    expect(gone === undefined || (gone.loans === 0 && gone.smesServed === 0 && gone.contracted === '0.00')).toBe(true);
    expect((await api('GET', '/v1/loans/BOC-2025-1', { token: bank })).status).toBe(404);

    const totals = (await api('GET', `/v1/metrics/financing?region=${DONGSHAN}&year=2025`, { token: regulator })).body.totals;
    expect(totals).toMatchObject({ loans: 0, contracted: '0.00', disbursed: '0.00', outstanding: '0.00', smesServed: 0 });
  });
});
