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
import { IdempotencyStore, PinoLoggerService, ServicePlatformModule, configureApp, signLocalToken, type Role, ServiceExpressAdapter } from '@ipfin/http';
import { fixedClock } from '@ipfin/kernel';
import type { TestSchema } from '@ipfin/testing';
import type { DataSource } from 'typeorm';
import { LoanEventsConsumer } from '../src/claims/loan-events.consumer';
import { RiskCompensationEnv } from '../src/config';
import { MIGRATIONS } from '../src/database/data-source';
import { RiskCompensationModule } from '../src/risk-compensation.module';
import { defaultedLoan, deliver, envelope, fen, fundRow, riskSchema, ZHANGZHOU } from './support/risk-kit';

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
const ADMIN = token('admin', 'ops');

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

describe('fields the contract and the other services constrain', () => {
  const fieldsOf = (res: { body: { errors?: { field: string }[] } }) => (res.body.errors ?? []).map((e) => e.field);

  it('takes a claim on any loanRef pledge-loans accepts (up to 100 characters)', async () => {
    const long = `ZZ-${'A'.repeat(70)}`;
    await deliver(db.dataSource, db.schema, app.get(LoanEventsConsumer), defaultedLoan({ bank: 'bank-icbc-zz', loanRef: long }, 53, '100.00').map(envelope));
    expect((await call('GET', `/v1/claims/coverage/bank-icbc-zz/${long}`, { token: ICBC })).body).toMatchObject({ covered: true });
    const filed = await call('POST', '/v1/claims', { token: ICBC, body: { loanRef: long, principalLoss: '100.00', defaultedOn: '2025-05-20' } });
    expect(filed).toMatchObject({ status: 201, body: { loanRef: long, status: 'filed' } });
    const tooLong = await call('POST', '/v1/claims', { token: ICBC, body: { loanRef: 'L'.repeat(101), principalLoss: '1.00', defaultedOn: '2025-05-20' } });
    expect([tooLong.status, fieldsOf(tooLong)]).toEqual([400, ['loanRef']]);
  });

  it('lets a fund name a cooperating bank by any sub a token may carry (up to 200 characters)', async () => {
    const longSub = `bank-${'x'.repeat(150)}`;
    const put = await call('PUT', `/v1/funds/${ZHANGZHOU}/policy`, {
      token: ZZ_FUND, body: { fundSharePercent: 80, effectiveFrom: '2029-02-02', cooperatingBanks: [longSub], borrowerSizes: ['small'] },
    });
    expect(put).toMatchObject({ status: 200, body: { change: 'added' } });
    const tooLong = await call('PUT', `/v1/funds/${ZHANGZHOU}/policy`, {
      token: ZZ_FUND, body: { fundSharePercent: 80, effectiveFrom: '2030-02-02', cooperatingBanks: ['b'.repeat(201)], borrowerSizes: ['small'] },
    });
    expect([tooLong.status, fieldsOf(tooLong)]).toEqual([400, ['cooperatingBanks']]);
  });

  it('answers a {region} that is not a region code with 400 naming region', async () => {
    for (const [method, path, tokenOf, body] of [
      ['GET', '/v1/funds/abc', ADMIN, undefined],
      ['GET', '/v1/funds/999999/policy', ICBC, undefined],
      ['PUT', '/v1/funds/12345/policy', ZZ_FUND, { fundSharePercent: 80, effectiveFrom: '2031-01-01', cooperatingBanks: [], borrowerSizes: ['small'] }],
      ['POST', '/v1/funds/350012/contributions', ZZ_FUND, { amount: '1.00', receivedOn: '2025-06-01' }],
    ] as const) {
      const res = await call(method, path, { token: tokenOf, body });
      expect([method, path, res.status, res.type.includes('application/problem+json'), fieldsOf(res)]).toEqual([method, path, 400, true, ['region']]);
    }
    expect((await call('GET', `/v1/funds/${ZHANGZHOU}`, { token: ADMIN })).status).toBe(200);
    const doc = await call('GET', '/docs-json');
    for (const [path, methods] of Object.entries(doc.body.paths as Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, unknown> }>>)) {
      if (!path.startsWith('/v1/funds/{region}')) continue;
      for (const op of Object.values(methods)) {
        expect([path, op.parameters?.filter((p) => p.in === 'path').map((p) => p.name), '400' in op.responses]).toEqual([path, ['region'], true]);
      }
    }
  });

  it('refuses receivedOn and recoveredOn after today (Asia/Shanghai) and changes nothing', async () => {
    const before = await fundRow(db.dataSource, ZHANGZHOU);
    const contribution = await call('POST', `/v1/funds/${ZHANGZHOU}/contributions`, { token: ZZ_FUND, body: { amount: '1.00', receivedOn: '2025-06-11' } });
    expect([contribution.status, contribution.body.errors]).toEqual([400, [{ field: 'receivedOn', message: 'receivedOn 2025-06-11 is in the future (today is 2025-06-10)' }]]);
    const recovery = await call('POST', `/v1/claims/${claimId}/recoveries`, { token: ICBC, body: { amount: '1.00', recoveredOn: '2099-01-01' } });
    expect([recovery.status, fieldsOf(recovery)]).toEqual([400, ['recoveredOn']]);
    expect(await fundRow(db.dataSource, ZHANGZHOU)).toEqual(before);
    expect((await call('GET', `/v1/claims/${claimId}`, { token: ICBC })).body).toMatchObject({ recoveredToFund: '0.00', recoveredToBank: '0.00' });
  });

  it('refuses blank free text: loanRef, evidence, reason', async () => {
    const blankRef = await call('POST', '/v1/claims', { token: ICBC, body: { loanRef: '   ', principalLoss: '1.00', defaultedOn: '2025-05-20' } });
    expect([blankRef.status, blankRef.body.errors]).toEqual([400, [{ field: 'loanRef', message: 'loanRef must not be blank' }]]);
    const blankEvidence = await call('POST', '/v1/claims', { token: ICBC, body: { loanRef: 'ZZ-H-2', principalLoss: '1.00', defaultedOn: '2025-05-20', evidence: ['判决书', ' '] } });
    expect([blankEvidence.status, fieldsOf(blankEvidence)]).toEqual([400, ['evidence']]);
    const blankReason = await call('POST', `/v1/claims/${claimId}/reject`, { token: ZZ_FUND, body: { reason: ' \n ' } });
    expect([blankReason.status, blankReason.body.errors]).toEqual([400, [{ field: 'reason', message: 'reason must not be blank' }]]);
    expect((await call('GET', '/v1/claims?status=filed', { token: ICBC })).body.items.map((c: { loanRef: string }) => c.loanRef)).not.toContain('ZZ-H-2');
  });
});

