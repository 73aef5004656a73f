import type { Response } from 'express';
import { respond } from './respond';

function fakeResponse(originalUrl: string) {
  const headers = new Map<string, string>();
  let type: string | undefined;
  const res = {
    req: { originalUrl },
    type: (t: string) => { type = t; return res; },
    setHeader: (name: string, value: string) => { headers.set(name.toLowerCase(), value); return res; },
  };
  return { res: res as unknown as Response, headers, type: () => type };
}

describe('respond', () => {
  const report = { region: '350600', asOf: '2026-11-21T08:00:00.000Z', lagEvents: 3, rows: [{ bank: 'bank-a', loans: 2 }] };

  it('answers JSON untouched unless CSV is asked for', () => {
    const { res, headers } = fakeResponse('/v1/metrics/banks');
    expect(respond(report, 'application/json', res, (r) => r.rows)).toBe(report);
    expect(headers.size).toBe(0);
  });

  it('puts asOf and lagEvents of a CSV answer in its headers', () => {
    const { res, headers, type } = fakeResponse('/v1/metrics/banks?year=2026');
    expect(respond(report, 'text/csv', res, (r) => r.rows)).toBe('bank,loans\r\nbank-a,2\r\n');
    expect(type()).toBe('text/csv');
    expect(Object.fromEntries(headers)).toEqual({ 'ipfin-as-of': '2026-11-21T08:00:00.000Z', 'ipfin-lag-events': '3' });
  });

  it('leaves Ipfin-As-Of empty before anything is folded', () => {
    const { res, headers } = fakeResponse('/v1/metrics/banks');
    respond({ ...report, asOf: null }, 'text/csv', res, (r) => r.rows);
    expect(headers.get('ipfin-as-of')).toBe('');
  });

  it('links the next page of a paged answer, keeping the other parameters', () => {
    const { res, headers } = fakeResponse('/v1/targets?region=350500&limit=1&cursor=old');
    respond({ items: [{ id: 't1' }], nextCursor: 'eyJpZCI6InQxIn0=', asOf: null, lagEvents: 0 }, 'text/csv', res, (p) => p.items, ['id']);
    expect(headers.get('link')).toBe('</v1/targets?region=350500&limit=1&cursor=eyJpZCI6InQxIn0%3D>; rel="next"');
    const last = fakeResponse('/v1/targets?region=350500');
    respond({ items: [], nextCursor: null, asOf: null, lagEvents: 0 }, 'text/csv', last.res, (p) => p.items, ['id']);
    expect(last.headers.has('link')).toBe(false);
  });
});
