/**
 * Filing a product against the ownership view kept from the registry's events (real envelopes
 * through the consumer handler, real PostgreSQL): each patent is judged on the filing date, every
 * failing patent is named, a later transfer does not undo a filing, duplicates are refused, and
 * the filing reaches the outbox in the same transaction.
 */
import { configureUsccAllowList } from '@ipfin/http';
import { startProductsApp, tokenFor, type ProductsTestApp } from './support/products-app';
import {
  LONGHAI,
  XIANGCHENG,
  ZHANGZHOU,
  enterprise,
  filing,
  invention,
  licensed,
  listed,
  minnanUniversity,
  transferred,
  utilityModel,
} from './support/zhangzhou';

let app: ProductsTestApp;

const minxin = enterprise(101, LONGHAI, '福建闽新智能阀门有限公司');
const jiulong = enterprise(102, XIANGCHENG, '漳州九龙江光电科技有限公司');
const minxinToken = tokenFor('enterprise', 'ent-minxin', LONGHAI, minxin.uscc);
const jiulongToken = tokenFor('enterprise', 'ent-jiulong', XIANGCHENG, jiulong.uscc);

const P = {
  ownedSinceJanuary: invention(1_034_567),
  ownedFromMay: invention(1_188_990),
  ordinaryLicence: invention(1_457_702),
  neverOurs: invention(1_002_391),
  utility: utilityModel(2_234_561),
  unknown: invention(1_999_001),
};

beforeAll(async () => {
  app = await startProductsApp('products_filing_it', '2024-08-01T02:00:00Z');
  await app.feed(
    listed(P.ownedSinceJanuary),
    listed(P.ownedFromMay),
    listed(P.ordinaryLicence),
    listed(P.neverOurs),
    listed(P.utility),
    transferred(P.ownedSinceJanuary, minnanUniversity, minxin, '2024-01-10'),
    transferred(P.ownedFromMay, minnanUniversity, minxin, '2024-05-01'),
    transferred(P.utility, minnanUniversity, minxin, '2024-01-10'),
    licensed(P.ordinaryLicence, minxin, 'ordinary', '2024-01-01', '2026-12-31'),
  );
});

afterAll(async () => {
  await app?.close();
});

