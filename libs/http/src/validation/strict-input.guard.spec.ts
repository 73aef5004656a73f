import { Body, Controller, Get, HttpCode, Module, Param, Post, Query } from '@nestjs/common';
import { IsString } from 'class-validator';
import { Public } from '../auth/auth.decorators';
import { signLocalToken } from '../auth/local-token';
import { TEST_SECRET, TestServer, startTestApp } from '../testing/http-test-app';

class NoteDto {
  @IsString() text!: string;
}

class SearchDto {
  @IsString() q!: string;
}

@Controller('v1/things')
class ThingsController {
  @Get('plain/:id')
  @Public()
  plain(@Param('id') id: string): { id: string } {
    return { id };
  }

  @Get('named')
  @Public()
  named(@Query('q') q: string | undefined): { q: string | null } {
    return { q: q ?? null };
  }

  @Get('search')
  @Public()
  search(@Query() query: SearchDto): SearchDto {
    return query;
  }

  @Post(':id/approve')
  @HttpCode(200)
  approve(@Param('id') id: string): { approved: string } {
    return { approved: id };
  }

  @Post('notes')
  @Public()
  note(@Body() body: NoteDto): NoteDto {
    return body;
  }
}

@Controller('outside')
class OutsideController {
  @Get()
  @Public()
  get(): { ok: true } {
    return { ok: true };
  }
}

@Module({ controllers: [ThingsController, OutsideController] })
class ThingsModule {}

const fields = (body: unknown): string[] => ((body as { errors?: { field: string }[] }).errors ?? []).map((e) => e.field);

describe('StrictInputGuard: unknown input is refused, not ignored', () => {
  let server: TestServer;
  const token = signLocalToken({ sub: 'fund-zz', role: 'fund', region: '350600' }, TEST_SECRET, '5m');

  beforeAll(async () => {
    server = await startTestApp(ThingsModule);
  });
  afterAll(() => server.close());

  it('refuses query parameters a route does not read, naming each', async () => {
    const res = await server.request('GET', '/v1/things/plain/7?limit=abc&x=1');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(fields(res.body)).toEqual(['limit', 'x']);
    expect((await server.request('GET', '/v1/things/plain/7')).body).toEqual({ id: '7' });
  });

  it('admits the query parameters a route names, and leaves DTO-typed queries to the pipe', async () => {
    expect((await server.request('GET', '/v1/things/named?q=a')).body).toEqual({ q: 'a' });
    expect(fields((await server.request('GET', '/v1/things/named?q=a&page=2')).body)).toEqual(['page']);
    expect((await server.request('GET', '/v1/things/search?q=a')).body).toEqual({ q: 'a' });
    const extra = await server.request('GET', '/v1/things/search?q=a&page=2');
    expect(extra.status).toBe(400);
    expect(fields(extra.body)).toEqual(['page']);
  });

  it('refuses a body sent to an operation that takes none, after authentication', async () => {
    expect((await server.request('POST', '/v1/things/c-1/approve', { body: { fundShare: '1.00' } })).status).toBe(401);
    const res = await server.request('POST', '/v1/things/c-1/approve', { token, body: { fundShare: '1.00' } });
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(['body']);
    expect((await server.request('POST', '/v1/things/c-1/approve', { token })).body).toEqual({ approved: 'c-1' });
    expect((await server.request('POST', '/v1/things/c-1/approve', { token, body: {} })).body).toEqual({ approved: 'c-1' });
  });

  it('leaves DTO bodies to the validation pipe and paths outside /v1 alone', async () => {
    expect((await server.request('POST', '/v1/things/notes', { body: { text: 'hi' } })).body).toEqual({ text: 'hi' });
    expect(fields((await server.request('POST', '/v1/things/notes', { body: { text: 'hi', extra: 1 } })).body)).toEqual(['extra']);
    expect((await server.request('GET', '/outside?v=123')).body).toEqual({ ok: true });
  });
});
