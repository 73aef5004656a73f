import type { Response } from 'express';
import { toCsv, wantsCsv } from './csv';

export const AS_OF_HEADER = 'Ipfin-As-Of';
export const LAG_EVENTS_HEADER = 'Ipfin-Lag-Events';

/**
 * JSON by default; `Accept: text/csv` gets the rows `csvRows` makes of the report (with the
 * header `columns`, when the rows may be none). What the JSON says beside its rows travels in
 * the CSV answer's headers: `Ipfin-As-Of` and `Ipfin-Lag-Events` (every report has them; empty
 * `Ipfin-As-Of` when nothing is folded yet), and `Link: <…&cursor=…>; rel="next"` for a page that
 * has a next one.
 */
export function respond<T extends object>(report: T, accept: string | undefined, res: Response, csvRows: (report: T) => object[], columns?: readonly string[]): T | string {
  if (!wantsCsv(accept)) return report;
  csvHeaders(report, res);
  return toCsv(csvRows(report), columns);
}

/** The content type and headers of the CSV answer of `report` (`respond`), for a CSV body made elsewhere. */
export function csvHeaders(report: object, res: Response): void {
  res.type('text/csv');
  const { asOf, lagEvents, nextCursor } = report as { asOf?: unknown; lagEvents?: unknown; nextCursor?: unknown };
  if (asOf !== undefined) res.setHeader(AS_OF_HEADER, typeof asOf === 'string' ? asOf : '');
  if (typeof lagEvents === 'number') res.setHeader(LAG_EVENTS_HEADER, String(lagEvents));
  if (typeof nextCursor === 'string') res.setHeader('Link', `<${withCursor(res.req.originalUrl, nextCursor)}>; rel="next"`);
}

/** The request's path and query with `cursor` set to `cursor` (the other parameters kept). */
function withCursor(originalUrl: string, cursor: string): string {
  const url = new URL(originalUrl, 'http://localhost');
  url.searchParams.set('cursor', cursor);
  return `${url.pathname}${url.search}`;
}
