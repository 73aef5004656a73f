/** A small client for system tests: the public API through the one base URL, with local tokens. */
import { signLocalToken, type Role } from '@ipfin/http';
import { LOCAL_JWT_SECRET } from '../../tools/local-env';

export const baseUrl = (): string => process.env.IPFIN_BASE_URL ?? 'http://localhost:3000';

export function token(role: Role, sub: string, region?: string, uscc?: string): string {
  return signLocalToken({ sub, role, ...(region ? { region } : {}), ...(uscc ? { uscc } : {}) }, process.env.AUTH_JWT_SECRET ?? LOCAL_JWT_SECRET, '1h');
}

export interface ApiResponse<T = any> {
  status: number;
  contentType: string;
  body: T;
  text: string;
  headers: Headers;
}

export async function api<T = any>(method: string, path: string, opts: { token?: string; body?: unknown; accept?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> {
  const res = await fetch(`${baseUrl()}${path}`, {
    method,
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(opts.accept ? { accept: opts.accept } : {}),
      ...opts.headers,
    },
    body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
  });
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  let body: any = text;
  if (contentType.includes('json') && text) body = JSON.parse(text);
  return { status: res.status, contentType, body, text, headers: res.headers };
}

/** Polls until `probe` returns a value that passes `done`, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!done(last)) {
    if (Date.now() > deadline) return last;
    await new Promise((r) => setTimeout(r, 100));
    last = await probe();
  }
  return last;
}
