import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Get, Module, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Public } from '../auth/auth.decorators';
import { TestServer, startTestApp } from '../testing/http-test-app';

@Controller('v1/echo')
class EchoController {
  @Get()
  @Public()
  echo(@Query('q') q: string, @Req() req: Request): { q: string; ip: string | undefined; accepts: string | false } {
    // Express's own request helpers still work on requests built with its prototypes.
    return { q, ip: req.ip, accepts: req.accepts('json') };
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

describe('ServiceExpressAdapter', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestApp(EchoModule);
  });
  afterAll(() => server.close());

  it('builds requests and responses with the Express app prototypes before Express sees them', async () => {
    const app = server.app.getHttpAdapter().getInstance() as { request: object; response: object };
    const seen: { request: object | null; response: object | null }[] = [];
    const httpServer = server.app.getHttpServer();
    // Runs before Express's own listener: the prototypes as Node made the objects.
    const first = (req: IncomingMessage, res: ServerResponse): void => {
      seen.push({ request: Object.getPrototypeOf(req) as object, response: Object.getPrototypeOf(res) as object });
    };
    httpServer.prependListener('request', first);
    try {
      const res = await server.request('GET', '/v1/echo?q=fen');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ q: 'fen', accepts: 'json' });
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    } finally {
      httpServer.removeListener('request', first);
    }
    expect(seen).toEqual([{ request: app.request, response: app.response }]);
  });
});
