import { randomBytes } from 'node:crypto';
import { Body, Controller, Module, Post } from '@nestjs/common';
import { RuleViolation } from '@ipfin/kernel';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { Roles } from '../src/auth/auth.decorators';
import { signLocalToken } from '../src/auth/local-token';
import { IdempotencyModule } from '../src/idempotency/idempotency.module';
import { dropIdempotencyTableSql, idempotencyTableSql } from '../src/idempotency/idempotency.sql';
import { IdempotencyStore } from '../src/idempotency/idempotency.store';
import { Idempotent } from '../src/idempotency/idempotent.decorator';
import { TEST_SECRET, TestServer, startTestApp } from '../src/testing/http-test-app';
import { IsMoney } from '../src/validation/field-decorators';

const DATA_SOURCE = Symbol('test data source');
const schema = `http_idem_${randomBytes(4).toString('hex')}`;
let dataSource: DataSource;

beforeAll(async () => {
  const url = process.env.DATABASE_URL;
  if (url === undefined) throw new Error('DATABASE_URL is not set: run with -c jest.integration.config.js (its globalSetup starts PostgreSQL)');
  dataSource = new DataSource({ type: 'postgres', url });
  await dataSource.initialize();
  await dataSource.query(`CREATE SCHEMA ${schema}`);
  for (const sql of [...idempotencyTableSql(schema), ...idempotencyTableSql(schema)]) await dataSource.query(sql);
});

afterAll(async () => {
  if (dataSource?.isInitialized) {
    for (const sql of dropIdempotencyTableSql(schema)) await dataSource.query(sql);
    await dataSource.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await dataSource.destroy();
  }
});

const key = (): string => `key-${randomBytes(6).toString('hex')}`;

describe('IdempotencyStore on PostgreSQL', () => {
  let store: IdempotencyStore;
  beforeAll(() => {
    store = new IdempotencyStore(dataSource, schema);
  });

  it('starts a first use, then replays the stored outcome for the same request', async () => {
    const k = key();
    expect(await store.begin('bank-a', k, 'hash-1')).toEqual({ outcome: 'started' });
    await store.complete('bank-a', k, 201, { id: 'claim-1', amount: '100.00' });
    expect(await store.begin('bank-a', k, 'hash-1')).toEqual({ outcome: 'replay', status: 201, body: { id: 'claim-1', amount: '100.00' } });
  });

  it('reports a different request under the same key as a mismatch', async () => {
    const k = key();
    await store.begin('bank-a', k, 'hash-1');
    await store.complete('bank-a', k, 201, null);
    expect(await store.begin('bank-a', k, 'hash-2')).toEqual({ outcome: 'mismatch' });
  });

  it('scopes keys by caller', async () => {
    const k = key();
    expect(await store.begin('bank-a', k, 'hash-1')).toEqual({ outcome: 'started' });
    expect(await store.begin('bank-b', k, 'hash-9')).toEqual({ outcome: 'started' });
  });

  it('lets exactly one of many concurrent first uses run', async () => {
    const k = key();
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => store.begin('bank-a', k, 'hash-1')));
    expect(outcomes.filter((o) => o.outcome === 'started')).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === 'in-flight')).toHaveLength(7);
  });

  it('forgets a released request, so a retry runs', async () => {
    const k = key();
    await store.begin('bank-a', k, 'hash-1');
    await store.release('bank-a', k);
    expect(await store.begin('bank-a', k, 'hash-2')).toEqual({ outcome: 'started' });
  });

  it('takes over a pending row abandoned by a dead process', async () => {
    const impatient = new IdempotencyStore(dataSource, schema, { pendingTimeoutMs: 50 });
    const k = key();
    await impatient.begin('bank-a', k, 'hash-1');
    expect(await impatient.begin('bank-a', k, 'hash-1')).toEqual({ outcome: 'in-flight' });
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await impatient.begin('bank-a', k, 'hash-1')).toEqual({ outcome: 'started' });
  });

  it('purges old keys', async () => {
    const k = key();
    await store.begin('bank-purge', k, 'hash-1');
    await dataSource.query(`UPDATE ${schema}.idempotency_keys SET created_at = now() - interval '2 days' WHERE principal_sub = 'bank-purge'`);
    expect(await store.purgeOlderThan(24 * 3600_000)).toBeGreaterThanOrEqual(1);
    expect(await store.begin('bank-purge', k, 'hash-2')).toEqual({ outcome: 'started' });
  });
});

class FileClaimDto {
  @IsString() loanRef!: string;
  @IsMoney() principalLoss!: string;
  @IsOptional() @IsIn(['ok', 'not-covered', 'crash-once']) outcome?: 'ok' | 'not-covered' | 'crash-once';
  @IsOptional() @IsInt() @Min(0) @Max(2000) delayMs?: number;
}

let executions = 0;
const crashed = new Set<string>();

