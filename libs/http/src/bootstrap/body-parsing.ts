import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { bodyErrorProblem } from '../problem/problem-details.filter';
import { ProblemException } from '../problem/problem.exception';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** A write with a body must send JSON: anything else is 415 rather than an empty DTO. */
export function requireJsonBody(req: Request, _res: Response, next: NextFunction): void {
  const type = req.headers['content-type'];
  if (BODY_METHODS.has(req.method) && hasBody(req) && (type === undefined || !JSON_TYPE.test(type))) {
    next(new ProblemException({ code: 'unsupported-media-type', status: 415, detail: 'Send the request body as application/json.' }));
    return;
  }
  next();
}

interface BodyParserError {
  status: number;
  message: string;
  type?: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && typeof (error as BodyParserError).type === 'string' && typeof (error as BodyParserError).status === 'number';
}

/** Where `bodyParserErrors` keeps the problem of a body it could not parse, for `BodyProblemGuard`. */
const BODY_PROBLEM = Symbol('ipfin.bodyProblem');
type WithBodyProblem = Request & { [BODY_PROBLEM]?: ProblemException };

/**
 * Error middleware right after the JSON parser. Too large → 413 and an unsupported encoding → 415
 * at once (the body is not read further). Malformed JSON → 400 `malformed-json`, but only once the
 * route's guards have passed (`BodyProblemGuard`, after the token's): a caller without a valid
 * token gets 401, as for any other request, not a verdict on its body.
 */
export function bodyParserErrors(error: unknown, req: Request, _res: Response, next: NextFunction): void {
  if (isBodyParserError(error) && error.status >= 400 && error.status < 500) {
    const init = bodyErrorProblem(error);
    if (init.code === 'malformed-json') {
      (req as WithBodyProblem)[BODY_PROBLEM] = new ProblemException(init, { cause: error });
      req.body = undefined;
      next();
      return;
    }
    next(new ProblemException(init, { cause: error }));
    return;
  }
  next(error);
}

/** Global guard after `AuthGuard`: the 400 of a body `bodyParserErrors` could not parse. */
export class BodyProblemGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const problem = context.switchToHttp().getRequest<WithBodyProblem>()[BODY_PROBLEM];
    if (problem !== undefined) throw problem;
    return true;
  }
}
