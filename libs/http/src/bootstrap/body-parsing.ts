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

/** Error middleware right after the JSON parser: malformed JSON → 400 `malformed-json`, too large → 413. */
export function bodyParserErrors(error: unknown, _req: Request, _res: Response, next: NextFunction): void {
  if (isBodyParserError(error) && error.status >= 400 && error.status < 500) {
    next(new ProblemException(bodyErrorProblem(error), { cause: error }));
    return;
  }
  next(error);
}
