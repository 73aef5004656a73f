/**
 * Bad input through the real HTTP stack of the service (guard, pipes, problem+json) in-process on
 * a fresh schema (audit finding 11): every refusal is a 400 application/problem+json whose
 * `errors` name the field, and changes nothing. The app boots as in production without the Kafka
 * consumers; no test here reaches the lag reading. Also what its OpenAPI document says `defaults` is.
 */
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { PinoLoggerService, ServiceExpressAdapter, ServicePlatformModule, configureApp, signLocalToken } from '@ipfin/http';
import { fixedClock } from '@ipfin/kernel';
import { migratedTestSchema, type TestSchema } from '@ipfin/testing';
import { AggregatesModule } from '../src/aggregates.module';
import { MetricsEnv } from '../src/config';
import { MIGRATIONS, createDataSource } from '../src/database/data-source';
import { FinancingModule } from '../src/financing/financing.module';

const SECRET = 'metrics-http-test-secret';
/** Today is 2025-07-15 in Asia/Shanghai. */
const clock = fixedClock('2025-07-15T04:00:00Z');
const REGULATOR = signLocalToken({ sub: 'zz-ip-office', role: 'regulator', region: '350600' }, SECRET, '1h');
const PROVINCE = signLocalToken({ sub: 'fj-ip-office', role: 'regulator', region: '350000' }, SECRET, '1h');

let db: TestSchema;
let app: NestExpressApplication;
let baseUrl: string;

async function call(method: string, path: string, body?: unknown, token = REGULATOR) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
}

/** A 400 problem+json naming exactly `fields`. */
async function expectRefused(method: string, path: string, fields: string[], body?: unknown): Promise<string[]> {
  const res = await call(method, path, body);
  const named = (res.body?.errors ?? []).map((e: { field: string }) => e.field);
  expect({ path, status: res.status, type: res.type, fields: named }).toEqual({ path, status: 400, type: expect.stringContaining('application/problem+json'), fields });
  return (res.body.errors as { message: string }[]).map((e) => e.message);
}