describe('Idempotency-Key when the interceptor cannot record the answer', () => {
  /** The interceptor's `complete` fails once (as if the process died right after the commit); its pending row then goes stale. */
  async function withLostComplete<T>(run: () => Promise<T>): Promise<T> {
    const complete = jest.spyOn(IdempotencyStore.prototype, 'complete').mockRejectedValueOnce(new Error('connection lost'));
    try {
      return await run();
    } finally {
      complete.mockRestore();
      await db.dataSource.query(`update idempotency_keys set created_at = now() - interval '2 minutes'`);
    }
  }

  async function replayOf(path: string, tokenOf: string, key: string, body: unknown) {
    const res = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokenOf}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: (await res.json()) as { id: string } };
  }

  it('a retried contribution replays the first answer and adds the capital once', async () => {
    const body = { amount: '10.00', receivedOn: '2025-06-10' };
    const before = await fundRow(db.dataSource, ZHANGZHOU);
    const path = `/v1/funds/${ZHANGZHOU}/contributions`;
    const first = await withLostComplete(() => call('POST', path, { token: ZZ_FUND, body, headers: { 'Idempotency-Key': 'lost-capital' } }));
    expect(first.status).toBe(201);
    expect(await replayOf(path, ZZ_FUND, 'lost-capital', body)).toEqual({ status: 201, replayed: 'true', body: first.body });
    expect((await fundRow(db.dataSource, ZHANGZHOU)).capital).toBe(before.capital + fen('10.00'));
  });

  it('a retried recovery replays the first answer and is shared once', async () => {
    const body = { amount: '100.00', recoveredOn: '2025-06-10' };
    const path = `/v1/claims/${claimId}/recoveries`;
    const first = await withLostComplete(() => call('POST', path, { token: ICBC, body, headers: { 'Idempotency-Key': 'lost-recovery' } }));
    expect(first).toMatchObject({ status: 201, body: { fundPart: '80.00', bankPart: '20.00' } });
    expect(await replayOf(path, ICBC, 'lost-recovery', body)).toEqual({ status: 201, replayed: 'true', body: first.body });
    expect((await call('GET', `/v1/claims/${claimId}`, { token: ICBC })).body).toMatchObject({ recoveredToFund: '80.00', recoveredToBank: '20.00' });
  });
});
