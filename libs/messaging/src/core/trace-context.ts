import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/*
 * W3C Trace Context (`traceparent`) for the events a request causes: events.md puts it next to the
 * `ce_*` headers. The HTTP layer runs each request in the trace its caller sent (or a new one);
 * the outbox stamps every event written on that path with it, and an event written outside any
 * request starts a trace of its own, so every record carries the header.
 */

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

export interface TraceParent {
  readonly traceId: string;
  readonly spanId: string;
  readonly flags: string;
}

/** A version-00 `traceparent`, or undefined when it is malformed or has an all-zero id (the spec's "invalid"). */
export function parseTraceparent(value: string | undefined): TraceParent | undefined {
  if (value === undefined) return undefined;
  const match = TRACEPARENT.exec(value.trim().toLowerCase());
  if (match === null || match[1] === ZERO_TRACE || match[2] === ZERO_SPAN) return undefined;
  return { traceId: match[1], spanId: match[2], flags: match[3] };
}

function spanId(): string {
  let id = randomBytes(8).toString('hex');
  while (id === ZERO_SPAN) id = randomBytes(8).toString('hex');
  return id;
}

/**
 * This process's span under the caller's: the caller's trace id and flags with a new span id, or a
 * new sampled trace when the caller sent none (or an invalid one).
 */
export function childTraceparent(parent?: string): string {
  const caller = parseTraceparent(parent);
  if (caller !== undefined) return `00-${caller.traceId}-${spanId()}-${caller.flags}`;
  let traceId = randomBytes(16).toString('hex');
  while (traceId === ZERO_TRACE) traceId = randomBytes(16).toString('hex');
  return `00-${traceId}-${spanId()}-01`;
}

const storage = new AsyncLocalStorage<string>();

/** Runs `fn` with `traceparent` as the trace of everything it writes to the outbox. */
export function runWithTraceparent<T>(traceparent: string, fn: () => T): T {
  return storage.run(traceparent, fn);
}

/** The trace of the request (or other unit of work) on this async path, if any. */
export function currentTraceparent(): string | undefined {
  return storage.getStore();
}
