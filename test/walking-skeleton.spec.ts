/**
 * One loan from bank to regulator through http://localhost:3000: the bank posts events to
 * pledge-loans, they travel outbox → ipfin.loans.v1 → metrics, and the regulator sees them.
 */
import { api, eventually, token } from './support/client';
import { SERVICE_PROCESSES } from '../tools/services';
import { borrower, event, patent, registration, ZHANGZHOU, ZHAOAN } from './fixtures';

const bank = token('bank', 'bank-icbc-zz', ZHANGZHOU);
const regulator = token('regulator', 'zz-ip-office', ZHANGZHOU);

// The loans of this file are all in Zhao'an county (ZHAOAN), which no other system test uses.
const financing = async (query = `region=${ZHAOAN}&year=2024`) =>
  (await api('GET', `/v1/metrics/financing?${query}`, { token: regulator })).body;

describe('walking skeleton: a loan reaches the regulator', () => {
  it("starts with nothing in the county's figures", async () => {
    const report = await financing();
    expect(report.totals).toMatchObject({ loans: 0, contracted: '0.00', smesServed: 0 });
  });

  it('shows a registered and disbursed loan in the regulator totals', async () => {
    const post = await api('POST', '/v1/loan-events', {
      token: bank,
      body: [
        registration('icbc-zz-0001', 'ZZ-2024-000123', '2024-03-01', { borrower: borrower(1, 'small', ZHAOAN), principal: '5000000.00', patents: [patent(123456)] }),
        event('icbc-zz-0002', 'LoanDisbursed', 'ZZ-2024-000123', '2024-03-05', { amount: '3000000.00' }),
        event('icbc-zz-0003', 'LoanDisbursed', 'ZZ-2024-000123', '2024-04-10', { amount: '2000000.00' }),
      ],
    });
    expect(post.status).toBe(200);
    expect(post.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);

    const report = await eventually(() => financing(`region=${ZHAOAN}&year=2024&groupBy=quarter`), (r) => r.totals.loans === 1 && r.totals.disbursed === '5000000.00');
    expect(report).toMatchObject({ region: ZHAOAN, from: '2024-01-01', to: '2024-12-31', groupBy: 'quarter' });
    // The prefecture includes its county.
    const prefecture = (await api('GET', `/v1/metrics/financing?region=${ZHANGZHOU}&year=2024&groupBy=region`, { token: regulator })).body;
    expect(prefecture.rows.find((r: { key: string }) => r.key === ZHAOAN)).toMatchObject({ loans: 1, contracted: '5000000.00' });
    expect(report.totals).toEqual({
      loans: 1, contracted: '5000000.00', disbursed: '5000000.00', outstanding: '5000000.00', smesServed: 1,
      patentPledged: '5000000.00', trademarkPledged: '0.00', defaults: 0, principalLoss: '0.00',
    });
    expect(report.rows.map((r: { key: string; disbursed: string; outstanding: string }) => [r.key, r.disbursed, r.outstanding])).toEqual([
      ['2024-Q1', '3000000.00', '3000000.00'],
      ['2024-Q2', '2000000.00', '5000000.00'],
    ]);
    expect(typeof report.asOf).toBe('string');
    // lagEvents is served from a cache refreshed in the background (up to 5 s old), so the answer
    // that first shows the loan may still count its events as unfolded: it must drain to 0.
    expect(report.lagEvents).toBeGreaterThanOrEqual(0);
    const drained = await eventually(() => financing(`region=${ZHAOAN}&year=2024`), (r) => r.lagEvents === 0);
    expect(drained.totals.loans).toBe(1);

    const loan = await api('GET', '/v1/loans/ZZ-2024-000123', { token: bank });
    expect(loan.status).toBe(200);
    expect(loan.body).toMatchObject({ status: 'disbursed', principal: '5000000.00', disbursed: '5000000.00', outstanding: '5000000.00' });
    expect(loan.body.events).toHaveLength(3);
  });

  it('answers the same figures as CSV', async () => {
    const csv = await api('GET', `/v1/metrics/financing?region=${ZHAOAN}&year=2024`, { token: regulator, accept: 'text/csv' });
    expect(csv.contentType).toContain('text/csv');
    expect(csv.text.split('\r\n')[1]).toBe('totals,1,5000000.00,5000000.00,5000000.00,1,5000000.00,0.00,0,0.00');
  });

  it('was folded by the metrics projector, while the process that answered folds nothing', async () => {
    // Each process's own Prometheus counts of the events its consumer groups applied, and the
    // service it labels its metrics with.
    const exported = async (name: string): Promise<{ applied: Map<string, number>; services: Set<string> }> => {
      const port = SERVICE_PROCESSES.find((p) => p.name === name)!.port;
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics/prometheus`)).text();
      const applied = new Map<string, number>();
      for (const [, group, n] of text.matchAll(/^ipfin_consumer_events_total\{group="([^"]+)",outcome="applied"[^}]*\} (\d+)$/gm)) applied.set(group, Number(n));
      return { applied, services: new Set([...text.matchAll(/service="([^"]+)"/g)].map(([, s]) => s)) };
    };
    const answering = await exported('metrics');
    expect(answering.applied).toEqual(new Map());
    expect(answering.services).toEqual(new Set(['metrics']));
    const { applied: projector, services } = await exported('metrics-projector');
    expect(services).toEqual(new Set(['metrics-projector']));
    expect([...projector.keys()].sort()).toEqual(['metrics.loans', 'metrics.patents', 'metrics.products', 'metrics.risk']);
    expect(projector.get('metrics.loans')).toBeGreaterThanOrEqual(3);
  });

  it('refuses a regulator outside its region and a bank posting nothing valid', async () => {
    const other = await api('GET', '/v1/metrics/financing?region=350500', { token: regulator });
    expect(other.status).toBe(403);
    expect(other.contentType).toContain('application/problem+json');
    const anonymous = await api('GET', `/v1/metrics/financing?region=${ZHANGZHOU}`);
    expect(anonymous.status).toBe(401);
    const regulatorWrites = await api('POST', '/v1/loan-events', { token: regulator, body: [] });
    expect(regulatorWrites.status).toBe(403);
  });
});

describe('bad input on POST /v1/loan-events names the field and stores nothing', () => {
  const good = () => registration('bad-0001', 'ZZ-BAD-1', '2024-05-01', { borrower: borrower(2, 'small', ZHAOAN), principal: '100000.00', patents: [patent(222222)] });
  const cases: [string, (e: any) => void, string][] = [
    ['an unknown field', (e) => { e.data.colour = 'blue'; }, '[0].data.colour'],
    ['a wrong USCC check character', (e) => { const u: string = e.data.borrower.uscc; e.data.borrower.uscc = u.slice(0, 17) + (u.endsWith('0') ? '1' : '0'); }, '[0].data.borrower.uscc'],
    ['float money', (e) => { e.data.principal = 100000.5; }, '[0].data.principal'],
    ['a negative amount', (e) => { e.data.principal = '-100.00'; }, '[0].data.principal'],
  ];

  it.each(cases)('%s', async (_name, spoil, field) => {
    const item = good();
    spoil(item);
    const res = await api('POST', '/v1/loan-events', { token: bank, body: [item] });
    expect(res.status).toBe(200);
    const [result] = res.body.results;
    expect(result.status).toBe('rejected');
    expect(result.problem).toMatchObject({ status: 400, type: expect.stringContaining('/problems/') });
    expect(result.problem.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect((await api('GET', '/v1/loans/ZZ-BAD-1', { token: bank })).status).toBe(404);
  });

  it('rejects a body that is not a batch with a 400 problem', async () => {
    const res = await api('POST', '/v1/loan-events', { token: bank, body: { eventId: 'x' } });
    expect(res.status).toBe(400);
    expect(res.contentType).toContain('application/problem+json');
  });

  it('stored none of the refused events: the county still shows one loan', async () => {
    const report = await financing();
    expect(report.totals.loans).toBe(1);
  });
});