beforeAll(async () => {
  db = await migratedTestSchema(createDataSource, 'metrics_http');
  const env = Object.assign(new MetricsEnv(), {
    PORT: 1, DATABASE_URL: process.env.DATABASE_URL!, DATABASE_SCHEMA: db.schema, KAFKA_BROKERS: process.env.KAFKA_BROKERS!,
    AUTH_JWT_SECRET: SECRET, LOG_LEVEL: 'silent',
  });
  @Module({ imports: [ServicePlatformModule.forRoot({ name: 'metrics', env, migrations: MIGRATIONS, relay: false, clock }), FinancingModule, AggregatesModule] })
  class TestApp {}
  app = await NestFactory.create<NestExpressApplication>(TestApp, new ServiceExpressAdapter(), { logger: false });
  configureApp(app, {
    serviceName: 'metrics',
    logger: new PinoLoggerService({ service: 'metrics', level: 'silent' }),
    auth: { secret: SECRET },
    openApi: { title: 'ipfin metrics' },
  });
  await app.listen(0, '127.0.0.1');
  baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('metrics query validation', () => {
  it('year=0000 is 400 naming year on every endpoint that takes a year', async () => {
    for (const path of ['financing', 'banks', 'risk-fund', 'transfers', 'products', 'agencies']) {
      const [message] = await expectRefused('GET', `/v1/metrics/${path}?region=350600&year=0000`, ['year']);
      expect(message).toContain('0001 to 9999');
    }
  });

  it('financing: a from after today with no to is 400 naming from, like every other endpoint', async () => {
    await expectRefused('GET', '/v1/metrics/financing?region=350600&from=2030-01-01', ['from']);
    await expectRefused('GET', '/v1/metrics/financing?region=350600&from=2025-07-16', ['from']);
    await expectRefused('GET', '/v1/metrics/financing?region=350600&from=2025-03-01&to=2025-02-28', ['from']);
    await expectRefused('GET', '/v1/metrics/risk-fund?region=350600&from=2030-01-01', ['from']);
  });
});

describe('targets validation', () => {
  const cursor = (position: unknown): string => Buffer.from(JSON.stringify(position)).toString('base64url');

  it('a crafted cursor is 400 naming cursor, not a database error', async () => {
    for (const position of [
      { region: '350600', dueOn: 'x', id: 'a' },
      { region: '350600', dueOn: '2025-02-30', id: 'a' },
      { region: "350600' or 1=1", dueOn: '2025-01-01', id: 'a' },
      { region: '350600', dueOn: '2025-01-01', id: '' },
      { region: '350600', dueOn: '2025-01-01' },
      ['350600', '2025-01-01', 'a'],
    ]) {
      await expectRefused('GET', `/v1/targets?region=350600&cursor=${cursor(position)}`, ['cursor']);
    }
    await expectRefused('GET', '/v1/targets?region=350600&cursor=not-base64-json', ['cursor']);
    // A well-formed position still pages.
    const page = await call('GET', `/v1/targets?region=350000&limit=1&cursor=${cursor({ region: '350500', dueOn: '2018-12-31', id: 'quanzhou-2016-patent-pledge' })}`, undefined, PROVINCE);
    expect(page.status).toBe(200);
    expect(page.body.items.map((t: { id: string }) => t.id)).toEqual(['quanzhou-2016-trademark-pledge']);
  });

  const target = { region: '350602', indicator: 'pledge-financing-annual', unit: 'CNY', target: '10000000.00', dueOn: '2025-12-31' };

  it('a unit that is not the one the indicator is measured in is 400 naming unit', async () => {
    const [message] = await expectRefused('POST', '/v1/targets', ['unit'], { ...target, unit: 'count', target: 10 });
    expect(message).toBe('unit must be CNY for indicator pledge-financing-annual (the platform measures it in CNY)');
    await expectRefused('POST', '/v1/targets', ['unit'], { ...target, indicator: 'transfers-annual', unit: 'CNY', target: '10.00' });
    // An indicator the platform does not measure takes either unit.
    const free = await call('POST', '/v1/targets', { ...target, indicator: 'invention-patents-per-10k-people', unit: 'count', target: 14 });
    expect(free.status).toBe(201);
    expect(free.body).toMatchObject({ unit: 'count', target: 14, actual: null, progress: null });
  });

  it('a zero target is 400 naming target (progress = actual ÷ target means nothing for 0)', async () => {
    const [message] = await expectRefused('POST', '/v1/targets', ['target'], { ...target, target: '0.00' });
    expect(message).toContain('greater than 0');
    await expectRefused('POST', '/v1/targets', ['target'], { ...target, target: '0' });
    await expectRefused('POST', '/v1/targets', ['target'], { ...target, indicator: 'transfers-annual', unit: 'count', target: 0 });
    // A zero baseline is fine.
    const ok = await call('POST', '/v1/targets', { ...target, baseline: '0.00' });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ region: '350602', indicator: 'pledge-financing-annual', baseline: '0.00', target: '10000000.00', actual: '0.00', progress: '0.0000' });
  });

  it('a refused target was not recorded', async () => {
    const listed = await call('GET', '/v1/targets?region=350602');
    expect(listed.body.items.map((t: { indicator: string; unit: string; target: unknown }) => [t.indicator, t.unit, t.target]).sort()).toEqual([
      ['invention-patents-per-10k-people', 'count', 14],
      ['pledge-financing-annual', 'CNY', '10000000.00'],
    ]);
  });
});

describe('the OpenAPI document', () => {
  it('says `defaults` counts defaulted loans, once, on financing (totals and rows) and banks', async () => {
    const res = await fetch(`${baseUrl}/docs-json`);
    const doc = (await res.json()) as {
      paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: { $ref?: string } }> }> } }>;
      components: { schemas: Record<string, { properties: Record<string, { description?: string; $ref?: string; items?: { $ref?: string } }> }> };
    };
    const schemaOf = (ref: string | undefined) => doc.components.schemas[(ref ?? '').split('/').pop()!];
    const financing = schemaOf(doc.paths['/v1/metrics/financing'].get.responses['200'].content['application/json'].schema.$ref);
    const banks = schemaOf(doc.paths['/v1/metrics/banks'].get.responses['200'].content['application/json'].schema.$ref);
    for (const figures of [schemaOf(financing.properties.totals.$ref), schemaOf(financing.properties.rows.items?.$ref), schemaOf(banks.properties.rows.items?.$ref)]) {
      expect(figures.properties.defaults.description).toMatch(/^Defaulted loans: each loan once, in the period \(and row\) of its earliest default not reversed/);
    }
  });
});
