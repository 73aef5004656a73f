import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { Request } from 'express';
import type { FieldError } from '@ipfin/kernel';
import { validationException } from './validation.pipe';

/** What a handler takes: `'validated'` when a DTO takes the whole object (the pipe refuses unknown fields). */
interface Accepts {
  query: 'validated' | ReadonlySet<string>;
  body: 'validated' | ReadonlySet<string>;
}

interface RouteArg {
  index: number;
  data?: unknown;
}

function acceptsOf(controller: object, handler: string): Accepts {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler) ?? {}) as Record<string, RouteArg>;
  const take = (type: number): 'validated' | ReadonlySet<string> => {
    const names = new Set<string>();
    for (const [key, arg] of Object.entries(args)) {
      if (Number(key.split(':')[0]) !== type) continue; // custom decorators' keys are not numbers
      if (typeof arg.data !== 'string') return 'validated';
      names.add(arg.data);
    }
    return names;
  };
  return { query: take(RouteParamtypes.QUERY), body: take(RouteParamtypes.BODY) };
}

const hasBody = (body: unknown): boolean =>
  body !== undefined && body !== null && !(typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0);

/**
 * api.md: "unknown fields are rejected, not ignored". A DTO-typed `@Query()` / `@Body()` is checked
 * by the validation pipe (`forbidNonWhitelisted`); this global guard covers the routes of the
 * public API (`/v1/…`) that take no query DTO or no body at all: a query parameter they do not
 * read, or a body sent to an operation that takes none (`POST /v1/claims/{id}/approve`), is 400
 * naming it — never silently dropped. Runs after the auth guard, so a caller without a token still
 * gets 401 first.
 */
@Injectable()
export class StrictInputGuard implements CanActivate {
  private readonly cache = new Map<unknown, Accepts>();

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    if (!req.path.startsWith('/v1/')) return true;
    const handler = context.getHandler();
    let accepts = this.cache.get(handler);
    if (accepts === undefined) {
      accepts = acceptsOf(context.getClass(), handler.name);
      this.cache.set(handler, accepts);
    }
    const errors: FieldError[] = [];
    if (accepts.query !== 'validated') {
      for (const name of Object.keys(req.query)) {
        if (!accepts.query.has(name)) errors.push({ field: name, message: `query parameter ${name} is not accepted by this operation` });
      }
    }
    if (accepts.body !== 'validated' && hasBody(req.body)) {
      const allowed = accepts.body;
      if (allowed.size === 0 || typeof req.body !== 'object' || Array.isArray(req.body)) {
        errors.push({ field: 'body', message: 'this operation takes no body' });
      } else {
        for (const name of Object.keys(req.body as object)) {
          if (!allowed.has(name)) errors.push({ field: name, message: `property ${name} should not exist` });
        }
      }
    }
    if (errors.length > 0) throw validationException(errors);
    return true;
  }
}
