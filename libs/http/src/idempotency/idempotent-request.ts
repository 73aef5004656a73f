import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { EntityManager } from 'typeorm';
import { preparedQuery } from '@ipfin/messaging';
import { principalOf } from '../auth/principal';
import { ProblemException } from '../problem/problem.exception';
import { requestHash } from './canonical-json';
import { IDEMPOTENCY_TABLE } from './idempotency.sql';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/*
 * `IdempotencyInterceptor` records a request's result only after the handler's transaction has
 * committed. If that `complete` is lost (the process dies, the UPDATE fails), the key stays
 * pending, a retry more than 60 s later takes it over, and the operation runs again. Harmless where
 * the operation has a natural key (a loan event's `eventId`, a filing per product and year); a
 * double count where it has none (a fund's contribution or recovery gets a fresh id). Such
 * operations take the key into their own transaction: `holdIdempotencyKey` first, then
 * `recordIdempotentResult` last, so the change and its recorded answer commit together. The
 * interceptor's later `complete` writes the same status and body again.
 */

/** The caller, the key and the request's hash as the interceptor keys its rows; undefined without the header. */
export function keyedRequestOf(req: Request): { owner: string; key: string; requestHash: string } | undefined {
  const header = req.headers[IDEMPOTENCY_KEY_HEADER];
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined) return undefined;
  return {
    owner: principalOf(req)?.sub ?? 'anonymous',
    key,
    requestHash: requestHash(req.method, req.originalUrl.split('?')[0], req.body),
  };
}

/** A write carrying an `Idempotency-Key`: the interceptor's row and what it will answer with. */
export interface IdempotentRequest {
  /** The caller's `sub`, as the interceptor keys its rows. */
  readonly owner: string;
  readonly key: string;
  /** The interceptor's hash of method, path and body. */
  readonly requestHash: string;
  /** The route's success status (201, or 200 with `@HttpCode(200)`). */
  readonly status: number;
}

/**
 * The request's `Idempotency-Key`, owner and request hash (`keyedRequestOf`, as the interceptor
 * keys its rows); `undefined` without the header. Use only on `@Idempotent()` routes.
 */
export const IdempotencyOf = createParamDecorator((_: unknown, ctx: ExecutionContext): IdempotentRequest | undefined => {
  const http = ctx.switchToHttp();
  const keyed = keyedRequestOf(http.getRequest<Request>());
  // Nest sets the route's status before the interceptors and the handler run.
  return keyed === undefined ? undefined : { ...keyed, status: http.getResponse<Response>().statusCode };
});

interface KeyRow {
  request_hash: string;
  response_status: number | null;
}

/*
 * Refusals here are ProblemExceptions, not domain errors, on purpose: the interceptor stores a
 * domain refusal as the key's answer, which would overwrite the result already recorded.
 */
const alreadyAnswered = (): ProblemException =>
  new ProblemException({
    code: 'idempotency-key-in-flight',
    status: 409,
    detail: 'A request with this Idempotency-Key has just been processed; retry to receive its result.',
  });

const reused = (): ProblemException =>
  new ProblemException({
    code: 'idempotency-key-reused',
    status: 409,
    detail: 'This Idempotency-Key was already used for a different request; use a new key for a new request.',
  });

/**
 * First thing after the fund row lock: locks the key's row for the rest of the transaction (so a
 * takeover waits for it) and refuses when the key already has an answer or now belongs to another
 * request — the same request taken over after 60 s that another run has meanwhile completed.
 * Without a row (no header, or the interceptor released it) there is nothing to guard.
 */
export async function holdIdempotencyKey(m: EntityManager, request: IdempotentRequest | undefined): Promise<void> {
  if (request === undefined) return;
  const rows = await preparedQuery<KeyRow>(
    m,
    `select request_hash, response_status from ${IDEMPOTENCY_TABLE}
      where principal_sub = $1 and idempotency_key = $2 for update`,
    [request.owner, request.key],
  );
  const row = rows[0];
  if (row === undefined) return;
  if (row.request_hash !== request.requestHash) throw reused();
  if (row.response_status !== null) throw alreadyAnswered();
}

/**
 * Last thing before the commit: records `body` as the key's answer in the same transaction as the
 * change, so a retry replays it even if the interceptor never gets to. Refuses (rolling the change
 * back) if the key was answered by another run in between.
 */
export async function recordIdempotentResult(m: EntityManager, request: IdempotentRequest | undefined, body: unknown): Promise<void> {
  if (request === undefined) return;
  const recorded = await preparedQuery(
    m,
    `insert into ${IDEMPOTENCY_TABLE} as k
            (principal_sub, idempotency_key, request_hash, response_status, response_body, completed_at)
     values ($1, $2, $3, $4, $5::jsonb, now())
     on conflict (principal_sub, idempotency_key) do update
        set response_status = excluded.response_status, response_body = excluded.response_body, completed_at = now()
      where k.response_status is null and k.request_hash = excluded.request_hash
     returning 1`,
    [request.owner, request.key, request.requestHash, request.status, JSON.stringify(body)],
  );
  if (recorded.length === 0) throw alreadyAnswered();
}
