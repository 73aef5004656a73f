import { Controller, Get, Module } from '@nestjs/common';
import { currentTraceparent, parseTraceparent } from '@ipfin/messaging';
import { Public } from '../auth/auth.decorators';
import { TestServer, startTestApp } from '../testing/http-test-app';

@Controller('v1/trace')
class TraceController {
  /** What the outbox would stamp on an event written by this request. */
  @Get()
  @Public()
  async get(): Promise<{ traceparent: string | undefined }> {
    await new Promise((resolve) => setImmediate(resolve));
    return { traceparent: currentTraceparent() };
  }
}

@Module({ controllers: [TraceController] })
class TraceModule {}

const CALLER = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('request trace context', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestApp(TraceModule);
  });
  afterAll(() => server.close());

  const traceOf = async (headers: Record<string, string> = {}) =>
    parseTraceparent(((await server.request('GET', '/v1/trace', { headers })).body as { traceparent?: string }).traceparent);

  it("runs the request in a span of the caller's trace", async () => {
    const trace = await traceOf({ traceparent: CALLER });
    expect(trace).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', flags: '01' });
    expect(trace?.spanId).not.toBe('00f067aa0ba902b7');
  });

  it('starts a trace of its own without a valid traceparent', async () => {
    const plain = await traceOf();
    const invalid = await traceOf({ traceparent: '00-zz-00f067aa0ba902b7-01' });
    expect(plain).toBeDefined();
    expect(invalid).toBeDefined();
    expect(plain?.traceId).not.toBe(invalid?.traceId);
  });
});
