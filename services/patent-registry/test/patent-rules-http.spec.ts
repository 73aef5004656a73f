/**
 * The registry's rules through HTTP on real PostgreSQL: every refusal a named problem, owner
 * checks, Idempotency-Key on the POSTs, numbers in any form, and the events in the outbox of the
 * same transaction, keyed by patent number.
 */
import { migratedTestSchema, type TestSchema } from '@ipfin/testing';
import { createDataSource } from '../src/database/data-source';
import {
  energy, energyParty, feed, invention, listing, loanRegistered, loanSettled, minnan, optics, opticsParty, servicesOn, startHttp,
  testClock, utilityModel, vocational, type Services, type TestHttp,
} from './support';

let db: TestSchema;
let http: TestHttp;
let services: Services;
const clock = testClock();

const PROBLEM = 'https://ipfin.dev/problems/';
const openLicence = { royalty: { kind: 'percent_of_sales', percent: '3.5' }, termYears: 3, declaredOn: '2024-09-01' };
const licence = (kind: string, extra: Record<string, unknown> = {}) => ({
  licensee: opticsParty, kind, royalty: '80000.00', contractDate: '2024-06-01', startsOn: '2024-06-15', endsOn: '2026-06-14', ...extra,
});
const transfer = (extra: Record<string, unknown> = {}) => ({ assignee: opticsParty, price: '300000.00', contractDate: '2024-10-01', ...extra });

async function listOne(number: string, title: string): Promise<void> {
  const res = await http.request('POST', '/v1/patents', { principal: minnan, body: [listing(number, title)] });
  expect(res.body.results[0].status).toBe('listed');
}

beforeAll(async () => {
  db = await migratedTestSchema(createDataSource, 'patents_http');
  services = servicesOn(db.dataSource, db.schema, clock);
  http = await startHttp(db.schema, clock);
});

afterAll(async () => {
  await http?.close();
  await db?.drop();
});

describe('open licence and exclusive licences exclude each other', () => {
  it('refuses an open licence while an exclusive licence runs (422 exclusive-licence-in-force)', async () => {
    const number = invention(4001);
    await listOne(number, '一种光伏组件的封装方法');
    const exclusive = await http.request('POST', `/v1/patents/${number}/licences`, { principal: minnan, body: licence('exclusive', { endsOn: '2029-06-14' }) });
    expect(exclusive.status).toBe(201);
    expect(exclusive.body).toMatchObject({ id: `${number}-L1`, number, kind: 'exclusive', royalty: { kind: 'lump_sum', amount: '80000.00' }, inForce: true });
    const open = await http.request('PUT', `/v1/patents/${number}/open-licence`, { principal: minnan, body: openLicence });
    expect(open.status).toBe(422);
    expect(open.body).toMatchObject({ type: `${PROBLEM}exclusive-licence-in-force`, status: 422 });
  });

  it('refuses an exclusive or sole licence while an open licence is declared (422 open-licence-declared); ordinary is fine', async () => {
    const number = invention(4002);
    await listOne(number, '锂离子电池隔膜及其制备方法');
    const open = await http.request('PUT', `/v1/patents/${number}/open-licence`, { principal: minnan, body: openLicence });
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({ number, declaredOn: '2024-09-01', expiresOn: '2027-08-31', inForce: true, royalty: { kind: 'percent_of_sales', percent: '3.5' } });
    // The same PUT again answers the declaration and changes nothing.
    const again = await http.request('PUT', `/v1/patents/${number}/open-licence`, { principal: minnan, body: openLicence });
    expect(again.status).toBe(200);
    const declaredEvents = await db.dataSource.query("select 1 from outbox where key = $1 and ce_type = 'ipfin.patents.OpenLicenceDeclared.v1'", [number]);
    expect(declaredEvents).toHaveLength(1);

    for (const kind of ['exclusive', 'sole']) {
      const refused = await http.request('POST', `/v1/patents/${number}/licences`, { principal: minnan, body: licence(kind, { startsOn: '2024-10-01', endsOn: '2025-09-30', contractDate: '2024-09-20' }) });
      expect(refused.status).toBe(422);
      expect(refused.body.type).toBe(`${PROBLEM}open-licence-declared`);
    }
    const ordinary = await http.request('POST', `/v1/patents/${number}/licences`, { principal: minnan, body: licence('ordinary', { startsOn: '2024-10-01', endsOn: '2025-09-30', contractDate: '2024-09-20' }) });
    expect(ordinary.status).toBe(201);
  });
});

