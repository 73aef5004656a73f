import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const CORRELATION_HEADER = 'x-request-id';

export interface RequestContext {
  readonly correlationId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();
const correlationIds = new WeakMap<object, string>();

/** A caller-supplied id is echoed only when it is short and plain, so logs cannot be forged. */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** Correlation id of the request being handled on this async path, if any (for logs). */
export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

/** The request's correlation id: assigned once, from `x-request-id` when acceptable, else a UUID. */
export function correlationIdOf(req: { headers: IncomingHttpHeaders }): string {
  const known = correlationIds.get(req);
  if (known !== undefined) return known;
  const header = req.headers[CORRELATION_HEADER];
  const candidate = Array.isArray(header) ? header[0] : header;
  const id = candidate !== undefined && ACCEPTABLE_ID.test(candidate) ? candidate : randomUUID();
  correlationIds.set(req, id);
  return id;
}
