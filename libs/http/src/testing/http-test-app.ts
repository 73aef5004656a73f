import { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigureAppOptions, configureApp } from '../bootstrap/configure-app';
import { ServiceExpressAdapter } from '../bootstrap/express-adapter';
import { PinoLoggerService } from '../logging/pino-logger.service';
import type { Problem } from '../problem/problem';

/** Test helper (not exported from the library): the configured app on a random local port, called with `fetch`. */
export const TEST_SECRET = 'test-secret-at-least-16-chars';

export interface TestResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON when the body is JSON, else `undefined`. */
  body: unknown;
  /** The body viewed as a problem (for assertions on error responses). */
  problem: Problem;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** Sent as is (e.g. malformed JSON). */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface TestServer {
  app: NestExpressApplication;
  baseUrl: string;
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  close(): Promise<void>;
}

export async function startTestApp(module: Type<unknown> | DynamicModule, options: Partial<ConfigureAppOptions> = {}): Promise<TestServer> {
  const app = await NestFactory.create<NestExpressApplication>(module, new ServiceExpressAdapter(), { logger: false });
  configureApp(app, {
    serviceName: 'http-test',
    logger: new PinoLoggerService({ service: 'http-test', level: 'silent' }),
    auth: { secret: TEST_SECRET },
    ...options,
  });
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');

  const request = async (method: string, path: string, opts: RequestOptions = {}): Promise<TestResponse> => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
    let payload: string | undefined = opts.rawBody;
    if (payload === undefined && opts.body !== undefined) payload = JSON.stringify(opts.body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    const body: unknown = /json/.test(type) && text !== '' ? JSON.parse(text) : undefined;
    return { status: response.status, headers: response.headers, text, body, problem: body as Problem };
  };

  return { app, baseUrl, request, close: () => app.close() };
}
