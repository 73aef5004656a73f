import { childTraceparent, runWithTraceparent } from '@ipfin/messaging';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { principalOf } from '../auth/principal';
import { CORRELATION_HEADER, correlationIdOf, runWithRequestContext } from './request-context';

/** Probes and scrapes hit these every few seconds: logged at debug so they do not drown the rest. */
const QUIET_PATHS = /^\/(health\/|metrics\/prometheus)/;

function pathOf(req: Request): string {
  return req.originalUrl.split('?')[0];
}

/**
 * Assigns the correlation id (from `x-request-id` or fresh), echoes it in the response header,
 * runs the rest of the request in its context — and in a span of the caller's W3C trace
 * (`traceparent`, or a new trace), which the events it writes carry — and logs one line when the
 * response is sent.
 */
export function requestContextMiddleware(logger?: Logger): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    const correlationId = correlationIdOf(req);
    res.setHeader(CORRELATION_HEADER, correlationId);
    if (logger !== undefined) {
      const started = process.hrtime.bigint();
      res.once('finish', () => {
        const path = pathOf(req);
        const status = res.statusCode;
        const fields = {
          correlationId,
          method: req.method,
          path,
          status,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
          sub: principalOf(req)?.sub,
        };
        if (status >= 500) logger.error(fields, 'request failed');
        else if (QUIET_PATHS.test(path)) logger.debug(fields, 'request completed');
        else logger.info(fields, 'request completed');
      });
    }
    const header = req.headers.traceparent;
    const traceparent = childTraceparent(Array.isArray(header) ? header[0] : header);
    runWithTraceparent(traceparent, () => runWithRequestContext({ correlationId }, next));
  };
}
