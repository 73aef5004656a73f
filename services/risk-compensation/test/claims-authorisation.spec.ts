/**
 * Who may do what, through the real HTTP stack of the service (guard, pipes, problem+json,
 * Idempotency-Key) in-process on a fresh schema: a bank cannot approve, a fund of another region
 * can neither see nor act on Zhangzhou's claims, loans and fund, and every route is documented.
 * The app boots as in production (the seeder runs on bootstrap); only the relay and the Kafka
 * consumers are left out, and loan events are fed to the handler directly.
 */
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { PinoLoggerService, ServicePlatformModule, configureApp, signLocalToken, type Role, ServiceExpressAdapter } from '@ipfin/http';
import { fixedClock } from '@ipfin/kernel';
import type { TestSchema } from '@ipfin/testing';
import type { DataSource } from 'typeorm';
import { LoanEventsConsumer } from '../src/claims/loan-events.consumer';
import { RiskCompensationEnv } from '../src/config';
import { MIGRATIONS } from '../src/database/data-source';
import { RiskCompensationModule } from '../src/risk-compensation.module';
import { defaultedLoan, deliver, envelope, riskSchema, ZHANGZHOU } from './support/risk-kit';

const SECRET = 'risk-compensation-test-secret';
const clock = fixedClock('2025-06-10T03:00:00Z');

let db: TestSchema & { pooled: DataSource };
let app: NestExpressApplication;
let baseUrl: string;

const token = (role: Role, sub: string, region?: string) => signLocalToken({ sub, role, ...(region ? { region } : {}) }, SECRET, '1h');
const ICBC = token('bank', 'bank-icbc-zz', ZHANGZHOU);
const ABC = token('bank', 'bank-abc-zz', ZHANGZHOU);
const ZZ_FUND = token('fund', 'zz-fund', ZHANGZHOU);
const QZ_FUND = token('fund', 'qz-fund', '350500');
const FJ_REGULATOR = token('regulator', 'fj-office', '350000');
const QZ_REGULATOR = token('regulator', 'qz-office', '350500');

async function call(method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...opts.headers,
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
}

async function startApp(schema: string): Promise<void> {
  const env = Object.assign(new RiskCompensationEnv(), {
    PORT: 1, DATABASE_URL: process.env.DATABASE_URL!, DATABASE_SCHEMA: schema, KAFKA_BROKERS: process.env.KAFKA_BROKERS!,
    AUTH_JWT_SECRET: SECRET, LOG_LEVEL: 'silent',
  });
  @Module({ imports: [ServicePlatformModule.forRoot({ name: 'risk-compensation', env, migrations: MIGRATIONS, relay: false, clock }), RiskCompensationModule] })
  class TestApp {}
  app = await NestFactory.create<NestExpressApplication>(TestApp, new ServiceExpressAdapter(), { logger: false });
  configureApp(app, {
    serviceName: 'risk-compensation',
    logger: new PinoLoggerService({ service: 'risk-compensation', level: 'silent' }),
    auth: { secret: SECRET },
    openApi: { title: 'ipfin risk compensation' },
  });
  await app.listen(0, '127.0.0.1');
  baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
}

let claimId: string;

