/**
 * Golden figures: a seeded multi-bank, multi-county dataset goes in through the public API of every
 * producer (loan events, the 350627 county fund and its claims, a university's patents,
 * transfers, licences and open licences, enterprises' and an agency's product filings with the
 * regulator's decisions), and every figure the regulator reads from /v1/metrics/* and /v1/targets
 * is compared with the oracle in ./metrics-fixtures, which recomputes it from the same data.
 */
import { shanghaiToday, systemClock } from '@ipfin/kernel';
import { SERVICES } from '../tools/services';
import { api, eventually, token, type ApiResponse } from './support/client';
import {
  AGENCY, BANKS, COOPERATING, FUND, NANAN, QZ, QZ_COUNTIES, UNIVERSITY, ZERO_FIGURES, ZZ, ZZ_COUNTIES, addDays, agencyRow, bankListed, bankRow, financing,
  generateGolden, loanEventsByBank, products, riskFund, transfers, yuan, type Loan, type Party, type Window,
} from './metrics-fixtures';

const d = generateGolden();
const TODAY = shanghaiToday(systemClock).toString();
const regulator = token('regulator', 'zz-gold-office', ZZ);
const quanzhouRegulator = token('regulator', 'qz-gold-office', QZ);
const provinceRegulator = token('regulator', 'fj-gold-office', '350000');
const bankToken = (sub: string): string => token('bank', sub, BANKS.find((b) => b.sub === sub)!.region);
const fundToken = token('fund', FUND.sub, FUND.region);
const university = token('university', UNIVERSITY.sub, UNIVERSITY.region, UNIVERSITY.uscc);
const agency = token('agency', AGENCY, '350627');
const enterprise = (p: Party): string => token('enterprise', `ent-${p.uscc}`, p.regionCode, p.uscc);

const under = (prefix: string) => (region: string): boolean => region.startsWith(prefix);
/** The regulator who may read a region of the dataset. */
const readerFor = (region: string): string => (region.startsWith('3506') ? regulator : region.startsWith('3505') ? quanzhouRegulator : provinceRegulator);
const WINDOWS: { label: string; query: string; from: string; to: string }[] = [
  { label: '2024', query: 'year=2024', from: '2024-01-01', to: '2024-12-31' },
  { label: '2025', query: 'year=2025', from: '2025-01-01', to: '2025-12-31' },
  { label: '2026', query: 'year=2026', from: '2026-01-01', to: '2026-12-31' },
  { label: 'ragged', query: 'from=2024-02-15&to=2026-03-10', from: '2024-02-15', to: '2026-03-10' },
];
const COUNTIES = [...ZZ_COUNTIES, ...QZ_COUNTIES, NANAN];