describe('pledged patents', () => {
  it('refuses the transfer of a pledged patent (422 patent-pledged), accepts it once the loan settles', async () => {
    const number = invention(4003);
    await listOne(number, '一种石墨烯导热膜');
    await feed(db.dataSource, services.consumer, loanRegistered('bank-icbc-zz', 'ZZ-HTTP-1', [number]));
    const refused = await http.request('POST', `/v1/patents/${number}/transfers`, { principal: minnan, body: transfer() });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ type: `${PROBLEM}patent-pledged`, title: expect.any(String), detail: expect.stringContaining('bank-icbc-zz') });
    const licensing = await http.request('POST', `/v1/patents/${number}/licences`, { principal: minnan, body: licence('ordinary') });
    expect(licensing.body.type).toBe(`${PROBLEM}patent-pledged`);
    const declaring = await http.request('PUT', `/v1/patents/${number}/open-licence`, { principal: minnan, body: openLicence });
    expect(declaring.body.type).toBe(`${PROBLEM}patent-pledged`);

    await feed(db.dataSource, services.consumer, loanSettled('bank-icbc-zz', 'ZZ-HTTP-1'));
    const accepted = await http.request('POST', `/v1/patents/${number}/transfers`, { principal: minnan, body: transfer({ recordedOn: '2024-10-20', agencyId: 'agency-zz-ip' }) });
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({ id: `${number}-T1`, number, from: { sub: minnan.sub, role: 'university', region: '350600' }, assignee: opticsParty, price: '300000.00', recordedOn: '2024-10-20', agencyId: 'agency-zz-ip' });

    // The assignee is the owner now: the university may no longer act, the enterprise (by its USCC) may.
    const got = await http.request('GET', `/v1/patents/${number}`);
    expect(got.body).toMatchObject({ owner: { uscc: opticsParty.uscc, region: opticsParty.regionCode }, pledge: { pledged: false }, transfers: [{ id: `${number}-T1` }] });
    const former = await http.request('POST', `/v1/patents/${number}/licences`, { principal: minnan, body: licence('ordinary') });
    expect(former.status).toBe(403);
    expect(former.body.type).toBe(`${PROBLEM}not-owner`);
    const relisted = await http.request('POST', '/v1/patents', { principal: optics, body: [listing(number, '一种石墨烯导热膜', { grade: 'A' })] });
    expect(relisted.body.results[0]).toMatchObject({ number, status: 'updated' });
  });
});

describe('open licence takers', () => {
  it('keeps the licences already taken when the open licence is withdrawn, and refuses new takers', async () => {
    const number = invention(4004);
    await listOne(number, '一种光伏逆变器的控制方法');
    expect((await http.request('PUT', `/v1/patents/${number}/open-licence`, { principal: minnan, body: openLicence })).status).toBe(200);
    const taken = await http.request('POST', `/v1/patents/${number}/open-licence/takers`, { principal: optics, body: { licensee: opticsParty, takenOn: '2024-09-10' } });
    expect(taken.status).toBe(201);
    expect(taken.body).toMatchObject({ id: `${number}-L1`, kind: 'ordinary', viaOpenLicence: true, startsOn: '2024-09-10', endsOn: '2027-08-31', openLicenceDeclaredOn: '2024-09-01' });
    // Taking for someone else is refused.
    const forOther = await http.request('POST', `/v1/patents/${number}/open-licence/takers`, { principal: optics, body: { licensee: energyParty, takenOn: '2024-09-11' } });
    expect(forOther.status).toBe(403);
    expect(forOther.body.type).toBe(`${PROBLEM}not-licensee`);

    const withdrawn = await http.request('DELETE', `/v1/patents/${number}/open-licence?withdrawnOn=2024-09-20`, { principal: minnan });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ number, withdrawnOn: '2024-09-20', lastDay: '2024-09-19', inForce: false });
    expect((await http.request('DELETE', `/v1/patents/${number}/open-licence?withdrawnOn=2024-09-20`, { principal: minnan })).status).toBe(200);

    const late = await http.request('POST', `/v1/patents/${number}/open-licence/takers`, { principal: energy, body: { licensee: energyParty, takenOn: '2024-09-25' } });
    expect(late.status).toBe(422);
    expect(late.body.type).toBe(`${PROBLEM}open-licence-not-declared`);

    const got = await http.request('GET', `/v1/patents/${number}`);
    expect(got.body.licences).toEqual([expect.objectContaining({ id: `${number}-L1`, viaOpenLicence: true, endsOn: '2027-08-31', inForce: true })]);
    expect(got.body.openLicence).toMatchObject({ withdrawnOn: '2024-09-20', inForce: false });
  });

  it('lets only enterprises take open licences', async () => {
    const res = await http.request('POST', `/v1/patents/${invention(4004)}/open-licence/takers`, { principal: vocational, body: { licensee: opticsParty, takenOn: '2024-09-10' } });
    expect(res.status).toBe(403);
  });
});

