/**
 * Who may see and decide which product, through the real guard and services: an enterprise sees
 * its own and decides nothing, an agency sees what it filed, a regulator sees and decides within
 * its region (or above), another region's regulator gets "not found"; lists are paginated.
 */
import { startProductsApp, tokenFor, type ProductsTestApp } from './support/products-app';
import {
  FUJIAN,
  LONGHAI,
  QUANZHOU,
  XIANGCHENG,
  ZHANGZHOU,
  enterprise,
  filing,
  invention,
  listed,
  minnanUniversity,
  transferred,
} from './support/zhangzhou';

let app: ProductsTestApp;

const longhaiFirm = enterprise(501, LONGHAI, '漳州龙海精密机械有限公司');
const xiangchengFirm = enterprise(502, XIANGCHENG, '漳州芗城新材料有限公司');
const longhaiToken = tokenFor('enterprise', 'ent-longhai', LONGHAI, longhaiFirm.uscc);
const xiangchengToken = tokenFor('enterprise', 'ent-xiangcheng', XIANGCHENG, xiangchengFirm.uscc);
const agencyA = tokenFor('agency', 'agency-zz-a', ZHANGZHOU);
const agencyB = tokenFor('agency', 'agency-zz-b', ZHANGZHOU);
const zhangzhouRegulator = tokenFor('regulator', 'zz-ip-office', ZHANGZHOU);
const longhaiRegulator = tokenFor('regulator', 'longhai-ip-office', LONGHAI);
const fujianRegulator = tokenFor('regulator', 'fj-ip-office', FUJIAN);
const quanzhouRegulator = tokenFor('regulator', 'qz-ip-office', QUANZHOU);
const admin = tokenFor('admin', 'ops');
const bank = tokenFor('bank', 'bank-icbc-zz', ZHANGZHOU);

let own: string; // filed by the Longhai enterprise itself
let viaAgency: string; // filed by agency A for the Longhai enterprise
let other: string; // the Xiangcheng enterprise's

const recognise = (id: string, token: string, certificateNo = `ZLMJ-${id}`) =>
  app.call('POST', `/v1/products/${id}/recognise`, { token, body: { recognisedOn: '2024-06-18', certificateNo } });

beforeAll(async () => {
  app = await startProductsApp('products_access_it', '2024-08-01T02:00:00Z');
  const a = invention(1_500_001);
  const b = invention(1_500_002);
  await app.feed(
    listed(a),
    listed(b),
    transferred(a, minnanUniversity, longhaiFirm, '2024-01-05'),
    transferred(b, minnanUniversity, xiangchengFirm, '2024-01-05'),
  );
  own = (await app.call('POST', '/v1/products', { token: longhaiToken, body: filing('精密减速器', [a]) })).body.id;
  viaAgency = (
    await app.call('POST', '/v1/products', {
      token: agencyA,
      body: filing('精密减速器二代', [a], '2024-03-20', { enterprise: longhaiFirm }),
    })
  ).body.id;
  other = (await app.call('POST', '/v1/products', { token: xiangchengToken, body: filing('石墨烯膜', [b]) })).body.id;
  expect([own, viaAgency, other].every((id) => typeof id === 'string')).toBe(true);
});

afterAll(async () => {
  await app?.close();
});

const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((p) => p.id);

