import { request } from 'node:http';
import { Controller, Get, Logger, Module, Post, Body } from '@nestjs/common';
import { IsString } from 'class-validator';
import { Public } from '../auth/auth.decorators';
import { TestServer, startTestApp } from '../testing/http-test-app';
import { PinoLoggerService } from './pino-logger.service';

class NoteDto {
  @IsString() text!: string;
}

@Controller('v1/notes')
@Public()
class NotesController {
  private readonly logger = new Logger('NotesController');

  @Post()
  async create(@Body() note: NoteDto): Promise<NoteDto> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.logger.log(`note received: ${note.text}`);
    return note;
  }

  @Get('crash')
  crash(): never {
    throw new TypeError('cannot read properties of undefined');
  }
}

@Module({ controllers: [NotesController] })
class NotesModule {}

describe('structured logs', () => {
  const lines: Record<string, unknown>[] = [];
  const logger = new PinoLoggerService({ service: 'notes', level: 'debug', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestApp(NotesModule, { logger });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    lines.length = 0;
  });

  it('writes JSON lines with service, level and the correlation id of the request, also from service code', async () => {
    await server.request('POST', '/v1/notes', { body: { text: 'hello' }, headers: { 'x-request-id': 'corr-42' } });
    const serviceLine = lines.find((line) => line.msg === 'note received: hello');
    expect(serviceLine).toMatchObject({ level: 'info', service: 'notes', context: 'NotesController', correlationId: 'corr-42' });
    expect(typeof serviceLine?.time).toBe('string');
    const requestLine = lines.find((line) => line.msg === 'request completed');
    expect(requestLine).toMatchObject({ service: 'notes', correlationId: 'corr-42', method: 'POST', path: '/v1/notes', status: 201, durationMs: expect.any(Number) });
  });

  it('keeps the correlation id in service code when the body arrives after the headers', async () => {
    const body = JSON.stringify({ text: 'slow body' });
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.baseUrl}/v1/notes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-request-id': 'corr-slow' },
      }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.flushHeaders();
      // The body comes in a later packet: the JSON parser goes on from the stream's events, and
      // the context the first middleware entered must still be there (raw-body binds its callback).
      setTimeout(() => req.end(body), 50);
    });
    expect(status).toBe(201);
    expect(lines.find((line) => line.msg === 'note received: slow body')).toMatchObject({ context: 'NotesController', correlationId: 'corr-slow' });
  });

  it('logs an unexpected error with its stack and the correlation id', async () => {
    const res = await server.request('GET', '/v1/notes/crash');
    const errorLine = lines.find((line) => line.level === 'error' && String(line.msg).startsWith('Unhandled error'));
    expect(errorLine).toMatchObject({ service: 'notes', correlationId: res.headers.get('x-request-id'), path: '/v1/notes/crash' });
    expect(errorLine?.stack).toMatch(/TypeError: cannot read properties of undefined\n\s+at /);
  });

  it('maps Nest call conventions: context last, stack for errors', () => {
    logger.error('boom', 'Error: boom\n    at x (y.ts:1:1)', 'Ctx');
    logger.warn({ event: 'slow-query', ms: 1200 }, 'Db');
    logger.verbose('hidden at debug level');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'error', msg: 'boom', context: 'Ctx', stack: expect.stringContaining('at x') }),
      expect.objectContaining({ level: 'warn', event: 'slow-query', ms: 1200, context: 'Db' }),
    ]);
  });
});
