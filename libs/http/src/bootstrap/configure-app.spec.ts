import { Controller, Get, Module } from '@nestjs/common';
import { HealthModule } from '../health/health.module';
import { HealthRegistry } from '../health/health.registry';
import { ReadinessCheck } from '../health/readiness-check';
import { metricsRegistry, setConsumerStatsSource } from '../metrics/prometheus';
import { runningConsumerStats } from '@ipfin/messaging';
import { Public } from '../auth/auth.decorators';
import { TestServer, startTestApp } from '../testing/http-test-app';

const CHECK_TOKEN = Symbol('queue check');
let queueUp = true;

@Controller('v1/loans')
class LoansController {
  @Get(':loanRef')
  @Public()
  get(): { ok: true } {
    return { ok: true };
  }
}

@Module({
  imports: [HealthModule.forRoot({ checks: [{ name: 'always', check: () => true }, CHECK_TOKEN, { inject: [CHECK_TOKEN], useFactory: (queue: ReadinessCheck) => ({ name: 'derived', check: () => queue.check() }) }], timeoutMs: 200 })],
  controllers: [LoansController],
  providers: [{ provide: CHECK_TOKEN, useValue: { name: 'queue', check: () => (queueUp ? { ok: true } : { ok: false, detail: 'broker unreachable' }) } satisfies ReadinessCheck }],
})
class AppModule {}

describe('configureApp: health, Prometheus and OpenAPI', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestApp(AppModule, { openApi: { title: 'pledge-loans', description: 'Pledge loans', version: '1.0.0' } });
  });
  afterAll(() => server.close());

  it('answers /health/live without a token', async () => {
    const res = await server.request('GET', '/health/live');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers /health/ready with every check, 503 when one is down', async () => {
    const ok = await server.request('GET', '/health/ready');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'ok', checks: { always: { status: 'up' }, queue: { status: 'up' }, derived: { status: 'up' } } });

    queueUp = false;
    const down = await server.request('GET', '/health/ready');
    queueUp = true;
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'error', checks: { always: { status: 'up' }, queue: { status: 'down', error: 'broker unreachable' } } });
  });

  it('counts a slow check as down', async () => {
    server.app.get(HealthRegistry).register({ name: 'slow', check: () => new Promise((resolve) => setTimeout(resolve, 1000)) });
    const res = await server.request('GET', '/health/ready');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ checks: { slow: { status: 'down', error: 'timed out after 200 ms' } } });
  });

  it('serves Prometheus metrics with the request histogram by route template', async () => {
    await server.request('GET', '/v1/loans/ZZ-2024-000123');
    const res = await server.request('GET', '/metrics/prometheus');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.text).toContain('process_cpu_user_seconds_total');
    const count = res.text.split('\n').find((line) => line.startsWith('http_server_request_duration_seconds_count') && line.includes('route="/v1/loans/:loanRef"'));
    expect(count).toMatch(/method="GET"/);
    expect(count).toMatch(/status="200"/);
    expect(count).toMatch(/service="http-test"/);
    expect(count).toMatch(/ 1$/);
    expect(metricsRegistry.getSingleMetric('http_server_request_duration_seconds')).toBeDefined();
  });

  it("exports each consumer group's applied, duplicate and dead-lettered events", async () => {
    const stats = (applied: number, duplicates: number, deadLettered: number) => ({ applied, duplicates, deadLettered, lastAppliedAt: null });
    setConsumerStatsSource(() => [
      { groupId: 'metrics.loans', stats: stats(120, 3, 2) },
      { groupId: 'metrics.risk', stats: stats(7, 0, 0) },
    ]);
    try {
      const text = (await server.request('GET', '/metrics/prometheus')).text;
      const line = (group: string, outcome: string) => text.split('\n').find((l) => l.startsWith('ipfin_consumer_events_total') && l.includes(`group="${group}"`) && l.includes(`outcome="${outcome}"`));
      expect(line('metrics.loans', 'applied')).toMatch(/ 120$/);
      expect(line('metrics.loans', 'duplicate')).toMatch(/ 3$/);
      expect(line('metrics.loans', 'dead_lettered')).toMatch(/ 2$/);
      expect(line('metrics.risk', 'dead_lettered')).toMatch(/ 0$/);
      setConsumerStatsSource(() => [{ groupId: 'metrics.loans', stats: stats(125, 3, 3) }]);
      const again = (await server.request('GET', '/metrics/prometheus')).text;
      expect(again).toMatch(/ipfin_consumer_events_total\{[^}]*group="metrics.loans"[^}]*outcome="dead_lettered"[^}]*\} 3/);
      expect(again).not.toContain('group="metrics.risk"');
    } finally {
      setConsumerStatsSource(runningConsumerStats);
    }
  });

  it('serves the OpenAPI document with the bearer scheme, and Swagger UI', async () => {
    const json = await server.request('GET', '/docs-json');
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({
      info: { title: 'pledge-loans', version: '1.0.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    });
    expect(Object.keys((json.body as { paths: object }).paths)).toEqual(['/v1/loans/{loanRef}']);
    const ui = await server.request('GET', '/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
  });

  it('echoes the caller x-request-id', async () => {
    const res = await server.request('GET', '/health/live', { headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
  });
});