describe('filing a patent-intensive product', () => {
  it('accepts a patent the enterprise owns on the filing date and announces ProductFiled keyed by its USCC', async () => {
    const res = await app.call('POST', '/v1/products', {
      token: minxinToken,
      body: filing('智能水阀控制器', [`ZL${P.ownedSinceJanuary}`]),
    });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'filed',
      enterprise: { uscc: minxin.uscc, regionCode: LONGHAI },
      patents: [P.ownedSinceJanuary],
      holdings: [{ number: P.ownedSinceJanuary, basis: 'owner' }],
      filedOn: '2024-03-15',
      annualRevenue: '12500000.00',
      history: [{ sequence: 1, type: 'ProductFiled' }],
    });
    const events = await app.events(res.body.id);
    expect(events).toEqual([
      expect.objectContaining({
        key: minxin.uscc,
        type: 'ProductFiled',
        data: expect.objectContaining({
          productId: res.body.id,
          sequence: 1,
          patents: [P.ownedSinceJanuary],
          filedOn: '2024-03-15',
        }),
      }),
    ]);
  });

  it('accepts a patent held under an ordinary licence', async () => {
    const res = await app.call('POST', '/v1/products', {
      token: minxinToken,
      body: filing('智能流量计', [P.ordinaryLicence]),
    });

    expect(res.status).toBe(201);
    expect(res.body.holdings).toEqual([
      expect.objectContaining({
        number: P.ordinaryLicence,
        basis: 'licence',
        licenceKind: 'ordinary',
        source: 'contract',
      }),
    ]);
  });

  it('refuses a patent the enterprise does not own, naming it and why (422)', async () => {
    const res = await app.call('POST', '/v1/products', { token: minxinToken, body: filing('密封圈', [P.neverOurs]) });

    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({
      type: 'https://ipfin.dev/problems/patents-not-eligible',
      errors: [{ field: 'patents[0]', message: expect.stringMatching(/^not-owned-or-licensed: /) }],
    });
    expect(res.body.detail).toContain(P.neverOurs);
  });

  it('refuses a patent the enterprise owns only from after the filing date', async () => {
    const res = await app.call('POST', '/v1/products', {
      token: minxinToken,
      body: filing('流量传感器', [P.ownedFromMay], '2024-03-15'),
    });

    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { field: 'patents[0]', message: expect.stringContaining('owned by it only from 2024-05-01') },
    ]);
  });

  it('names every failing patent with its own reason, and only those', async () => {
    const res = await app.call('POST', '/v1/products', {
      token: minxinToken,
      body: filing('阀门总成', [P.ownedSinceJanuary, P.neverOurs, P.utility, P.unknown]),
    });

    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string; message: string }) => [e.field, e.message.split(':')[0]])).toEqual([
      ['patents[1]', 'not-owned-or-licensed'],
      ['patents[2]', 'not-invention'],
      ['patents[3]', 'unknown-patent'],
    ]);
    expect(await app.events()).not.toContainEqual(
      expect.objectContaining({ data: expect.objectContaining({ name: '阀门总成' }) }),
    );
  });

  it('keeps a filing when the patent is transferred away afterwards; the new owner may file with it from then on', async () => {
    const filed = await app.call('POST', '/v1/products', {
      token: minxinToken,
      body: filing('智能阀门执行器', [P.ownedSinceJanuary], '2024-04-01'),
    });
    expect(filed.status).toBe(201);

    await app.feed(transferred(P.ownedSinceJanuary, minxin, jiulong, '2024-06-01'));

    const later = await app.call('GET', `/v1/products/${filed.body.id}`, { token: minxinToken });
    expect(later.body).toMatchObject({ status: 'filed', holdings: [{ number: P.ownedSinceJanuary, basis: 'owner' }] });
    const afterTransfer = await app.call('POST', '/v1/products', {
      token: minxinToken,
      body: filing('智能阀门二代', [P.ownedSinceJanuary], '2024-07-01'),
    });
    expect(afterTransfer.status).toBe(422);
    expect(afterTransfer.body.errors[0].message).toMatch(/^not-owned-or-licensed/);
    const newOwner = await app.call('POST', '/v1/products', {
      token: jiulongToken,
      body: filing('光电阀门', [P.ownedSinceJanuary], '2024-07-01'),
    });
    expect(newOwner.status).toBe(201);
    const beforeItsTransfer = await app.call('POST', '/v1/products', {
      token: jiulongToken,
      body: filing('光电阀门前代', [P.ownedSinceJanuary], '2024-05-31'),
    });
    expect(beforeItsTransfer.status).toBe(422);
  });

  it('refuses the same product filed again by the same enterprise in the same year (409), whatever the spacing and width', async () => {
    const first = await app.call('POST', '/v1/products', {
      token: minxinToken,
      body: filing('Smart Valve', [P.ordinaryLicence], '2024-02-01'),
    });
    expect(first.status).toBe(201);

    const again = await app.call('POST', '/v1/products', {
      token: minxinToken,
      body: filing('ＳＭＡＲＴ\u3000ＶＡＬＶＥ', [P.ordinaryLicence], '2024-07-30'),
    });

    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ type: 'https://ipfin.dev/problems/duplicate-filing' });
    expect(again.body.detail).toContain(first.body.id);
  });

  it('lets only one of three concurrent identical filings through', async () => {
    const body = filing('并发阀门', [P.ordinaryLicence], '2024-06-15');
    const results = await Promise.all(
      [1, 2, 3].map(() => app.call('POST', '/v1/products', { token: minxinToken, body })),
    );

    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });

  it('answers a retried filing with the same Idempotency-Key once, with one event', async () => {
    const headers = { 'Idempotency-Key': 'minxin-filing-0007' };
    const body = filing('幂等阀门', [P.ordinaryLicence], '2024-06-20');

    const first = await app.call('POST', '/v1/products', { token: minxinToken, body, headers });
    const replay = await app.call('POST', '/v1/products', { token: minxinToken, body, headers });
    const otherBody = await app.call('POST', '/v1/products', {
      token: minxinToken,
      body: { ...body, name: '别的产品' },
      headers,
    });

    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(first.body.id);
    expect(otherBody.status).toBe(409);
    expect((await app.events()).filter((e) => e.data.name === '幂等阀门')).toHaveLength(1);
  });

  it('records the agency that filed on the enterprise’s behalf', async () => {
    const agency = tokenFor('agency', 'agency-zz-kwzx', ZHANGZHOU);
    const res = await app.call('POST', '/v1/products', {
      token: agency,
      body: filing('代理备案阀门', [P.ordinaryLicence], '2024-07-02', {
        enterprise: { ...minxin, uscc: minxin.uscc.toLowerCase() },
      }),
    });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      agencyId: 'agency-zz-kwzx',
      enterprise: { uscc: minxin.uscc, name: minxin.name, size: 'small' },
    });
    expect((await app.events(res.body.id))[0].data).toMatchObject({
      agencyId: 'agency-zz-kwzx',
      enterprise: { uscc: minxin.uscc },
    });
    const noEnterprise = await app.call('POST', '/v1/products', {
      token: agency,
      body: filing('代理备案阀门二', [P.ordinaryLicence]),
    });
    expect(noEnterprise.status).toBe(400);
    expect(noEnterprise.body.errors).toEqual([expect.objectContaining({ field: 'enterprise' })]);
  });

  it('refuses an enterprise filing for another enterprise (403) and a token without uscc (403)', async () => {
    const forOther = await app.call('POST', '/v1/products', {
      token: minxinToken,
      body: filing('冒名阀门', [P.ordinaryLicence], '2024-07-02', { enterprise: jiulong }),
    });
    const noUscc = await app.call('POST', '/v1/products', {
      token: tokenFor('enterprise', 'ent-anon', LONGHAI),
      body: filing('匿名阀门', [P.ordinaryLicence]),
    });

    expect(forOther.status).toBe(403);
    expect(forOther.body.type).toBe('https://ipfin.dev/problems/enterprise-mismatch');
    expect(noUscc.status).toBe(403);
  });
});

