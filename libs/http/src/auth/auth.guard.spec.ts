import { KeyObject, generateKeyPairSync } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { Server, createServer } from 'node:http';
import { makeUscc } from '@ipfin/kernel';
import jwt from 'jsonwebtoken';
import { SampleAppModule } from '../testing/sample-app';
import { TEST_SECRET, TestServer, startTestApp } from '../testing/http-test-app';
import { signLocalToken } from './local-token';

const bankClaims = { sub: 'bank-icbc-zz', role: 'bank', region: '350600' } as const;
const USCC = makeUscc('91350600MA2Y12345');
const WRONG_CHECK = USCC.slice(0, 17) + (USCC.endsWith('0') ? '1' : '0');

describe('AuthGuard with local HS256 tokens', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestApp(SampleAppModule);
  });
  afterAll(() => server.close());

  it('answers a missing token with 401 and a Bearer challenge', async () => {
    const res = await server.request('GET', '/v1/whoami');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ type: 'https://ipfin.dev/problems/unauthenticated', status: 401 });
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('answers a non-Bearer Authorization header with 401', async () => {
    const res = await server.request('GET', '/v1/whoami', { headers: { authorization: 'Basic YmFuazpwdw==' } });
    expect(res.status).toBe(401);
  });

  it('accepts a valid token and exposes the principal', async () => {
    const token = signLocalToken({ ...bankClaims, uscc: USCC.toLowerCase() }, TEST_SECRET, '5m');
    const res = await server.request('GET', '/v1/whoami', { token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ sub: 'bank-icbc-zz', role: 'bank', region: '350600', uscc: USCC });
  });

  it('answers the wrong role with 403', async () => {
    const token = signLocalToken({ sub: 'univ-xmu', role: 'university', region: '350200' }, TEST_SECRET, '5m');
    const res = await server.request('POST', '/v1/loans', { token, body: {} });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ type: 'https://ipfin.dev/problems/role-forbidden', status: 403, detail: expect.stringMatching(/bank/) });
  });

  it('answers an expired token with 401 token-expired', async () => {
    const token = jwt.sign({ role: 'bank', region: '350600', exp: Math.floor(Date.now() / 1000) - 60 }, TEST_SECRET, { subject: 'bank-icbc-zz' });
    const res = await server.request('GET', '/v1/whoami', { token });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ type: 'https://ipfin.dev/problems/token-expired' });
  });

  it.each([
    ['another secret', () => signLocalToken(bankClaims, 'another-secret-of-16-chars', '5m')],
    ['alg none', () => jwt.sign({ role: 'bank', region: '350600' }, '', { algorithm: 'none', subject: 'bank-icbc-zz' })],
    ['no region for a bank', () => signLocalToken({ sub: 'bank-icbc-zz', role: 'bank' }, TEST_SECRET, '5m')],
    ['an unknown role', () => jwt.sign({ role: 'root', region: '350600' }, TEST_SECRET, { subject: 'x' })],
    ['a malformed region', () => jwt.sign({ role: 'bank', region: '3506' }, TEST_SECRET, { subject: 'x' })],
    ['a uscc with a wrong check character', () => signLocalToken({ ...bankClaims, uscc: WRONG_CHECK }, TEST_SECRET, '5m')],
    ['garbage', () => 'not.a.jwt'],
  ])('answers a token signed with %s with 401 invalid-token', async (_case, make) => {
    const res = await server.request('GET', '/v1/whoami', { token: make() });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ type: 'https://ipfin.dev/problems/invalid-token' });
  });

  it('lets an admin through without a region', async () => {
    const res = await server.request('GET', '/v1/whoami', { token: signLocalToken({ sub: 'ops', role: 'admin' }, TEST_SECRET, '5m') });
    expect(res.body).toEqual({ sub: 'ops', role: 'admin' });
  });

  it('serves @Public() routes without a token, and reads a valid one when sent', async () => {
    expect((await server.request('GET', '/v1/patents')).body).toEqual({ caller: null });
    expect((await server.request('GET', '/v1/patents', { token: signLocalToken(bankClaims, TEST_SECRET, '5m') })).body).toEqual({ caller: 'bank-icbc-zz' });
    expect((await server.request('GET', '/v1/patents', { token: 'junk' })).body).toEqual({ caller: null });
  });
});