beforeAll(async () => {
  db = await riskSchema('risk_http');
  await startApp(db.schema);
  const events = [...defaultedLoan({ bank: 'bank-icbc-zz', loanRef: 'ZZ-H-1' }, 51, '50000.00'), ...defaultedLoan({ bank: 'bank-icbc-zz', loanRef: 'ZZ-H-2' }, 52, '100.00')];
  await deliver(db.dataSource, db.schema, app.get(LoanEventsConsumer), events.map(envelope));
  const filed = await call('POST', '/v1/claims', { token: ICBC, body: { loanRef: 'ZZ-H-1', principalLoss: '50000.00', defaultedOn: '2025-05-20' } });
  expect(filed.status).toBe(201);
  claimId = filed.body.id;
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('authorisation on the claims and funds endpoints', () => {
  it('seeded Zhangzhou when the app booted', async () => {
    const policy = await call('GET', `/v1/funds/${ZHANGZHOU}/policy`, { token: ICBC });
    expect(policy.status).toBe(200);
    expect(policy.body).toMatchObject({ items: [{ region: ZHANGZHOU, effectiveFrom: '2024-02-02', fundSharePercent: '80' }], nextCursor: null });
  });

  it('needs a token', async () => {
    expect((await call('GET', '/v1/claims')).status).toBe(401);
  });

  it('does not let a bank approve, reject, set policy or add capital (403)', async () => {
    for (const [method, path, body] of [
      ['POST', `/v1/claims/${claimId}/approve`, undefined],
      ['POST', `/v1/claims/${claimId}/reject`, { reason: 'no' }],
      ['PUT', `/v1/funds/${ZHANGZHOU}/policy`, { fundSharePercent: 100, effectiveFrom: '2024-02-02', cooperatingBanks: [], borrowerSizes: ['small'] }],
      ['POST', `/v1/funds/${ZHANGZHOU}/contributions`, { amount: '1.00', receivedOn: '2025-06-01' }],
      ['GET', `/v1/funds/${ZHANGZHOU}`, undefined],
    ] as const) {
      const res = await call(method, path, { token: ICBC, body });
      expect([method, path, res.status]).toEqual([method, path, 403]);
      expect(res.type).toContain('application/problem+json');
    }
    expect((await call('GET', `/v1/claims/${claimId}`, { token: ICBC })).body.status).toBe('filed');
  });

  it('does not let a fund of another region see or act on the claim, the loan or the fund', async () => {
    expect((await call('GET', `/v1/claims/${claimId}`, { token: QZ_FUND })).status).toBe(404);
    expect((await call('POST', `/v1/claims/${claimId}/approve`, { token: QZ_FUND })).status).toBe(404);
    expect((await call('POST', `/v1/claims/${claimId}/reject`, { token: QZ_FUND, body: { reason: 'not ours' } })).status).toBe(404);
    expect((await call('GET', '/v1/claims/coverage/bank-icbc-zz/ZZ-H-1', { token: QZ_FUND })).status).toBe(404);
    expect((await call('GET', '/v1/claims', { token: QZ_FUND })).body).toEqual({ items: [], nextCursor: null });
    const put = await call('PUT', `/v1/funds/${ZHANGZHOU}/policy`, { token: QZ_FUND, body: { fundSharePercent: 100, effectiveFrom: '2024-02-02', cooperatingBanks: [], borrowerSizes: ['small'] } });
    expect(put.status).toBe(403);
    expect(put.body.type).toBe('https://ipfin.dev/problems/region-forbidden');
    expect((await call('POST', `/v1/funds/${ZHANGZHOU}/contributions`, { token: QZ_FUND, body: { amount: '1.00', receivedOn: '2025-06-01' } })).status).toBe(403);
    expect((await call('GET', `/v1/funds/${ZHANGZHOU}`, { token: QZ_FUND })).status).toBe(403);
    expect((await call('GET', `/v1/funds/${ZHANGZHOU}`, { token: QZ_REGULATOR })).status).toBe(403);
    expect((await call('GET', `/v1/funds/${ZHANGZHOU}`, { token: FJ_REGULATOR })).status).toBe(200);
    // Nothing moved.
    expect((await call('GET', `/v1/claims/${claimId}`, { token: ZZ_FUND })).body.status).toBe('filed');
  });

  it("does not let another bank see the claim, record a recovery on it, or ask about the loan", async () => {
    expect((await call('GET', `/v1/claims/${claimId}`, { token: ABC })).status).toBe(404);
    expect((await call('POST', `/v1/claims/${claimId}/recoveries`, { token: ABC, body: { amount: '1.00', recoveredOn: '2025-06-10' } })).status).toBe(404);
    expect((await call('GET', '/v1/claims/coverage/bank-icbc-zz/ZZ-H-1', { token: ABC })).status).toBe(403);
    expect((await call('GET', '/v1/claims', { token: ABC })).body.items).toEqual([]);
    const own = await call('GET', '/v1/claims/coverage/bank-icbc-zz/ZZ-H-1', { token: ICBC });
    expect(own.body).toMatchObject({ covered: true, reportedLoss: '50000.00' });
  });

  it('lets the Zhangzhou fund act: capital with an Idempotency-Key, then approval pays the claim', async () => {
    const headers = { 'Idempotency-Key': 'zz-capital-2025-06-10' };
    const body = { amount: '100000.00', receivedOn: '2025-06-10' };
    const first = await call('POST', `/v1/funds/${ZHANGZHOU}/contributions`, { token: ZZ_FUND, body, headers });
    expect(first.status).toBe(201);
    const replay = await call('POST', `/v1/funds/${ZHANGZHOU}/contributions`, { token: ZZ_FUND, body, headers });
    expect(replay).toMatchObject({ status: 201, body: { id: first.body.id } });
    expect((await call('POST', `/v1/funds/${ZHANGZHOU}/contributions`, { token: ZZ_FUND, body: { ...body, amount: '1.00' }, headers })).status).toBe(409);

    const approveKey = { 'Idempotency-Key': `approve-${claimId}` };
    const approved = await call('POST', `/v1/claims/${claimId}/approve`, { token: ZZ_FUND, headers: approveKey });
    expect(approved).toMatchObject({ status: 200, body: { status: 'paid', fundShare: '40000.00', bankShare: '10000.00', paidOn: '2025-06-10', approvalSequence: 1 } });
    // A retried approval answers the original result; approving again without the key is a conflict.
    expect(await call('POST', `/v1/claims/${claimId}/approve`, { token: ZZ_FUND, headers: approveKey })).toEqual(approved);
    expect((await call('POST', `/v1/claims/${claimId}/approve`, { token: ZZ_FUND })).status).toBe(409);
    expect((await call('GET', `/v1/funds/${ZHANGZHOU}`, { token: ZZ_FUND })).body).toEqual({
      region: ZHANGZHOU, capital: '100000.00', paidOut: '40000.00', recoveredToFund: '0.00', balance: '60000.00', pendingPayouts: '0.00',
    });
  });

  it('answers bad input with problem+json naming the field', async () => {
    const res = await call('POST', '/v1/claims', { token: ICBC, body: { loanRef: 'ZZ-H-2', principalLoss: 100.5, defaultedOn: '2025-05-20', colour: 'red' } });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['colour', 'principalLoss']);
    const overlap = await call('PUT', `/v1/funds/${ZHANGZHOU}/policy`, { token: ZZ_FUND, body: { fundSharePercent: 80, effectiveFrom: '2025-01-01', cooperatingBanks: ['bank-icbc-zz'], borrowerSizes: ['small'] } });
    expect(overlap).toMatchObject({ status: 409, body: { type: 'https://ipfin.dev/problems/policy-period-overlap' } });
    const tooMuch = await call('POST', '/v1/claims', { token: ICBC, body: { loanRef: 'ZZ-H-2', principalLoss: '100.01', defaultedOn: '2025-05-20' } });
    expect(tooMuch).toMatchObject({ status: 422, body: { type: 'https://ipfin.dev/problems/claim-exceeds-reported-loss' } });
  });

  it('documents every route with a tag, a summary and the bearer scheme', async () => {
    const doc = await call('GET', '/docs-json');
    const operations = Object.entries(doc.body.paths as Record<string, Record<string, any>>)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })));
    expect(operations.map((o) => o.route).sort()).toEqual([
      'GET /v1/claims', 'GET /v1/claims/coverage/{bankSub}/{loanRef}', 'GET /v1/claims/{id}', 'GET /v1/funds/{region}',
      'GET /v1/funds/{region}/policy', 'POST /v1/claims', 'POST /v1/claims/{id}/approve', 'POST /v1/claims/{id}/recoveries',
      'POST /v1/claims/{id}/reject', 'POST /v1/funds/{region}/contributions', 'PUT /v1/funds/{region}/policy',
    ]);
    for (const { route, op } of operations) {
      expect([route, op.tags?.length > 0, typeof op.summary, op.security?.length > 0]).toEqual([route, true, 'string', true]);
    }
  });
});