describe('owners, numbers, idempotency and the outbox', () => {
  it('accepts the number in any usual form and refuses a wrong check character', async () => {
    const number = utilityModel(4005);
    await listOne(number, '一种茶叶烘干装置');
    const spaced = `ZL ${number.slice(0, 4)} ${number.slice(4, 8)} ${number.slice(8)}`;
    const got = await http.request('GET', `/v1/patents/${encodeURIComponent(spaced)}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ number, kind: 'utility_model', title: '一种茶叶烘干装置', filedYear: 2022, pct: false, licences: [], transfers: [], openLicence: null });
    const wrong = `${number.slice(0, -1)}${number.endsWith('0') ? '1' : '0'}`;
    const bad = await http.request('GET', `/v1/patents/${wrong}`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('number');
    expect((await http.request('GET', `/v1/patents/${invention(9999)}`)).body.type).toBe(`${PROBLEM}patent-not-found`);
    // A utility model needs an evaluation report to be declared open.
    const noReport = await http.request('PUT', `/v1/patents/CN${number}/open-licence`, { principal: minnan, body: openLicence });
    expect(noReport.body.type).toBe(`${PROBLEM}evaluation-report-required`);
  });

  it('checks the owner and the role, and needs a token to write', async () => {
    const number = invention(4006);
    await listOne(number, '一种光学镜头');
    expect((await http.request('POST', `/v1/patents/${number}/transfers`, { body: transfer() })).status).toBe(401);
    const other = await http.request('POST', `/v1/patents/${number}/transfers`, { principal: vocational, body: transfer() });
    expect(other.status).toBe(403);
    expect(other.body.type).toBe(`${PROBLEM}not-owner`);
    const bank = await http.request('POST', '/v1/patents', { principal: { sub: 'bank-icbc-zz', role: 'bank', region: '350600' }, body: [listing(invention(4007), '银行专利')] });
    expect(bank.status).toBe(403);
    const stolen = await http.request('POST', '/v1/patents', { principal: vocational, body: [listing(number, '一种光学镜头')] });
    expect(stolen.body.results[0]).toMatchObject({ status: 'rejected', problem: { status: 409, type: `${PROBLEM}patent-owned-by-another` } });
  });

  it('replays a POST with the same Idempotency-Key, and refuses the key with another body', async () => {
    const number = invention(4008);
    await listOne(number, '一种太阳能电池片');
    const headers = { 'idempotency-key': `lic-${number}` };
    const first = await http.request('POST', `/v1/patents/${number}/licences`, { principal: minnan, body: licence('ordinary'), headers });
    const replay = await http.request('POST', `/v1/patents/${number}/licences`, { principal: minnan, body: licence('ordinary'), headers });
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    const reused = await http.request('POST', `/v1/patents/${number}/licences`, { principal: minnan, body: licence('sole'), headers });
    expect(reused.status).toBe(409);
    expect((await http.request('GET', `/v1/patents/${number}`)).body.licences).toHaveLength(1);
  });

  it('writes each accepted change to the outbox, keyed by the patent number, in order', async () => {
    const number = invention(4009);
    await listOne(number, '一种锂电池正极材料');
    await http.request('POST', `/v1/patents/${number}/licences`, { principal: minnan, body: licence('ordinary') });
    await http.request('POST', `/v1/patents/${number}/transfers`, { principal: minnan, body: transfer({ contractDate: '2024-09-01' }) });
    const rows: { ce_type: string; key: string; payload: Record<string, unknown> }[] = await db.dataSource.query(
      'select ce_type, key, payload from outbox where key = $1 order by id', [number],
    );
    expect(rows.map((r) => r.ce_type)).toEqual(['ipfin.patents.PatentListed.v1', 'ipfin.patents.LicenceRecorded.v1', 'ipfin.patents.PatentTransferred.v1']);
    expect(rows[2].payload).toMatchObject({ number, kind: 'invention', transferId: `${number}-T1`, price: '300000.00', assignee: opticsParty });
  });

  it('validates bodies with field paths', async () => {
    const number = invention(4010);
    await listOne(number, '一种无人机');
    const res = await http.request('POST', `/v1/patents/${number}/transfers`, { principal: minnan, body: transfer({ price: 300000, colour: 'red' }) });
    expect(res.status).toBe(400);
    expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual(['colour', 'price']);
  });
});

describe('blank free text is a 400 naming the field, and changes nothing', () => {
  const outboxRows = async (number: string): Promise<string[]> =>
    (await db.dataSource.query<{ ce_type: string }[]>('select ce_type from outbox where key = $1 order by id', [number])).map((r) => r.ce_type);

  it('rejects a blank title as its own item of the batch; the other items are listed', async () => {
    const blank = invention(4011);
    const good = invention(4012);
    const res = await http.request('POST', '/v1/patents', { principal: minnan, body: [listing(blank, '   '), listing(good, '一种光伏支架'), listing(invention(4013), '\t', { category: ' ' })] });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['rejected', 'listed', 'rejected']);
    expect(res.body.results[0]).toMatchObject({
      index: 0, number: blank,
      problem: { type: `${PROBLEM}validation`, status: 400, errors: [{ field: '[0].title', message: 'title must not be blank' }] },
    });
    expect(res.body.results[2].problem.errors.map((e: { field: string }) => e.field)).toEqual(['[2].title', '[2].category']);
    expect((await http.request('GET', `/v1/patents/${blank}`)).status).toBe(404);
    expect(await outboxRows(blank)).toEqual([]);
    expect(await outboxRows(good)).toEqual(['ipfin.patents.PatentListed.v1']);
  });

  it('refuses blank names, agency ids and evaluation report numbers on the commands', async () => {
    const number = invention(4014);
    await listOne(number, '一种光伏清洁机器人');
    const blankName = { ...opticsParty, name: ' ' };
    const attempts: [string, string, unknown, string][] = [
      ['POST', 'transfers', transfer({ assignee: blankName }), 'assignee.name'],
      ['POST', 'transfers', transfer({ agencyId: '  ' }), 'agencyId'],
      ['POST', 'licences', licence('ordinary', { licensee: blankName }), 'licensee.name'],
      ['POST', 'licences', licence('ordinary', { agencyId: '\t' }), 'agencyId'],
      ['PUT', 'open-licence', { ...openLicence, evaluationReportNo: '  ' }, 'evaluationReportNo'],
    ];
    for (const [method, path, body, field] of attempts) {
      const res = await http.request(method, `/v1/patents/${number}/${path}`, { principal: minnan, body });
      expect([path, res.status]).toEqual([path, 400]);
      expect(res.body).toMatchObject({ type: `${PROBLEM}validation`, errors: [{ field }] });
    }
    const utility = utilityModel(4015);
    await listOne(utility, '一种茶叶揉捻机');
    const report = await http.request('PUT', `/v1/patents/${utility}/open-licence`, { principal: minnan, body: { ...openLicence, evaluationReportNo: '   ' } });
    expect(report.status).toBe(400);
    expect(report.body.errors).toEqual([{ field: 'evaluationReportNo', message: 'evaluationReportNo must not be blank' }]);

    expect((await http.request('PUT', `/v1/patents/${number}/open-licence`, { principal: minnan, body: openLicence })).status).toBe(200);
    const taker = await http.request('POST', `/v1/patents/${number}/open-licence/takers`, { principal: optics, body: { licensee: { ...opticsParty, name: '   ' }, takenOn: '2024-09-10' } });
    expect(taker.status).toBe(400);
    expect(taker.body.errors).toEqual([{ field: 'licensee.name', message: 'name must not be blank' }]);

    const got = await http.request('GET', `/v1/patents/${number}`);
    expect(got.body).toMatchObject({ owner: { sub: minnan.sub }, transfers: [], licences: [] });
    expect(await outboxRows(number)).toEqual(['ipfin.patents.PatentListed.v1', 'ipfin.patents.OpenLicenceDeclared.v1']);
    expect(await outboxRows(utility)).toEqual(['ipfin.patents.PatentListed.v1']);
  });

  it('names the body, not an empty field, when the batch itself is malformed', async () => {
    for (const body of [{}, []]) {
      const res = await http.request('POST', '/v1/patents', { principal: minnan, body });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ type: `${PROBLEM}validation`, errors: [{ field: 'body' }] });
    }
  });
});

describe('transfers in contract-date order', () => {
  it('refuses a transfer dated before the latest transfer (422 transfer-out-of-order on contractDate), accepts the same day', async () => {
    const number = invention(4016);
    await listOne(number, '一种光伏组件清洗装置');
    const first = await http.request('POST', `/v1/patents/${number}/transfers`, { principal: minnan, body: transfer({ assignee: energyParty, contractDate: '2024-06-01' }) });
    expect(first.status).toBe(201);
    // The assignee, acting with its token, back-dates a sale before its own purchase.
    const backDated = await http.request('POST', `/v1/patents/${number}/transfers`, { principal: energy, body: transfer({ contractDate: '2024-01-01' }) });
    expect(backDated.status).toBe(422);
    expect(backDated.body).toMatchObject({
      type: `${PROBLEM}transfer-out-of-order`, status: 422,
      detail: expect.stringContaining('2024-06-01'),
      errors: [{ field: 'contractDate' }],
    });
    const got = await http.request('GET', `/v1/patents/${number}`);
    expect(got.body.owner).toMatchObject({ uscc: energyParty.uscc });
    expect(got.body.transfers.map((t: { id: string }) => t.id)).toEqual([`${number}-T1`]);

    const sameDay = await http.request('POST', `/v1/patents/${number}/transfers`, { principal: energy, body: transfer({ contractDate: '2024-06-01' }) });
    expect(sameDay.status).toBe(201);
    const transferred: { n: string }[] = await db.dataSource.query("select count(*)::text as n from outbox where key = $1 and ce_type = 'ipfin.patents.PatentTransferred.v1'", [number]);
    expect(transferred[0].n).toBe('2');
  });
});

describe('taking an open licence needs the token’s uscc', () => {
  it('refuses an enterprise token without a uscc claim (403 enterprise-identity-missing), for any licensee', async () => {
    const number = invention(4017);
    await listOne(number, '一种储能电池热管理系统');
    expect((await http.request('PUT', `/v1/patents/${number}/open-licence`, { principal: minnan, body: openLicence })).status).toBe(200);
    const anonymous = { sub: 'ent-no-uscc', role: 'enterprise', region: '350602' } as const;
    for (const licensee of [opticsParty, energyParty]) {
      const res = await http.request('POST', `/v1/patents/${number}/open-licence/takers`, { principal: anonymous, body: { licensee, takenOn: '2024-09-10' } });
      expect(res.status).toBe(403);
      expect(res.body.type).toBe(`${PROBLEM}enterprise-identity-missing`);
    }
    expect((await http.request('GET', `/v1/patents/${number}`)).body.licences).toEqual([]);
    const taken: unknown[] = await db.dataSource.query("select 1 from outbox where key = $1 and ce_type = 'ipfin.patents.OpenLicenceTaken.v1'", [number]);
    expect(taken).toEqual([]);
    // With its uscc, the same enterprise takes it for itself.
    const own = await http.request('POST', `/v1/patents/${number}/open-licence/takers`, { principal: optics, body: { licensee: opticsParty, takenOn: '2024-09-10' } });
    expect(own.status).toBe(201);
  });
});

describe('OpenAPI', () => {
  it('documents every route, its body and responses, and marks the public reads as needing no token', async () => {
    const doc = (await http.request('GET', '/docs-json')).body;
    const paths = doc.paths as Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown>; requestBody?: unknown }>>;
    expect(Object.keys(paths).filter((p) => p.startsWith('/v1/patents')).sort()).toEqual([
      '/v1/patents', '/v1/patents/{number}', '/v1/patents/{number}/licences', '/v1/patents/{number}/open-licence',
      '/v1/patents/{number}/open-licence/takers', '/v1/patents/{number}/transfers',
    ]);
    expect(paths['/v1/patents'].get.security).toEqual([]);
    expect(paths['/v1/patents/{number}'].get.security).toEqual([]);
    expect(paths['/v1/patents/{number}/transfers'].post.responses).toHaveProperty('422');
    expect(paths['/v1/patents/{number}/transfers'].post.requestBody).toBeDefined();
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['PatentDetailResponse', 'ListPatentItemDto', 'TransferPatentDto', 'ProblemDto']));
  });
});
