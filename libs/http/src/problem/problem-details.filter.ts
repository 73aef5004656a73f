import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger, LoggerService } from '@nestjs/common';
import { isDomainError } from '@ipfin/kernel';
import type { Request, Response } from 'express';
import { correlationIdOf } from '../logging/request-context';
import { ProblemException } from './problem.exception';
import { PROBLEM_CONTENT_TYPE, Problem, ProblemInit, internalProblem, problem, problemFromDomainError, statusTitle } from './problem';

/** Codes for framework exceptions that carry only a status. */
const STATUS_CODES_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'bad-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  408: 'request-timeout',
  409: 'conflict',
  410: 'gone',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable-content',
  429: 'too-many-requests',
  500: 'internal',
  501: 'not-implemented',
  502: 'bad-gateway',
  503: 'service-unavailable',
  504: 'gateway-timeout',
};

function codeForStatus(status: number): string {
  return STATUS_CODES_BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'http-error');
}

/** body-parser (http-errors) failures that reach the filter without being converted first. */
interface ExposedHttpError {
  status: number;
  message: string;
  type?: string;
  expose: true;
}

function isExposedHttpError(value: unknown): value is ExposedHttpError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<ExposedHttpError>;
  return candidate.expose === true && typeof candidate.status === 'number' && candidate.status >= 400 && candidate.status < 500;
}

/** Maps body-parser's error types to problems (shared by the filter and the body middleware). */
export function bodyErrorProblem(error: { status: number; message: string; type?: string }): ProblemInit {
  switch (error.type ?? '') {
    case 'entity.parse.failed':
      return { code: 'malformed-json', status: 400, detail: `The request body is not valid JSON: ${error.message}` };
    case 'entity.too.large':
      return { code: 'payload-too-large', status: 413, detail: 'The request body is larger than this endpoint accepts.' };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { code: 'unsupported-media-type', status: 415, detail: error.message };
    default:
      return { code: codeForStatus(error.status), status: error.status, detail: error.message };
  }
}

function detailOfHttpException(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  if (typeof response === 'object' && response !== null) {
    const message = (response as { message?: unknown }).message;
    if (typeof message === 'string') return message;
    if (Array.isArray(message)) return message.map(String).join('; ');
  }
  return exception.message;
}

/** Turns anything thrown into the problem the client sees (without `instance`/`correlationId`). */
export function toProblem(exception: unknown): Problem {
  if (isDomainError(exception)) return problemFromDomainError(exception);
  if (exception instanceof ProblemException) return { ...exception.problem };
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status >= 500 && status !== 503) return status === 500 ? internalProblem() : problem({ code: codeForStatus(status), status, detail: statusTitle(status) });
    const detail = detailOfHttpException(exception);
    // Nest maps body-parser's SyntaxError to a plain BadRequestException when no body middleware of ours ran.
    if (status === 400 && exception.constructor.name === 'BadRequestException' && /JSON/.test(detail)) {
      return problem({ code: 'malformed-json', status, detail: `The request body is not valid JSON: ${detail}` });
    }
    return problem({ code: codeForStatus(status), status, detail });
  }
  if (isExposedHttpError(exception)) return problem(bodyErrorProblem(exception));
  return internalProblem();
}

/**
 * The one global exception filter: every error leaves as `application/problem+json` with the
 * request path as `instance` and the correlation id. Unexpected errors become a bare 500 and are
 * logged with their stack; nothing of them reaches the client.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly logger: LoggerService = new Logger('ProblemDetailsFilter')) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const correlationId = correlationIdOf(req);
    const body: Problem = { ...toProblem(exception), instance: req.originalUrl.split('?')[0], correlationId };

    if (body.status >= 500) {
      const stack = exception instanceof Error ? exception.stack : undefined;
      const message = exception instanceof Error ? exception.message : String(exception);
      this.logger.error({ msg: `Unhandled error: ${message}`, correlationId, method: req.method, path: body.instance, stack, problem: body.type }, 'ProblemDetailsFilter');
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    if (body.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="ipfin"');
    res.status(body.status).type(PROBLEM_CONTENT_TYPE).json(body);
  }
}