describe('identifiers and free text on a filing', () => {
  const agency = tokenFor('agency', 'agency-zz-ids', ZHANGZHOU);
  const regulator = tokenFor('regulator', 'zz-ip-office', ZHANGZHOU);
  const withWrongCheck = (uscc: string): string => `${uscc.slice(0, 17)}${uscc.endsWith('0') ? '1' : '0'}`;
  const fileFor = (name: string, patents: string[], enterprise: object, extra: Record<string, unknown> = {}) =>
    app.call('POST', '/v1/products', {
      token: agency,
      body: filing(name, patents, '2024-07-10', { enterprise, ...extra }),
    });

  it('refuses a region code that is six digits but no GB/T 2260 region (400 naming enterprise.regionCode), filing nothing', async () => {
    const before = (await app.events()).length;

    for (const regionCode of ['350099', '000000', '990000']) {
      const res = await fileFor(`区划阀门${regionCode}`, [P.ordinaryLicence], { ...minxin, regionCode });

      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors).toEqual([
        { field: 'enterprise.regionCode', message: expect.stringContaining(regionCode) },
      ]);
    }
    expect(await app.events()).toHaveLength(before);
  });

  it('refuses blank free text (400 naming the field) instead of filing an empty category or name', async () => {
    const before = (await app.events()).length;

    const blankCategory = await fileFor('空白类别阀门', [P.ordinaryLicence], minxin, { category: '   ' });
    const blankEnterpriseName = await fileFor('空白名称阀门', [P.ordinaryLicence], { ...minxin, name: ' \t ' });
    const blankName = await fileFor('  ', [P.ordinaryLicence], minxin);

    expect([blankCategory.status, blankEnterpriseName.status, blankName.status]).toEqual([400, 400, 400]);
    expect(blankCategory.body.errors).toEqual([{ field: 'category', message: 'category must not be blank' }]);
    expect(blankEnterpriseName.body.errors).toEqual([{ field: 'enterprise.name', message: 'name must not be blank' }]);
    expect(blankName.body.errors).toEqual([{ field: 'name', message: 'name must not be blank' }]);
    expect(await app.events()).toHaveLength(before);
  });

  it("admits an early USCC on the operator's allow-list in enterprise.uscc and ?enterprise=, and refuses other wrong check characters", async () => {
    const earlyFirm = {
      ...enterprise(103, LONGHAI, '漳州龙海老字号阀门厂'),
      uscc: withWrongCheck(enterprise(103, LONGHAI).uscc),
    };
    const notListed = withWrongCheck(enterprise(104, LONGHAI).uscc);
    const patent = invention(1_888_001);
    await app.feed(listed(patent), transferred(patent, minnanUniversity, earlyFirm, '2024-01-10'));

    const refusedBeforeListing = await fileFor('老字号阀门', [patent], earlyFirm);
    expect(refusedBeforeListing.status).toBe(400);
    expect(refusedBeforeListing.body.errors).toEqual([
      { field: 'enterprise.uscc', message: expect.stringContaining('wrong check character') },
    ]);

    configureUsccAllowList([earlyFirm.uscc.toLowerCase()]);
    try {
      const filed = await fileFor('老字号阀门', [patent], { ...earlyFirm, uscc: earlyFirm.uscc.toLowerCase() });
      expect(filed.status).toBe(201);
      expect(filed.body).toMatchObject({
        enterprise: { uscc: earlyFirm.uscc },
        holdings: [{ number: patent, basis: 'owner' }],
      });
      expect((await app.events(filed.body.id))[0]).toMatchObject({ key: earlyFirm.uscc, type: 'ProductFiled' });

      const listedForIt = await app.call('GET', `/v1/products?enterprise=${earlyFirm.uscc.toLowerCase()}`, {
        token: regulator,
      });
      expect(listedForIt.status).toBe(200);
      expect(listedForIt.body.items.map((p: { id: string }) => p.id)).toEqual([filed.body.id]);

      const other = await fileFor('冒牌阀门', [patent], { ...earlyFirm, uscc: notListed });
      expect(other.status).toBe(400);
      expect(other.body.errors).toEqual([
        { field: 'enterprise.uscc', message: expect.stringContaining('wrong check character') },
      ]);
      const otherQuery = await app.call('GET', `/v1/products?enterprise=${notListed}`, { token: regulator });
      expect(otherQuery.status).toBe(400);
      expect(otherQuery.body.errors).toEqual([
        { field: 'enterprise', message: expect.stringContaining('wrong check character') },
      ]);
    } finally {
      configureUsccAllowList([]);
    }
  });
});

describe('the ownership view', () => {
  it('applies a redelivered event once, and rebuilt from the same events holds the same timelines', async () => {
    const patent = invention(1_777_001);
    const sent = await app.feed(
      listed(patent),
      transferred(patent, minnanUniversity, minxin, '2024-02-01'),
      licensed(patent, jiulong, 'sole', '2024-03-01', '2025-02-28'),
      transferred(patent, minxin, jiulong, '2024-05-01'),
    );
    const snapshot = () =>
      app.db.dataSource.query('select number, kind, timeline from patent_timelines order by number');
    const before = await snapshot();
    expect(before).toContainEqual(
      expect.objectContaining({
        number: patent,
        timeline: expect.objectContaining({ transfers: [expect.anything(), expect.anything()] }),
      }),
    );

    await app.redeliver(sent);
    expect(await snapshot()).toEqual(before);

    // Rebuild: drop the view with its inbox rows, then fold the topic again (one batch per record, as partitions may deliver).
    await app.db.dataSource.transaction(async (m) => {
      await m.query('delete from patent_timelines');
      await m.query("delete from inbox where consumer = 'dense-products.patents'");
    });
    for (const event of app.fed()) await app.redeliver([event]);
    expect(await snapshot()).toEqual(before);
  });
});
