import { CallHandler, ExecutionContext, Inject, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { isDomainError } from '@ipfin/kernel';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { Observable, catchError, from, mergeMap, of, throwError } from 'rxjs';
import { correlationIdOf } from '../logging/request-context';
import { PROBLEM_CONTENT_TYPE, Problem, problemFromDomainError } from '../problem/problem';
import { ProblemException } from '../problem/problem.exception';
import { IdempotencyStore } from './idempotency.store';
import { keyedRequestOf } from './idempotent-request';

/** A TypeORM `DataSource` for the service's database. */
export const IDEMPOTENCY_DATASOURCE = Symbol('IDEMPOTENCY_DATASOURCE');
/** The service's schema name, holding `idempotency_keys`. */
export const IDEMPOTENCY_SCHEMA = Symbol('IDEMPOTENCY_SCHEMA');

export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

const KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;

/** Business refusals are answers worth replaying; bad input and auth failures are not (the caller fixes and retries). */
const STORED_KINDS: ReadonlySet<string> = new Set(['not-found', 'conflict', 'rule', 'forbidden']);

/**
 * `Idempotency-Key` for single-object POSTs (apply with `@Idempotent()`). Without the header the
 * request runs as usual. With it: a replay of the same request answers the stored status and body
 * with `Idempotent-Replayed: true`; the same key for a different request is 409
 * `idempotency-key-reused`; while the first is still running, 409 `idempotency-key-in-flight`.
 * Stored: 2xx results and 4xx business refusals (DomainError not-found/conflict/rule/forbidden).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);
  private readonly store: IdempotencyStore;

  constructor(@Inject(IDEMPOTENCY_DATASOURCE) dataSource: DataSource, @Inject(IDEMPOTENCY_SCHEMA) schema: string) {
    this.store = new IdempotencyStore(dataSource, schema);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const keyed = keyedRequestOf(req);
    if (keyed === undefined) return next.handle();
    const { owner, key, requestHash: hash } = keyed;
    if (!KEY_SHAPE.test(key)) {
      return throwError(
        () => new ProblemException({ code: 'invalid-idempotency-key', status: 400, detail: 'Idempotency-Key must be 1-255 visible ASCII characters.' }),
      );
    }

    return from(this.store.begin(owner, key, hash)).pipe(
      mergeMap((begun) => {
        switch (begun.outcome) {
          case 'replay':
            res.status(begun.status);
            res.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
            if (begun.status >= 400) res.type(PROBLEM_CONTENT_TYPE);
            return of(begun.body ?? undefined);
          case 'mismatch':
            return throwError(
              () =>
                new ProblemException({
                  code: 'idempotency-key-reused',
                  status: 409,
                  detail: 'This Idempotency-Key was already used for a different request; use a new key for a new request.',
                }),
            );
          case 'in-flight':
            return throwError(
              () =>
                new ProblemException({
                  code: 'idempotency-key-in-flight',
                  status: 409,
                  detail: 'A request with this Idempotency-Key is still being processed; retry shortly.',
                }),
            );
          case 'started':
            return this.runFirst(next, owner, key, req, res);
        }
      }),
    );
  }

  private runFirst(next: CallHandler, owner: string, key: string, req: Request, res: Response): Observable<unknown> {
    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        // What the client will receive: JSON as express serialises it.
        const stored: unknown = body === undefined ? null : JSON.parse(JSON.stringify(body));
        try {
          await this.store.complete(owner, key, res.statusCode, stored);
        } catch (error: unknown) {
          // The operation succeeded: answer it. The pending row expires and a retry runs again.
          this.logger.error(`Cannot record Idempotency-Key outcome: ${error instanceof Error ? error.message : String(error)}`);
        }
        return body;
      }),
      catchError((error: unknown) => from(this.settleFailure(owner, key, req, error)).pipe(mergeMap(() => throwError(() => error)))),
    );
  }

  private async settleFailure(owner: string, key: string, req: Request, error: unknown): Promise<void> {
    try {
      if (isDomainError(error) && STORED_KINDS.has(error.kind)) {
        const body: Problem = { ...problemFromDomainError(error), instance: req.originalUrl.split('?')[0], correlationId: correlationIdOf(req) };
        await this.store.complete(owner, key, body.status, body);
      } else {
        await this.store.release(owner, key);
      }
    } catch (storeError: unknown) {
      this.logger.error(`Cannot settle Idempotency-Key after a failure: ${storeError instanceof Error ? storeError.message : String(storeError)}`);
    }
  }
}
