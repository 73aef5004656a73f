import type { NextFunction, Request, Response } from 'express';

/**
 * `Server-Timing: app;dur=<ms>` on every answer: the time from the request reaching the service's
 * middleware to its headers being written (validation, auth, queries, serialisation), so a
 * benchmark can read the server-side latency of each request (bench/metrics).
 */
export function serverTiming(req: Request, res: Response, next: NextFunction): void {
  const start = process.hrtime.bigint();
  const writeHead = res.writeHead;
  res.writeHead = function (this: Response, ...args: unknown[]) {
    if (!this.headersSent) {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      this.setHeader('Server-Timing', `app;dur=${ms.toFixed(3)}`);
    }
    return (writeHead as (...a: unknown[]) => Response).apply(this, args);
  } as Response['writeHead'];
  next();
}