@Controller('v1/claims')
class ClaimsController {
  @Post()
  @Roles('bank')
  @Idempotent()
  async file(@Body() claim: FileClaimDto): Promise<{ id: string; loanRef: string; principalLoss: string }> {
    executions++;
    if (claim.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, claim.delayMs));
    if (claim.outcome === 'not-covered') throw new RuleViolation('loan-not-covered', `Loan ${claim.loanRef} is not covered by the fund.`);
    if (claim.outcome === 'crash-once' && !crashed.has(claim.loanRef)) {
      crashed.add(claim.loanRef);
      throw new Error('database connection lost');
    }
    return { id: `claim-${executions}`, loanRef: claim.loanRef, principalLoss: claim.principalLoss };
  }
}

describe('@Idempotent() over HTTP', () => {
  let server: TestServer;
  const bankA = signLocalToken({ sub: 'bank-icbc-zz', role: 'bank', region: '350600' }, TEST_SECRET, '10m');
  const bankB = signLocalToken({ sub: 'bank-boc-zz', role: 'bank', region: '350600' }, TEST_SECRET, '10m');

  beforeAll(async () => {
    @Module({ providers: [{ provide: DATA_SOURCE, useValue: dataSource }], exports: [DATA_SOURCE] })
    class DatabaseModule {}
    @Module({
      imports: [IdempotencyModule.forRoot({ schema, dataSource: DATA_SOURCE, imports: [DatabaseModule] })],
      controllers: [ClaimsController],
    })
    class ClaimsAppModule {}
    server = await startTestApp(ClaimsAppModule);
  });
  afterAll(() => server?.close());

  const post = (token: string, idempotencyKey: string | undefined, body: object) =>
    server.request('POST', '/v1/claims', { token, body, headers: idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey } });

  it('replays the original status and body for the same key and body, without running again', async () => {
    const k = key();
    const first = await post(bankA, k, { loanRef: 'ZZ-1', principalLoss: '300000.00' });
    expect(first.status).toBe(201);
    const before = executions;
    const replay = await post(bankA, k, { principalLoss: '300000.00', loanRef: 'ZZ-1' });
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(executions).toBe(before);
  });

  it('answers the same key with a different body with 409 idempotency-key-reused', async () => {
    const k = key();
    await post(bankA, k, { loanRef: 'ZZ-2', principalLoss: '1.00' });
    const res = await post(bankA, k, { loanRef: 'ZZ-2', principalLoss: '2.00' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ type: 'https://ipfin.dev/problems/idempotency-key-reused', status: 409 });
  });

  it('lets one of two concurrent first uses run; the other gets 409 idempotency-key-in-flight', async () => {
    const k = key();
    const body = { loanRef: 'ZZ-3', principalLoss: '5.00', delayMs: 300 };
    const [a, b] = await Promise.all([post(bankA, k, body), post(bankA, k, body)]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect([a, b].find((r) => r.status === 409)?.body).toMatchObject({ type: 'https://ipfin.dev/problems/idempotency-key-in-flight' });
    const after = await post(bankA, k, body);
    expect(after.status).toBe(201);
    expect(after.headers.get('idempotent-replayed')).toBe('true');
  });

  it('stores a business refusal (422) and replays it as a problem', async () => {
    const k = key();
    const body = { loanRef: 'ZZ-4', principalLoss: '5.00', outcome: 'not-covered' };
    const first = await post(bankA, k, body);
    expect(first.status).toBe(422);
    const before = executions;
    const replay = await post(bankA, k, body);
    expect(replay.status).toBe(422);
    expect(replay.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(executions).toBe(before);
  });

  it('does not store a 5xx: the retry runs', async () => {
    const k = key();
    const body = { loanRef: 'ZZ-5', principalLoss: '5.00', outcome: 'crash-once' };
    expect((await post(bankA, k, body)).status).toBe(500);
    const retry = await post(bankA, k, body);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
  });

  it('does not store invalid input: the corrected request may reuse the key', async () => {
    const k = key();
    expect((await post(bankA, k, { loanRef: 'ZZ-6', principalLoss: 5.5 })).status).toBe(400);
    expect((await post(bankA, k, { loanRef: 'ZZ-6', principalLoss: '5.50' })).status).toBe(201);
  });

  it('scopes keys by caller and runs every request without a key', async () => {
    const k = key();
    expect((await post(bankA, k, { loanRef: 'ZZ-7', principalLoss: '1.00' })).status).toBe(201);
    expect((await post(bankB, k, { loanRef: 'ZZ-7', principalLoss: '9.00' })).status).toBe(201);
    const before = executions;
    await post(bankA, undefined, { loanRef: 'ZZ-8', principalLoss: '1.00' });
    await post(bankA, undefined, { loanRef: 'ZZ-8', principalLoss: '1.00' });
    expect(executions).toBe(before + 2);
  });

  it('refuses a malformed key', async () => {
    const res = await post(bankA, 'has spaces in it', { loanRef: 'ZZ-9', principalLoss: '1.00' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ type: 'https://ipfin.dev/problems/invalid-idempotency-key' });
  });
});
