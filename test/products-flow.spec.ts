/**
 * A patent-intensive product from university to reward, through the one base URL and Kafka: a
 * university lists an invention patent and transfers it to an enterprise (patent-registry →
 * ipfin.patents.v1), dense-products' ownership view follows the topic, the enterprise files a
 * product with the patent, a Zhangzhou regulator recognises it and the reward is ¥5 000.
 */
import { api, eventually, token } from './support/client';
import {
  LONGHAI,
  ZHANGZHOU,
  freshInvention,
  inventionListing,
  minnanUniversity,
  todayInShanghai,
  valveMaker,
} from './products-fixtures';

const enterprise = valveMaker(601);
const university = token('university', minnanUniversity.sub, minnanUniversity.region, minnanUniversity.uscc);
const enterpriseToken = token('enterprise', 'ent-minxin-valves', LONGHAI, enterprise.uscc);
const regulator = token('regulator', 'zz-ip-office', ZHANGZHOU);

const patent = freshInvention();
const keptByTheUniversity = freshInvention();
const today = todayInShanghai();

describe('patent-intensive product: from a university patent to the reward', () => {
  let productId: string;

  it('the university lists two invention patents and transfers one to the enterprise', async () => {
    const listing = await api('POST', '/v1/patents', {
      token: university,
      body: [inventionListing(patent), inventionListing(keptByTheUniversity)],
    });
    expect(listing.status).toBe(200);
    expect(listing.body.results.map((r: { status: string }) => r.status)).toEqual(['listed', 'listed']);

    const transfer = await api('POST', `/v1/patents/${patent}/transfers`, {
      token: university,
      body: { assignee: enterprise, price: '300000.00', contractDate: today, recordedOn: today },
    });
    expect(transfer.status).toBe(201);
  });

  it('the enterprise files a product with it once the ownership view has caught up', async () => {
    const body = {
      name: '智能水阀控制器',
      category: '高端装备制造',
      patents: [`ZL${patent}`],
      filedOn: today,
      annualRevenue: '12500000.00',
    };
    // Until dense-products has consumed the transfer, the patent is unknown or still the university's (422).
    const filed = await eventually(
      () => api('POST', '/v1/products', { token: enterpriseToken, body }),
      (r) => r.status !== 422,
      30_000,
    );
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({
      status: 'filed',
      enterprise: { uscc: enterprise.uscc, regionCode: LONGHAI },
      patents: [patent],
      holdings: [{ number: patent, basis: 'owner' }],
    });
    productId = filed.body.id;
  });

  it('a patent the university kept is refused, naming it', async () => {
    const refused = await api('POST', '/v1/products', {
      token: enterpriseToken,
      body: { name: '智能水阀二代', patents: [keptByTheUniversity], filedOn: today },
    });
    expect(refused.status).toBe(422);
    expect(refused.contentType).toContain('application/problem+json');
    expect(refused.body.errors).toEqual([
      { field: 'patents[0]', message: expect.stringMatching(/^not-owned-or-licensed: /) },
    ]);
  });

  it('the enterprise cannot recognise its own product; the Zhangzhou regulator does, and the reward is ¥5 000', async () => {
    const body = { recognisedOn: today, certificateNo: `ZLMJ-${patent}` };
    expect((await api('POST', `/v1/products/${productId}/recognise`, { token: enterpriseToken, body })).status).toBe(
      403,
    );

    const recognised = await api('POST', `/v1/products/${productId}/recognise`, { token: regulator, body });

    expect(recognised.status).toBe(200);
    expect(recognised.body).toMatchObject({
      status: 'recognised',
      recognition: { recognisedOn: today, certificateNo: `ZLMJ-${patent}` },
      reward: { amount: '5000.00', basis: 'per-product', policyRegion: ZHANGZHOU },
    });
    expect(recognised.body.history.map((h: { type: string }) => h.type)).toEqual([
      'ProductFiled',
      'ProductRecognised',
      'ProductRewarded',
    ]);
  });

  it('the enterprise and the regulator both see it recognised with its reward; Quanzhou’s regulator does not', async () => {
    const own = await api('GET', '/v1/products?status=recognised', { token: enterpriseToken });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ items: [{ id: productId, reward: { amount: '5000.00' } }], nextCursor: null });
    const regional = await api('GET', `/v1/products?enterprise=${enterprise.uscc}`, { token: regulator });
    expect(regional.body.items.map((p: { id: string }) => p.id)).toEqual([productId]);
    const quanzhou = token('regulator', 'qz-ip-office', '350500');
    expect((await api('GET', `/v1/products/${productId}`, { token: quanzhou })).status).toBe(404);
  });
});
