import type { Response } from 'express';
import { toCsv, wantsCsv } from './csv';

/**
 * JSON by default; `Accept: text/csv` gets the rows `csvRows` makes of the report (with the
 * header `columns`, when the rows may be none).
 */
export function respond<T>(report: T, accept: string | undefined, res: Response, csvRows: (report: T) => object[], columns?: readonly string[]): T | string {
  if (!wantsCsv(accept)) return report;
  res.type('text/csv');
  return toCsv(csvRows(report), columns);
}