function expectOk(res: ApiResponse, status: number, what: string): void {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${res.text}`);
}

/** Retries a write that depends on another service having read the topics first (422 until then). */
async function once<T>(what: string, call: () => Promise<ApiResponse<T>>, status: number): Promise<ApiResponse<T>> {
  const res = await eventually(call, (r) => r.status === status, 30_000);
  expectOk(res, status, what);
  return res;
}

/** Reads an endpoint until its figures satisfy `ok` (metrics folds asynchronously), then returns the last answer. */
async function settled(path: string, ok: (body: any) => boolean, as = regulator): Promise<any> {
  const res = await eventually(() => api('GET', path, { token: as }), (r) => r.status === 200 && (r.body.lagEvents ?? 0) === 0 && ok(r.body), 30_000);
  expectOk(res, 200, path);
  return res.body;
}

const strip = ({ asOf: _a, lagEvents: _l, region: _r, year: _y, ...rest }: Record<string, unknown>) => rest;
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

beforeAll(async () => {
  // The 350627 county fund: policy first (coverage is judged at registration), then capital.
  expectOk(await api('PUT', `/v1/funds/${FUND.region}/policy`, {
    token: fundToken,
    body: { fundSharePercent: 80, effectiveFrom: '2023-01-01', cooperatingBanks: COOPERATING, borrowerSizes: ['micro', 'small', 'medium'] },
  }), 200, 'fund policy');
  for (const c of d.contributions) {
    expectOk(await api('POST', `/v1/funds/${FUND.region}/contributions`, { token: fundToken, body: c }), 201, 'contribution');
  }

  // Loans: each bank reports its events, all accepted.
  for (const [bank, events] of loanEventsByBank(d)) {
    for (let i = 0; i < events.length; i += 1000) {
      const res = await api('POST', '/v1/loan-events', { token: bankToken(bank), body: events.slice(i, i + 1000) });
      expectOk(res, 200, 'loan events');
      const refused = res.body.results.filter((r: { status: string }) => r.status !== 'accepted');
      if (refused.length > 0) throw new Error(`${bank}: ${JSON.stringify(refused.slice(0, 3))}`);
    }
  }

  // Patents: univ-gold lists them, then transfers, licenses and declares open licences.
  const listed = await api('POST', '/v1/patents', { token: university, body: d.listings.map((l) => ({ ...l, status: 'valid' })) });
  expectOk(listed, 200, 'listings');
  expect(listed.body.results.map((r: { status: string }) => r.status)).toEqual(d.listings.map(() => 'listed'));
  for (const t of d.transfers) {
    const { number, invention: _i, ...body } = t;
    expectOk(await api('POST', `/v1/patents/${number}/transfers`, { token: university, body }), 201, `transfer ${number}`);
  }
  for (const l of d.licences) {
    const { number, ...body } = l;
    expectOk(await api('POST', `/v1/patents/${number}/licences`, { token: university, body }), 201, `licence ${number}`);
  }
  for (const o of d.openLicences) {
    expectOk(await api('PUT', `/v1/patents/${o.number}/open-licence`, {
      token: university, body: { royalty: { kind: 'lump_sum', amount: '1000.00' }, termYears: o.termYears, declaredOn: o.declaredOn },
    }), 200, `open licence ${o.number}`);
    for (const t of o.takers) {
      expectOk(await api('POST', `/v1/patents/${o.number}/open-licence/takers`, { token: enterprise(t.licensee), body: { licensee: t.licensee, takenOn: t.takenOn } }), 201, 'taker');
    }
    if (o.withdrawnOn) expectOk(await api('DELETE', `/v1/patents/${o.number}/open-licence?withdrawnOn=${o.withdrawnOn}`, { token: university }), 200, 'withdrawal');
  }

  // Products: filed once dense-products knows the holders own the patents; then the regulator decides.
  for (const p of d.products) {
    const body = { name: p.name, patents: p.patents, filedOn: p.filedOn, ...(p.byAgency ? { enterprise: p.enterprise } : {}) };
    const filed = await once(`product ${p.key}`, () => api('POST', '/v1/products', { token: p.byAgency ? agency : enterprise(p.enterprise), body }), 201);
    const id = (filed.body as { id: string }).id;
    if (p.decision?.kind === 'recognised') {
      expectOk(await api('POST', `/v1/products/${id}/recognise`, { token: regulator, body: { recognisedOn: p.decision.on, certificateNo: p.decision.certificateNo } }), 200, 'recognise');
    } else if (p.decision?.kind === 'rejected') {
      expectOk(await api('POST', `/v1/products/${id}/reject`, { token: regulator, body: { reason: '不符合专利密集型产品条件', rejectedOn: p.decision.on } }), 200, 'reject');
    }
    if (p.decision?.kind === 'recognised' && p.decision.withdrawnOn) {
      expectOk(await api('POST', `/v1/products/${id}/recognition-withdrawals`, { token: regulator, body: { withdrawnOn: p.decision.withdrawnOn, reason: '证书撤销' } }), 200, 'withdraw');
    }
  }

  // Claims on the fund's covered, defaulted loans, once risk-compensation has read the loan events.
  for (const c of d.claims) {
    const filed = await once(`claim ${c.loanRef}`, () => api('POST', '/v1/claims', {
      token: bankToken(c.bank), body: { loanRef: c.loanRef, principalLoss: yuan(c.loss), defaultedOn: c.defaultedOn },
    }), 201);
    const id = (filed.body as { id: string }).id;
    if (c.fate === 'approved') expectOk(await api('POST', `/v1/claims/${id}/approve`, { token: fundToken }), 200, 'approve');
    if (c.fate === 'rejected') expectOk(await api('POST', `/v1/claims/${id}/reject`, { token: fundToken, body: { reason: '材料不全' } }), 200, 'reject');
    if (c.recovery) {
      expectOk(await api('POST', `/v1/claims/${id}/recoveries`, { token: bankToken(c.bank), body: { amount: yuan(c.recovery.amount), recoveredOn: TODAY } }), 201, 'recovery');
    }
  }
}, 600_000);

afterAll(async () => {
  // Leave no open licence in force: the public search of other tests lists those in force today.
  for (const o of d.openLicences.filter((x) => !x.withdrawnOn)) {
    await api('DELETE', `/v1/patents/${o.number}/open-licence?withdrawnOn=${TODAY}`, { token: university });
  }
});

describe('golden figures: financing', () => {
  const KEYS: Record<string, ((loan: Loan) => string) | undefined> = {
    bank: (l) => l.bank, rightKind: (l) => (l.patent ? 'patent' : 'trademark'), region: (l) => l.borrower.regionCode, borrowerSize: (l) => l.borrower.size,
  };

  it('answers every county, period and grouping as the oracle does', async () => {
    let compared = 0;
    for (const region of COUNTIES) {
      for (const w of WINDOWS) {
        const window: Window = { regions: [region], from: w.from, to: w.to };
        const expected = financing(d, window).get('totals') ?? ZERO_FIGURES;
        const report = await settled(`/v1/metrics/financing?region=${region}&${w.query}`, (b) => same(b.totals, expected), readerFor(region));
        expect({ region, w: w.label, ...report.totals }).toEqual({ region, w: w.label, ...expected });
        compared += expected.loans;
        for (const [groupBy, key] of Object.entries(KEYS)) {
          const rows = (await api('GET', `/v1/metrics/financing?region=${region}&${w.query}&groupBy=${groupBy}`, { token: readerFor(region) })).body.rows;
          const oracle = financing(d, window, { key });
          for (const row of rows) {
            const { key: k, ...figures } = row;
            expect({ region, w: w.label, groupBy, key: k, ...figures }).toEqual({ region, w: w.label, groupBy, key: k, ...(oracle.get(k) ?? ZERO_FIGURES) });
          }
          const shown = new Set(rows.map((r: { key: string }) => r.key));
          for (const [k, figures] of oracle) if (!same(figures, ZERO_FIGURES)) expect({ groupBy, missing: k, shown: shown.has(k) }).toEqual({ groupBy, missing: k, shown: true });
        }
        // Period rows: flows of the period inside the window, outstanding at the period's end.
        const quarters = (await api('GET', `/v1/metrics/financing?region=${region}&${w.query}&groupBy=quarter`, { token: readerFor(region) })).body.rows;
        for (const { key, ...figures } of quarters) {
          const [year, q] = key.split('-Q').map(Number);
          const start = `${year}-${String((q - 1) * 3 + 1).padStart(2, '0')}-01`;
          const end = addDays(`${q === 4 ? year + 1 : year}-${String(q === 4 ? 1 : q * 3 + 1).padStart(2, '0')}-01`, -1);
          const clipped: Window = { regions: [region], from: start < w.from ? w.from : start, to: end > w.to ? w.to : end };
          expect({ region, key, ...figures }).toEqual({ region, key, ...(financing(d, clipped).get('totals') ?? ZERO_FIGURES) });
        }
      }
    }
    expect(compared).toBeGreaterThan(40);
  });

  it('puts counties into their prefecture and province: per-bank and per-county rows are exact there too', async () => {
    for (const [prefecture, counties] of [[ZZ, ZZ_COUNTIES], [QZ, [...QZ_COUNTIES, NANAN]], ['350000', COUNTIES]] as const) {
      const window: Window = { regions: under(prefecture.replace(/0+$/, '')), from: '2026-01-01', to: '2026-12-31' };
      const byRegion = (await settled(`/v1/metrics/financing?region=${prefecture}&year=2026&groupBy=region`, () => true, provinceRegulator)).rows;
      for (const county of counties) {
        expect(byRegion.find((r: { key: string }) => r.key === county) ?? { key: county, ...ZERO_FIGURES })
          .toEqual({ key: county, ...(financing(d, { ...window, regions: [county] }).get('totals') ?? ZERO_FIGURES) });
      }
      const byBank = (await api('GET', `/v1/metrics/financing?region=${prefecture}&year=2026&groupBy=bank`, { token: provinceRegulator })).body.rows;
      for (const { sub } of BANKS) {
        const expected = financing(d, window, { bank: sub }).get('totals');
        if (expected) expect(byBank.find((r: { key: string }) => r.key === sub)).toEqual({ key: sub, ...expected });
      }
    }
  });
});

describe('golden figures: bank evaluation', () => {
  it('ranks the banks of each region and year with the oracle figures', async () => {
    for (const region of [ZZ, QZ, '350000', ...COUNTIES]) {
      for (const year of ['2017', '2018', '2024', '2025', '2026']) {
        const window: Window = { regions: region.endsWith('0000') ? under(region.slice(0, 2)) : region.endsWith('00') ? under(region.slice(0, 4)) : [region], from: `${year}-01-01`, to: `${year}-12-31` };
        const mine = BANKS.filter((b) => bankListed(d, window, b.sub)).map((b) => bankRow(d, window, b.sub));
        const report = await settled(`/v1/metrics/banks?region=${region}&year=${year}`, (b) => mine.every((m) => same(b.rows.find((r: { bank: string }) => r.bank === m.bank), m)), readerFor(region));
        expect(report.year).toBe(Number(year));
        for (const m of mine) expect(report.rows.find((r: { bank: string }) => r.bank === m.bank)).toEqual(m);
        for (const { sub } of BANKS) if (!mine.some((m) => m.bank === sub)) expect(report.rows.find((r: { bank: string }) => r.bank === sub)).toBeUndefined();
        // Sorted by SMEs served, then contracted.
        const order = [...report.rows].sort((a: any, b: any) => b.smesServed - a.smesServed || Number(BigInt(b.contracted.replace('.', '')) - BigInt(a.contracted.replace('.', ''))));
        expect(report.rows.map((r: { smesServed: number; contracted: string }) => [r.smesServed, r.contracted])).toEqual(order.map((r: any) => [r.smesServed, r.contracted]));
      }
    }
  });

  it('shows a bank its own row only, and answers CSV', async () => {
    const own = await settled('/v1/metrics/banks?year=2026', () => true, bankToken('bank-gold-a'));
    const all2026: Window = { regions: () => true, from: '2026-01-01', to: '2026-12-31' };
    expect(own.rows).toEqual(bankListed(d, all2026, 'bank-gold-a') ? [bankRow(d, all2026, 'bank-gold-a')] : []);
    expect(own.rows).toHaveLength(1);
    const csv = await api('GET', `/v1/metrics/banks?region=${ZZ_COUNTIES[0]}&year=2026`, { token: regulator, accept: 'text/csv' });
    expect(csv.status).toBe(200);
    expect(csv.contentType).toContain('text/csv');
    const [header, ...lines] = csv.text.trim().split('\r\n');
    expect(header).toBe('bank,smesServed,contracted,loans,inclusiveLoans,defaults,defaultRate');
    const county2026: Window = { regions: [ZZ_COUNTIES[0]], from: '2026-01-01', to: '2026-12-31' };
    const expected = BANKS.filter((b) => bankListed(d, county2026, b.sub)).map((b) => bankRow(d, county2026, b.sub));
    expect(lines.sort()).toEqual(expected.map((r) => Object.values(r).join(',')).sort());
  });
});

describe('golden figures: transfers, products, agencies, risk fund', () => {
  it('counts transfers, licences, recorded contracts and open licences per county, with the university reward', async () => {
    for (const region of [...ZZ_COUNTIES, ZZ]) {
      for (const w of WINDOWS) {
        const window: Window = { regions: region === ZZ ? under('3506') : [region], from: w.from, to: w.to };
        const { universityReward, ...expected } = transfers(d, window, w.to < TODAY ? w.to : TODAY, true);
        const report = await settled(`/v1/metrics/transfers?region=${region}&${w.query}`, (b) => region === ZZ || same(strip(b), { ...expected, universityRewards: universityReward ? [universityReward] : [] }));
        const mine = report.universityRewards.find((u: { sub: string }) => u.sub === UNIVERSITY.sub);
        expect({ region, w: w.label, mine }).toEqual({ region, w: w.label, mine: universityReward });
        if (region !== ZZ) expect({ region, w: w.label, ...strip(report) }).toEqual({ region, w: w.label, ...expected, universityRewards: universityReward ? [universityReward] : [] });
      }
    }
    // Zhangzhou 2026: 20 invention transfers to local enterprises → ¥30 000 + 14 × ¥5 000.
    const zz = await settled(`/v1/metrics/transfers?region=${ZZ}&year=2026`, () => true);
    expect(zz.universityRewards.find((u: { sub: string }) => u.sub === UNIVERSITY.sub)).toEqual({ sub: UNIVERSITY.sub, inventionTransfersToLocalEnterprises: 20, reward: '100000.00' });
  });

  it('counts product filings, recognitions, rejections and capped rewards per enterprise', async () => {
    for (const region of ['350627', '350628']) {
      for (const w of WINDOWS) {
        const expected = products(d, { regions: [region], from: w.from, to: w.to });
        const report = await settled(`/v1/metrics/products?region=${region}&${w.query}`, (b) => same(strip(b), expected));
        expect({ region, w: w.label, ...strip(report) }).toEqual({ region, w: w.label, ...expected });
      }
    }
    const zz = await settled(`/v1/metrics/products?region=${ZZ}&year=2026`, () => true);
    for (const row of products(d, { regions: under('3506'), from: '2026-01-01', to: '2026-12-31' }).rows) {
      expect(zz.rows.find((r: { enterprise: string }) => r.enterprise === row.enterprise)).toEqual(row);
    }

    // The same answer as CSV: the totals, then the rows.
    const csv = await api('GET', `/v1/metrics/products?region=${ZZ}&year=2026`, { token: regulator, accept: 'text/csv' });
    expect(csv.contentType).toContain('text/csv');
    const [header, totals, ...lines] = csv.text.trim().split('\r\n');
    expect(header).toBe('enterprise,filed,recognised,rejected,reward');
    expect(totals).toBe(`totals,${zz.filed},${zz.recognised},${zz.rejected},${zz.rewards}`);
    expect(lines).toEqual(zz.rows.map((r: { enterprise: string; filed: number; recognised: number; reward: string }) => `${r.enterprise},${r.filed},${r.recognised},,${r.reward}`));

    // The JSON answer (made from the figures kept per projection version) revalidates by its ETag
    // while it is unchanged (asOf and lagEvents included), and not by another.
    const path = `/v1/metrics/products?region=${ZZ}&year=2026`;
    const revalidated = await eventually(async () => {
      const fresh = await api('GET', path, { token: regulator });
      const etag = fresh.headers.get('etag') ?? '';
      // fetch adds `Cache-Control: no-cache` to a conditional request unless it has one, and
      // a server must not answer 304 to that.
      return { fresh, etag, again: await api('GET', path, { token: regulator, headers: { 'if-none-match': etag, 'cache-control': 'max-age=0' } }) };
    }, (r) => r.again.status === 304);
    expect(revalidated.etag).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
    expect(revalidated.again.status).toBe(304);
    expect(revalidated.fresh.body).toEqual(zz);
    const other = await api('GET', path, { token: regulator, headers: { 'if-none-match': 'W/"0-other"', 'cache-control': 'max-age=0' } });
    expect(other.status).toBe(200);
    expect(other.body).toEqual(zz);
  });

  it("reports the agency's work and the Zhangzhou service subsidy it earned", async () => {
    for (const region of [ZZ, ...ZZ_COUNTIES]) {
      for (const w of WINDOWS) {
        const expected = agencyRow(d, { regions: region === ZZ ? under('3506') : [region], from: w.from, to: w.to }, true);
        const report = await settled(`/v1/metrics/agencies?region=${region}&${w.query}`, (b) => same(b.rows.find((r: { agency: string }) => r.agency === AGENCY), expected));
        expect({ region, w: w.label, row: report.rows.find((r: { agency: string }) => r.agency === AGENCY) }).toEqual({ region, w: w.label, row: expected });
      }
    }
    const zz2026 = await settled(`/v1/metrics/agencies?region=${ZZ}&year=2026`, () => true);
    expect(zz2026.rows.find((r: { agency: string }) => r.agency === AGENCY)).toMatchObject({ subsidyEarned: true, subsidy: '150000.00' });
  });

  it('reports the county fund: capital, claims by status, payouts, bank shares, recoveries, covered loans and loss rate', async () => {
    const expected = riskFund(d);
    expect(d.claims.length).toBeGreaterThan(0);
    const report = await settled(`/v1/metrics/risk-fund?region=${FUND.region}`, (b) => same(strip(b), expected));
    expect(strip(report)).toEqual(expected);
    const viaPrefecture = await settled(`/v1/metrics/risk-fund?region=${ZZ}`, () => true);
    expect(BigInt(viaPrefecture.capital.replace('.', ''))).toBeGreaterThanOrEqual(BigInt(expected.capital.replace('.', '')));
  });
});

describe('golden figures: targets', () => {
  it('measures the seeded plan targets live', async () => {
    const quanzhou = await settled(`/v1/targets?region=${QZ}`, () => true, quanzhouRegulator);
    const qz = financing(d, { regions: under('3505'), from: '0001-01-01', to: '2018-12-31' }).get('totals')!;
    expect(quanzhou.items.find((t: { id: string }) => t.id === 'quanzhou-2016-patent-pledge')).toMatchObject({ region: QZ, unit: 'CNY', target: '1000000000.00', dueOn: '2018-12-31', actual: qz.patentPledged });
    expect(quanzhou.items.find((t: { id: string }) => t.id === 'quanzhou-2016-trademark-pledge')).toMatchObject({ target: '1500000000.00', actual: qz.trademarkPledged });
    const nanan = financing(d, { regions: [NANAN], from: '0001-01-01', to: '2024-12-31' }).get('totals')!;
    const item = quanzhou.items.find((t: { id: string }) => t.id === 'nanan-2022-pledge-financing');
    expect(item).toMatchObject({ region: NANAN, indicator: 'pledge-financing-cumulative', baseline: null, target: '500000000.00', actual: nanan.contracted });
    const fen = BigInt(nanan.contracted.replace('.', ''));
    const scaled = (fen * 20000n + 50_000_000_000n) / 100_000_000_000n;
    expect(item.progress).toBe(`${scaled / 10000n}.${(scaled % 10000n).toString().padStart(4, '0')}`);
  });

  it('says asOf and lagEvents like every metrics answer, and pages its CSV with a Link header', async () => {
    // The actuals read financing, transfers and products: the newest event of the three.
    const asOfs: string[] = [];
    for (const path of ['financing', 'transfers', 'products']) asOfs.push((await settled(`/v1/metrics/${path}?region=${QZ}`, () => true, quanzhouRegulator)).asOf);
    const newest = asOfs.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b));
    const page = await settled(`/v1/targets?region=${QZ}`, () => true, quanzhouRegulator);
    expect(page).toMatchObject({ asOf: newest, lagEvents: 0 });

    const csv = async (path: string) => api('GET', path, { token: quanzhouRegulator, accept: 'text/csv' });
    const first = await csv(`/v1/targets?region=${QZ}&limit=1`);
    expect(first.status).toBe(200);
    expect(first.headers.get('ipfin-as-of')).toBe(newest);
    expect(first.headers.get('ipfin-lag-events')).toBe('0');
    const rows: string[] = [];
    let next: string | null = `/v1/targets?region=${QZ}&limit=1`;
    while (next !== null) {
      const res = await csv(next);
      const [header, ...lines] = res.text.trim().split('\r\n');
      expect(header).toBe('id,region,indicator,unit,baseline,target,dueOn,actual,progress');
      rows.push(...lines);
      const link = /^<([^>]+)>; rel="next"$/.exec(res.headers.get('link') ?? '');
      next = link === null ? null : link[1];
      if (next !== null) expect(next).toMatch(new RegExp(`^/v1/targets\\?region=${QZ}&limit=1&cursor=`));
    }
    expect(rows.map((r) => r.split(',')[0])).toEqual(page.items.map((t: { id: string }) => t.id));
  });

  it('records a regulator target for a county and measures it; outside its region is 403, a wrong value 400', async () => {
    const posted = await api('POST', '/v1/targets', {
      token: regulator, body: { region: '350627', indicator: 'pledge-financing-annual', unit: 'CNY', target: '20000000.00', baseline: '1000000.00', dueOn: '2026-12-31' },
    });
    expectOk(posted, 201, 'target');
    const expected = financing(d, { regions: ['350627'], from: `${TODAY.slice(0, 4)}-01-01`, to: TODAY < '2026-12-31' ? TODAY : '2026-12-31' }).get('totals')?.contracted ?? '0.00';
    expect(posted.body).toMatchObject({ region: '350627', indicator: 'pledge-financing-annual', unit: 'CNY', baseline: '1000000.00', target: '20000000.00', dueOn: '2026-12-31', actual: expected });
    const listed = await api('GET', '/v1/targets?region=350627', { token: regulator });
    expect(listed.body.items).toEqual([posted.body]);
    expect((await api('POST', '/v1/targets', { token: regulator, body: { region: '350521', indicator: 'transfers-annual', unit: 'count', target: 10, dueOn: '2026-12-31' } })).status).toBe(403);
    const bad = await api('POST', '/v1/targets', { token: regulator, body: { region: '350627', indicator: 'transfers-annual', unit: 'count', target: '10', dueOn: '2026-12-31' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['target']);
  });
});

describe('golden figures: documentation', () => {
  it('documents every metrics route in the OpenAPI of the service', async () => {
    const port = SERVICES.find((s) => s.name === 'metrics')!.port;
    const doc = (await (await fetch(`http://127.0.0.1:${port}/docs-json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    for (const path of ['financing', 'banks', 'risk-fund', 'transfers', 'products', 'agencies']) expect(Object.keys(doc.paths[`/v1/metrics/${path}`] ?? {})).toEqual(['get']);
    expect(Object.keys(doc.paths['/v1/targets']).sort()).toEqual(['get', 'post']);
  });
});

describe('golden figures: who may read them', () => {
  it('refuses a Zhangzhou regulator for Quanzhou on every endpoint, lets the province read both, and refuses other roles', async () => {
    for (const path of ['financing', 'banks', 'risk-fund', 'transfers', 'products', 'agencies']) {
      const res = await api('GET', `/v1/metrics/${path}?region=${QZ}`, { token: regulator });
      expect({ path, status: res.status, type: res.contentType }).toEqual({ path, status: 403, type: expect.stringContaining('application/problem+json') });
      expect((await api('GET', `/v1/metrics/${path}?region=${ZZ}`, { token: provinceRegulator })).status).toBe(200);
      expect((await api('GET', `/v1/metrics/${path}`, { token: enterprise(d.products[0].enterprise) })).status).toBe(403);
      expect((await api('GET', `/v1/metrics/${path}`)).status).toBe(401);
    }
    expect((await api('GET', `/v1/targets?region=${QZ}`, { token: regulator })).status).toBe(403);
    expect((await api('GET', '/v1/metrics/risk-fund', { token: bankToken('bank-gold-a') })).status).toBe(403);
  });
});
