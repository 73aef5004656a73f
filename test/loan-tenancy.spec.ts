/** A bank sees and changes only its own loans; a regulator reads its region's but never writes. */
import { api, token } from './support/client';
import { borrower, event, patent, registration, XIANGCHENG, ZHANGZHOU } from './fixtures';

const bankA = token('bank', 'bank-a-zz', ZHANGZHOU);
const bankB = token('bank', 'bank-b-zz', ZHANGZHOU);
const regulator = token('regulator', 'zz-ip-office', ZHANGZHOU);
const quanzhouRegulator = token('regulator', 'qz-ip-office', '350500');

beforeAll(async () => {
  const res = await api('POST', '/v1/loan-events', {
    token: bankA,
    body: [registration('a-1', 'SHARED-REF-1', '2024-06-01', { borrower: borrower(601, 'small', XIANGCHENG), principal: '300000.00', patents: [patent(601601)] })],
  });
  expect(res.body.results[0].status).toBe('accepted');
});

describe('tenancy of loans', () => {
  it("bank B cannot read bank A's loan (404, existence not revealed)", async () => {
    expect((await api('GET', '/v1/loans/SHARED-REF-1', { token: bankA })).status).toBe(200);
    const res = await api('GET', '/v1/loans/SHARED-REF-1', { token: bankB });
    expect(res.status).toBe(404);
    expect(res.contentType).toContain('application/problem+json');
  });

  it("bank B's list does not contain bank A's loans", async () => {
    const list = await api('GET', '/v1/loans', { token: bankB });
    expect(list.status).toBe(200);
    expect(list.body.items.map((l: { loanRef: string }) => l.loanRef)).not.toContain('SHARED-REF-1');
    const own = await api('GET', '/v1/loans', { token: bankA });
    expect(own.body.items.map((l: { loanRef: string }) => l.loanRef)).toContain('SHARED-REF-1');
  });

  it("bank B's events under the same loanRef touch only its own (unknown) loan", async () => {
    const res = await api('POST', '/v1/loan-events', {
      token: bankB, body: [event('b-1', 'LoanDisbursed', 'SHARED-REF-1', '2024-06-02', { amount: '1.00' })],
    });
    expect(res.body.results[0]).toMatchObject({ status: 'rejected', problem: { type: expect.stringContaining('unknown-loan') } });
    const a = await api('GET', '/v1/loans/SHARED-REF-1', { token: bankA });
    expect(a.body.disbursed).toBe('0.00');
  });

  it("a right pledged by bank A's loan cannot be pledged by bank B", async () => {
    const res = await api('POST', '/v1/loan-events', {
      token: bankB,
      body: [registration('b-2', 'B-REF-2', '2024-06-03', { borrower: borrower(602), principal: '1.00', patents: [patent(601601)] })],
    });
    expect(res.body.results[0]).toMatchObject({ status: 'rejected', problem: { type: expect.stringContaining('right-already-pledged') } });
    expect(JSON.stringify(res.body)).not.toContain('SHARED-REF-1');
  });

  it('a regulator reads loans of its region, never another region, and cannot write', async () => {
    const read = await api('GET', '/v1/loans/SHARED-REF-1?bank=bank-a-zz', { token: regulator });
    expect(read.status).toBe(200);
    expect(read.body.borrower.regionCode).toBe(XIANGCHENG);
    expect((await api('GET', '/v1/loans/SHARED-REF-1?bank=bank-a-zz', { token: quanzhouRegulator })).status).toBe(404);
    expect((await api('GET', '/v1/loans?region=350600', { token: quanzhouRegulator })).status).toBe(403);
    const write = await api('POST', '/v1/loan-events', { token: regulator, body: [event('r-1', 'LoanDisbursed', 'SHARED-REF-1', '2024-06-02', { amount: '1.00' })] });
    expect(write.status).toBe(403);
  });

  it('other roles cannot read loans', async () => {
    const university = token('university', 'univ-minnan', ZHANGZHOU);
    expect((await api('GET', '/v1/loans', { token: university })).status).toBe(403);
  });
});