describe('deciding on products', () => {
  it('an enterprise, an agency or an admin cannot recognise, reject or withdraw (403)', async () => {
    for (const token of [longhaiToken, agencyA, admin]) {
      expect((await recognise(own, token)).status).toBe(403);
      expect(
        (
          await app.call('POST', `/v1/products/${own}/reject`, {
            token,
            body: { reason: '自行撤回', rejectedOn: '2024-06-18' },
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await app.call('POST', `/v1/products/${own}/recognition-withdrawals`, {
            token,
            body: { reason: 'x', withdrawnOn: '2024-06-18' },
          })
        ).status,
      ).toBe(403);
    }
    expect((await app.call('GET', `/v1/products/${own}`, { token: longhaiToken })).body.status).toBe('filed');
  });

  it('a regulator of another region cannot see or decide (404, existence not revealed); a county regulator only its county', async () => {
    const res = await recognise(own, quanzhouRegulator);
    expect(res.status).toBe(404);
    expect(res.body.type).toBe('https://ipfin.dev/problems/not-found');
    expect((await app.call('GET', `/v1/products/${own}`, { token: quanzhouRegulator })).status).toBe(404);
    expect(
      (
        await app.call('POST', `/v1/products/${other}/reject`, {
          token: longhaiRegulator,
          body: { reason: '不符合', rejectedOn: '2024-06-18' },
        })
      ).status,
    ).toBe(404);
    expect((await app.call('GET', `/v1/products/${other}`, { token: longhaiRegulator })).status).toBe(404);
    expect(ids(await app.call('GET', '/v1/products', { token: quanzhouRegulator }))).toEqual([]);
    expect(
      ids(await app.call('GET', `/v1/products?enterprise=${longhaiFirm.uscc}`, { token: quanzhouRegulator })),
    ).toEqual([]);
    expect((await app.call('GET', `/v1/products/${own}`, { token: zhangzhouRegulator })).body.history).toHaveLength(1);
  });

  it('the regulator of the enterprise’s county, its city or its province decides', async () => {
    expect((await recognise(own, longhaiRegulator)).body).toMatchObject({
      status: 'recognised',
      reward: { amount: '5000.00' },
    });
    expect((await recognise(viaAgency, fujianRegulator)).body).toMatchObject({
      status: 'recognised',
      reward: { amount: '5000.00' },
    });
  });

  it('a rejected filing can be filed again; a decided product cannot be decided again (409)', async () => {
    const rejected = await app.call('POST', `/v1/products/${other}/reject`, {
      token: zhangzhouRegulator,
      body: { reason: '核心专利与产品技术方案不对应', rejectedOn: '2024-06-18' },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      rejection: { rejectedOn: '2024-06-18', reason: '核心专利与产品技术方案不对应' },
    });
    expect(rejected.body.reward).toBeUndefined();
    expect((await app.events(other)).map((e) => [e.type, e.data.sequence])).toEqual([
      ['ProductFiled', 1],
      ['ProductRejected', 2],
    ]);

    expect((await recognise(other, zhangzhouRegulator)).status).toBe(409);
    expect(
      (
        await app.call('POST', `/v1/products/${other}/recognition-withdrawals`, {
          token: zhangzhouRegulator,
          body: { reason: 'x', withdrawnOn: '2024-06-19' },
        })
      ).status,
    ).toBe(409);
    const refiled = await app.call('POST', '/v1/products', {
      token: xiangchengToken,
      body: filing('石墨烯膜', [invention(1_500_002)], '2024-07-01'),
    });
    expect(refiled.status).toBe(201);
  });

  it('refuses decisions dated before the filing (422) or in the future (400), and unknown ids (404)', async () => {
    const fresh = (
      await app.call('POST', '/v1/products', {
        token: longhaiToken,
        body: filing('精密减速器三代', [invention(1_500_001)], '2024-05-10'),
      })
    ).body.id;
    const early = await app.call('POST', `/v1/products/${fresh}/recognise`, {
      token: zhangzhouRegulator,
      body: { recognisedOn: '2024-05-09', certificateNo: 'C-1' },
    });
    expect(early.status).toBe(422);
    expect(early.body.type).toBe('https://ipfin.dev/problems/date-out-of-order');
    const future = await app.call('POST', `/v1/products/${fresh}/recognise`, {
      token: zhangzhouRegulator,
      body: { recognisedOn: '2024-08-02', certificateNo: 'C-1' },
    });
    expect(future.status).toBe(400);
    const malformed = await app.call('POST', `/v1/products/${fresh}/recognise`, {
      token: zhangzhouRegulator,
      body: { recognisedOn: '2024-06-31', certificateNo: 'C-1', amount: '5000' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['amount', 'recognisedOn']);
    expect((await recognise('00000000-0000-4000-8000-000000000000', zhangzhouRegulator)).status).toBe(404);
    expect((await app.call('GET', '/v1/products/not-a-uuid', { token: zhangzhouRegulator })).status).toBe(404);
  });
});

describe('reading products', () => {
  it('an enterprise sees its own filings, whoever filed them, and no one else’s', async () => {
    expect(ids(await app.call('GET', '/v1/products', { token: longhaiToken }))).toEqual(
      expect.arrayContaining([own, viaAgency]),
    );
    expect(ids(await app.call('GET', '/v1/products', { token: longhaiToken }))).not.toContain(other);
    expect((await app.call('GET', `/v1/products/${other}`, { token: longhaiToken })).status).toBe(404);
    expect(
      (await app.call('GET', `/v1/products?enterprise=${xiangchengFirm.uscc}`, { token: longhaiToken })).status,
    ).toBe(403);
  });

  it('an agency sees what it filed, not what another agency or the enterprise filed', async () => {
    expect(ids(await app.call('GET', '/v1/products', { token: agencyA }))).toEqual([viaAgency]);
    expect((await app.call('GET', `/v1/products/${viaAgency}`, { token: agencyA })).body.agencyId).toBe('agency-zz-a');
    expect((await app.call('GET', `/v1/products/${own}`, { token: agencyA })).status).toBe(404);
    expect(ids(await app.call('GET', '/v1/products', { token: agencyB }))).toEqual([]);
  });

  it('a regulator lists its region by status and enterprise; other roles and anonymous callers are refused', async () => {
    const recognised = await app.call('GET', '/v1/products?status=recognised', { token: zhangzhouRegulator });
    expect(ids(recognised).sort()).toEqual([own, viaAgency].sort());
    const ofXiangcheng = await app.call('GET', `/v1/products?enterprise=${xiangchengFirm.uscc.toLowerCase()}`, {
      token: zhangzhouRegulator,
    });
    expect(
      ofXiangcheng.body.items.every((p: { enterprise: { uscc: string } }) => p.enterprise.uscc === xiangchengFirm.uscc),
    ).toBe(true);
    expect(ids(await app.call('GET', '/v1/products', { token: longhaiRegulator }))).not.toContain(other);
    expect((await app.call('GET', '/v1/products', { token: bank })).status).toBe(403);
    expect((await app.call('GET', '/v1/products')).status).toBe(401);
    expect((await app.call('GET', '/v1/products?status=paid', { token: zhangzhouRegulator })).status).toBe(400);
  });

  it('pages with an opaque cursor until nextCursor is null', async () => {
    const all = ids(await app.call('GET', '/v1/products?limit=500', { token: admin }));
    expect(all.length).toBeGreaterThanOrEqual(5);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await app.call(
        'GET',
        `/v1/products?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`,
        { token: admin },
      );
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...ids(page));
      cursor = page.body.nextCursor;
    } while (cursor !== null);

    expect(seen).toEqual(all);
    const forged = await app.call('GET', '/v1/products?cursor=bm90LWEtY3Vyc29y', { token: admin });
    expect(forged.status).toBe(400);
    expect(forged.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
  });
});
