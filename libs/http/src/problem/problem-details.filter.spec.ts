import { DomainErrorKind } from '@ipfin/kernel';
import { ERRORS_BY_KIND, SampleAppModule } from '../testing/sample-app';
import { TEST_SECRET, TestServer, startTestApp } from '../testing/http-test-app';
import { signLocalToken } from '../auth/local-token';
import { problem, problemFromError } from './problem';

describe('problem+json responses', () => {
  let server: TestServer;
  const bank = signLocalToken({ sub: 'bank-icbc-zz', role: 'bank', region: '350600' }, TEST_SECRET, '5m');

  beforeAll(async () => {
    server = await startTestApp(SampleAppModule, { bodyLimit: '2kb' });
  });
  afterAll(() => server.close());

  it.each<[DomainErrorKind, number, string]>([
    ['validation', 400, 'validation'],
    ['not-found', 404, 'loan-not-found'],
    ['conflict', 409, 'loan-ref-taken'],
    ['rule', 422, 'patent-pledged'],
    ['forbidden', 403, 'loan-forbidden'],
    ['unauthenticated', 401, 'token-revoked'],
  ])('maps a %s DomainError to %i with its code as type', async (kind, status, code) => {
    const res = await server.request('GET', `/v1/fail/${kind}`, { headers: { 'x-request-id': `req-${kind}` } });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toEqual(
      expect.objectContaining({
        type: `https://ipfin.dev/problems/${code}`,
        title: expect.any(String),
        status,
        detail: ERRORS_BY_KIND[kind]().detail,
        instance: `/v1/fail/${kind}`,
        correlationId: `req-${kind}`,
      }),
    );
    expect(res.headers.get('x-request-id')).toBe(`req-${kind}`);
  });

  it('keeps field errors of a validation DomainError', async () => {
    const res = await server.request('GET', '/v1/fail/validation');
    expect(res.problem.errors).toEqual([{ field: 'loanRef', message: 'loanRef is taken by another format' }]);
  });

  it('answers an unexpected error with a bare 500 and the correlation id, leaking nothing', async () => {
    const res = await server.request('GET', '/v1/fail/crash');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      type: 'https://ipfin.dev/problems/internal',
      title: 'Internal server error',
      status: 500,
      detail: expect.stringMatching(/correlation id/),
      instance: '/v1/fail/crash',
      correlationId: res.headers.get('x-request-id'),
    });
    expect(res.text).not.toMatch(/hunter2|10\.0\.0\.7|at /);
  });

  it('generates a correlation id when none (or a forged one) is sent', async () => {
    const res = await server.request('GET', '/v1/fail/crash', { headers: { 'x-request-id': 'bad id\twith tab' } });
    expect(res.problem.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await server.request('GET', '/v1/nowhere', { token: bank });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ type: 'https://ipfin.dev/problems/not-found', status: 404, instance: '/v1/nowhere' });
  });

  it('answers malformed JSON with 400 malformed-json', async () => {
    const res = await server.request('POST', '/v1/loans', { token: bank, rawBody: '{"loanRef": "ZZ-1",' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ type: 'https://ipfin.dev/problems/malformed-json', status: 400, instance: '/v1/loans' });
  });

  it('answers malformed JSON without a valid token with 401, as any request without one', async () => {
    const none = await server.request('POST', '/v1/loans', { rawBody: '{"loanRef": "ZZ-1",' });
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ type: 'https://ipfin.dev/problems/unauthenticated', status: 401 });
    const forged = await server.request('POST', '/v1/loans', { token: 'not.a.token', rawBody: '{"loanRef": "ZZ-1",' });
    expect(forged.status).toBe(401);
  });

  it('answers an oversized body with 413', async () => {
    const res = await server.request('POST', '/v1/loans', { token: bank, body: { loanRef: 'x'.repeat(4096) } });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ type: 'https://ipfin.dev/problems/payload-too-large', status: 413 });
  });

  it('answers a non-JSON body with 415', async () => {
    const res = await server.request('POST', '/v1/loans', { token: bank, rawBody: 'loanRef=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ type: 'https://ipfin.dev/problems/unsupported-media-type' });
  });
});

describe('problem helpers for batch items', () => {
  it('builds a problem without instance', () => {
    expect(problem({ code: 'loan-settled', status: 422, detail: 'Loan ZZ-1 is settled.' })).toEqual({
      type: 'https://ipfin.dev/problems/loan-settled',
      title: 'Loan settled',
      status: 422,
      detail: 'Loan ZZ-1 is settled.',
    });
  });

  it('maps a DomainError, and hides anything else', () => {
    expect(problemFromError(ERRORS_BY_KIND.rule())).toMatchObject({ type: 'https://ipfin.dev/problems/patent-pledged', status: 422 });
    expect(problemFromError(new Error('secret'))).toMatchObject({ type: 'https://ipfin.dev/problems/internal', status: 500 });
    expect(JSON.stringify(problemFromError(new Error('secret')))).not.toMatch(/secret/);
  });
});
