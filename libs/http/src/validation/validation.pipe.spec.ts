import { makePatentNumber, makeUscc } from '@ipfin/kernel';
import { signLocalToken } from '../auth/local-token';
import { SampleAppModule } from '../testing/sample-app';
import { TEST_SECRET, TestServer, startTestApp } from '../testing/http-test-app';

const USCC = makeUscc('91350600MA2Y12345');
const PATENT = makePatentNumber(2023, 1, 123456);

interface LoanBody {
  loanRef: string;
  borrower: { uscc: string; name: string; regionCode: string };
  principal: unknown;
  inclusive: boolean;
  pledge: { registrationNo: string; registeredOn: string; rights: Record<string, unknown>[] };
}

function validLoan(): LoanBody {
  return {
    loanRef: 'ZZ-2024-000123',
    borrower: { uscc: USCC, name: '漳州某某科技有限公司', regionCode: '350602' },
    principal: '1250000.00',
    inclusive: true,
    pledge: { registrationNo: 'Y2024350000123', registeredOn: '2024-03-01', rights: [{ kind: 'patent', number: `ZL${PATENT}` }] },
  };
}

describe('the global validation pipe', () => {
  let server: TestServer;
  const bank = signLocalToken({ sub: 'bank-icbc-zz', role: 'bank', region: '350600' }, TEST_SECRET, '5m');

  beforeAll(async () => {
    server = await startTestApp(SampleAppModule);
  });
  afterAll(() => server.close());

  it('passes a valid request, transformed into the DTO class with identifiers normalised', async () => {
    const res = await server.request('POST', '/v1/loans', { token: bank, body: validLoan() });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ bank: 'bank-icbc-zz', isInstance: true, loan: { pledge: { rights: [{ number: PATENT }] } } });
  });

  it('rejects an unknown field, naming it', async () => {
    const res = await server.request('POST', '/v1/loans', { token: bank, body: { ...validLoan(), interestFree: true } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: 'https://ipfin.dev/problems/validation', status: 400, instance: '/v1/loans' });
    expect(res.problem.errors).toEqual([{ field: 'interestFree', message: 'property interestFree should not exist' }]);
  });

  it('names nested fields with dotted paths and array indexes', async () => {
    const body = validLoan();
    body.borrower.uscc = USCC.slice(0, 17) + (USCC.endsWith('0') ? '1' : '0');
    body.pledge.rights = [{ kind: 'patent', number: PATENT }, { kind: 'patent', number: '202310123456.0', extra: 1 }];
    const res = await server.request('POST', '/v1/loans', { token: bank, body });
    expect(res.status).toBe(400);
    const fields = res.problem.errors!.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['borrower.uscc', 'pledge.rights[1].number', 'pledge.rights[1].extra']));
    const uscc = res.problem.errors!.find((e) => e.field === 'borrower.uscc');
    expect(uscc?.message).toMatch(/check character/);
  });

  it('refuses money sent as a JSON number, naming the field', async () => {
    const res = await server.request('POST', '/v1/loans', { token: bank, body: { ...validLoan(), principal: 1.5 } });
    expect(res.status).toBe(400);
    expect(res.problem.errors).toEqual([{ field: 'principal', message: expect.stringMatching(/principal must be a decimal string .* not a JSON number/) }]);
  });

  it.each(['1.234', '-5.00', '1e6', '', '01.00'])('refuses the money string %p', async (principal) => {
    const res = await server.request('POST', '/v1/loans', { token: bank, body: { ...validLoan(), principal } });
    expect(res.status).toBe(400);
    expect(res.problem.errors![0].field).toBe('principal');
  });

  it('refuses a date that is not on the calendar', async () => {
    const body = validLoan();
    body.pledge.registeredOn = '2023-02-29';
    const res = await server.request('POST', '/v1/loans', { token: bank, body });
    expect(res.problem.errors).toEqual([{ field: 'pledge.registeredOn', message: expect.stringMatching(/not a calendar date/) }]);
  });

  it('refuses a body that is not an object', async () => {
    const res = await server.request('POST', '/v1/loans', { token: bank, body: [validLoan()] });
    expect(res.status).toBe(400);
    expect(res.problem.errors).toEqual([{ field: 'body', message: 'the request body must be a JSON object' }]);
  });

  it('names items of an array body by index: [3].data.amount', async () => {
    const events = [0, 1, 2, 3].map((i) => ({ eventId: `e${i}`, data: { amount: i === 3 ? 100.5 : '100.50' } }));
    const res = await server.request('POST', '/v1/events', { token: bank, body: events });
    expect(res.status).toBe(400);
    expect(res.problem.errors).toEqual([{ field: '[3].data.amount', message: expect.stringMatching(/not a JSON number/) }]);
    const ok = await server.request('POST', '/v1/events', { token: bank, body: events.slice(0, 3) });
    expect(ok.body).toEqual({ count: 3 });
  });
});