describe('AuthGuard issuer and audience checks', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestApp(SampleAppModule, { auth: { secret: TEST_SECRET, issuer: 'https://idp.ipfin.dev', audience: 'ipfin-api' } });
  });
  afterAll(() => server.close());

  it('requires the configured iss and aud', async () => {
    const without = signLocalToken(bankClaims, TEST_SECRET, '5m');
    const withBoth = signLocalToken(bankClaims, TEST_SECRET, '5m', { issuer: 'https://idp.ipfin.dev', audience: 'ipfin-api' });
    expect((await server.request('GET', '/v1/whoami', { token: without })).status).toBe(401);
    expect((await server.request('GET', '/v1/whoami', { token: withBoth })).status).toBe(200);
  });
});

describe('AuthGuard with RS256 tokens from a JWKS', () => {
  const keys = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>();
  const published = new Set<string>();
  let jwksHits = 0;
  let jwksDown = false;
  let jwksServer: Server;
  let server: TestServer;

  const addKey = (kid: string): void => {
    keys.set(kid, generateKeyPairSync('rsa', { modulusLength: 2048 }));
  };
  const sign = (kid: string, claims: object = { role: 'bank', region: '350600' }): string =>
    jwt.sign(claims, keys.get(kid)!.privateKey, { algorithm: 'RS256', keyid: kid, subject: 'bank-icbc-zz', expiresIn: '5m' });

  beforeAll(async () => {
    addKey('k1');
    published.add('k1');
    jwksServer = createServer((_req, res) => {
      jwksHits++;
      if (jwksDown) {
        res.writeHead(503).end();
        return;
      }
      const body = { keys: [...published].map((kid) => ({ ...keys.get(kid)!.publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' })) };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const { port } = jwksServer.address() as AddressInfo;
    server = await startTestApp(SampleAppModule, { auth: { jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`, jwks: { minRefreshIntervalMs: 0 } } });
  });
  afterAll(async () => {
    await server.close();
    await new Promise((resolve) => jwksServer.close(resolve));
  });

  it('verifies a token signed by a published key', async () => {
    const res = await server.request('GET', '/v1/whoami', { token: sign('k1') });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ sub: 'bank-icbc-zz', role: 'bank', region: '350600' });
  });

  it('caches the keys between requests', async () => {
    const before = jwksHits;
    await server.request('GET', '/v1/whoami', { token: sign('k1') });
    await server.request('GET', '/v1/whoami', { token: sign('k1') });
    expect(jwksHits).toBe(before);
  });

  it('refetches the JWKS when a new kid appears (rotation)', async () => {
    addKey('k2');
    published.add('k2');
    const res = await server.request('GET', '/v1/whoami', { token: sign('k2') });
    expect(res.status).toBe(200);
  });

  it('refuses HS256 tokens and unknown keys', async () => {
    expect((await server.request('GET', '/v1/whoami', { token: signLocalToken(bankClaims, TEST_SECRET, '5m') })).status).toBe(401);
    addKey('k3');
    expect((await server.request('GET', '/v1/whoami', { token: sign('k3') })).body).toMatchObject({ type: 'https://ipfin.dev/problems/invalid-token' });
  });

  it('answers 503 when the JWKS cannot be fetched for a new kid', async () => {
    jwksDown = true;
    try {
      const res = await server.request('GET', '/v1/whoami', { token: sign('k3') });
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ type: 'https://ipfin.dev/problems/authentication-unavailable' });
      expect((await server.request('GET', '/v1/whoami', { token: sign('k1') })).status).toBe(200);
    } finally {
      jwksDown = false;
    }
  });
});
