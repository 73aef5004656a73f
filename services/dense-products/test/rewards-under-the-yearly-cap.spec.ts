/**
 * Rewards through the service on the real PostgreSQL: the Zhangzhou policy seeded by the
 * migration, the yearly cap per enterprise (Asia/Shanghai calendar year of recognition), the
 * remainder for the product crossing it, withdrawal giving back and re-evaluating the next in
 * line, never paying twice, and concurrent recognitions serialised in the database.
 */
import { Money } from '@ipfin/kernel';
import { startProductsApp, tokenFor, type OutboxEvent, type ProductsTestApp } from './support/products-app';
import {
  LONGHAI,
  NANAN,
  XIANGCHENG,
  ZHANGZHOU,
  enterprise,
  filing,
  invention,
  listed,
  minnanUniversity,
  transferred,
  type Enterprise,
} from './support/zhangzhou';

let app: ProductsTestApp;

const regulator = tokenFor('regulator', 'zz-ip-office', ZHANGZHOU);
const nananRegulator = tokenFor('regulator', 'nanan-ip-office', NANAN);

/** Gives the enterprise an invention patent from 2024-01-05 and files `count` products with it. */
async function productsOf(
  e: Enterprise,
  patentSerial: number,
  count: number,
  filedOn = '2024-03-01',
): Promise<string[]> {
  const patent = invention(patentSerial);
  await app.feed(listed(patent), transferred(patent, minnanUniversity, e, '2024-01-05'));
  const token = tokenFor('enterprise', `ent-${e.uscc}`, e.regionCode, e.uscc);
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) {
    const res = await app.call('POST', '/v1/products', {
      token,
      body: filing(`产品${patentSerial}-${i}`, [patent], filedOn),
    });
    expect(res.status).toBe(201);
    ids.push(res.body.id as string);
  }
  return ids;
}

const recognise = (id: string, recognisedOn: string, certificateNo = `ZLMJ-${id}`, token = regulator) =>
  app.call('POST', `/v1/products/${id}/recognise`, { token, body: { recognisedOn, certificateNo } });

const withdraw = (id: string, withdrawnOn: string, token = regulator) =>
  app.call('POST', `/v1/products/${id}/recognition-withdrawals`, {
    token,
    body: { withdrawnOn, reason: '认定证书被国家知识产权局撤销' },
  });

const rewardOf = async (id: string): Promise<string | undefined> =>
  (await app.call('GET', `/v1/products/${id}`, { token: regulator })).body.reward?.amount as string | undefined;

const rewardEvents = (events: OutboxEvent[]) =>
  events.filter((e) => e.type === 'ProductRewarded' || e.type === 'ProductRewardAdjusted');

/** Σ of what the events pay the enterprise in a year: awards plus signed adjustments (as metrics would fold them). */
const paidOut = (events: OutboxEvent[], uscc: string, year: number): string =>
  Money.sum(
    rewardEvents(events)
      .filter((e) => e.key === uscc && e.data.year === year)
      .map((e) => (e.type === 'ProductRewarded' ? Money.parse(e.data.amount) : Money.parseSigned(e.data.change))),
  ).toString();

const yearRow = async (uscc: string, year: number) =>
  (
    await app.db.dataSource.query<{ rewarded: string; recognitions: number }[]>(
      'select rewarded_fen::text as rewarded, recognitions from reward_years where enterprise_uscc = $1 and year = $2',
      [uscc, year],
    )
  )[0];

beforeAll(async () => {
  // 23:30 on 31 December in Zhangzhou (15:30 UTC).
  app = await startProductsApp('products_rewards_it', '2024-12-31T23:30:00+08:00');
});

afterAll(async () => {
  await app?.close();
});

describe('rewards under the yearly cap', () => {
  const longhaiValves = enterprise(201, LONGHAI, '漳州龙海智能阀门有限公司');
  let ids: string[] = [];

  it('pays ¥5 000 for each of 20 recognitions in 2024 and ¥0 for the 21st', async () => {
    ids = await productsOf(longhaiValves, 1_200_001, 24);

    for (let i = 0; i < 21; i++) {
      const res = await recognise(ids[i], `2024-04-${String(i + 1).padStart(2, '0')}`);
      expect(res.status).toBe(200);
    }

    const twentieth = await app.call('GET', `/v1/products/${ids[19]}`, { token: regulator });
    expect(twentieth.body).toMatchObject({
      status: 'recognised',
      recognition: { recognisedOn: '2024-04-20', year: 2024 },
      reward: { year: 2024, amount: '5000.00', basis: 'per-product', policyRegion: ZHANGZHOU },
    });
    const twentyFirst = await app.call('GET', `/v1/products/${ids[20]}`, { token: regulator });
    expect(twentyFirst.body.reward).toEqual({
      year: 2024,
      amount: '0.00',
      basis: 'cap-reached',
      policyRegion: ZHANGZHOU,
    });
    expect(twentyFirst.body.history.map((h: { type: string }) => h.type)).toEqual([
      'ProductFiled',
      'ProductRecognised',
      'ProductRewarded',
    ]);

    const events = await app.events();
    const awards = rewardEvents(events).filter((e) => e.key === longhaiValves.uscc);
    expect(awards.map((e) => e.data.amount)).toEqual([...Array(20).fill('5000.00'), '0.00']);
    expect(awards.map((e) => e.data.basis)).toEqual([...Array(20).fill('per-product'), 'cap-reached']);
    expect(paidOut(events, longhaiValves.uscc, 2024)).toBe('100000.00');
    expect(await yearRow(longhaiValves.uscc, 2024)).toEqual({ rewarded: '10000000', recognitions: 21 });
  });

  it('counts a recognition at 23:30 on 31 December (Asia/Shanghai) in that year, and resets the cap on 1 January', async () => {
    // 2024-12-31T23:30+08:00: today is the 31st in Zhangzhou, so 1 January is still in the future.
    expect((await recognise(ids[21], '2025-01-01')).status).toBe(400);
    const lastDay = await recognise(ids[21], '2024-12-31');
    expect(lastDay.status).toBe(200);
    expect(lastDay.body.reward).toMatchObject({ year: 2024, amount: '0.00', basis: 'cap-reached' });
    const recognised = (await app.events(ids[21])).find((e) => e.type === 'ProductRecognised');
    expect(recognised?.data).toMatchObject({ recognitionYear: 2024, recordedAt: '2024-12-31T15:30:00.000Z' });

    // One hour later it is 1 January 2025 in Zhangzhou, though still 31 December in UTC.
    app.clock.set('2025-01-01T00:30:00+08:00');
    const firstDay = await recognise(ids[22], '2025-01-01');
    expect(firstDay.status).toBe(200);
    expect(firstDay.body.reward).toEqual({
      year: 2025,
      amount: '5000.00',
      basis: 'per-product',
      policyRegion: ZHANGZHOU,
    });
    expect(paidOut(await app.events(), longhaiValves.uscc, 2024)).toBe('100000.00');
    expect(paidOut(await app.events(), longhaiValves.uscc, 2025)).toBe('5000.00');
  });

  it('gives a withdrawn recognition’s reward back and pays the freed cap to the first product left at ¥0', async () => {
    const before = (await app.events()).length;

    const res = await withdraw(ids[2], '2025-01-01');

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'withdrawn',
      recognition: { recognisedOn: '2024-04-03' },
      withdrawal: { withdrawnOn: '2025-01-01' },
      reward: { year: 2024, amount: '0.00', basis: 'recognition-withdrawn' },
    });
    const emitted = (await app.events()).slice(before);
    expect(
      emitted.map((e) => [
        e.type,
        e.data.productId,
        e.data.amount ?? null,
        e.data.change ?? null,
        e.data.reason ?? null,
      ]),
    ).toEqual([
      ['ProductRecognitionWithdrawn', ids[2], null, null, '认定证书被国家知识产权局撤销'],
      ['ProductRewardAdjusted', ids[2], '0.00', '-5000.00', 'recognition-withdrawn'],
      ['ProductRewardAdjusted', ids[20], '5000.00', '5000.00', 'cap-freed'],
    ]);
    expect(await rewardOf(ids[20])).toBe('5000.00');
    expect(await rewardOf(ids[21])).toBe('0.00');
    expect(paidOut(await app.events(), longhaiValves.uscc, 2024)).toBe('100000.00');
    expect(await yearRow(longhaiValves.uscc, 2024)).toEqual({ rewarded: '10000000', recognitions: 21 });
  });

  it('never pays twice: the same recognition or withdrawal sent again changes nothing', async () => {
    const before = await app.events();

    const again = await recognise(ids[0], '2024-04-01');
    const withdrawnAgain = await withdraw(ids[2], '2025-01-01');
    const replayedKey = await app.call('POST', `/v1/products/${ids[5]}/recognise`, {
      token: regulator,
      headers: { 'Idempotency-Key': 'zz-recognition-0006' },
      body: { recognisedOn: '2024-04-06', certificateNo: `ZLMJ-${ids[5]}` },
    });

    expect([again.status, withdrawnAgain.status, replayedKey.status]).toEqual([200, 200, 200]);
    expect(again.body.reward.amount).toBe('5000.00');
    expect(await app.events()).toEqual(before);
    const otherCertificate = await recognise(ids[0], '2024-04-01', 'ZLMJ-OTHER');
    expect(otherCertificate.status).toBe(409);
    expect(otherCertificate.body.type).toBe('https://ipfin.dev/problems/product-not-filed');
    const recognisedAfterWithdrawal = await recognise(ids[2], '2024-05-01', 'ZLMJ-AGAIN');
    expect(recognisedAfterWithdrawal.status).toBe(409);
    const certificateOfAnother = await recognise(ids[23], '2024-05-01', `ZLMJ-${ids[0]}`);
    expect(certificateOfAnother.status).toBe(409);
    expect(certificateOfAnother.body.type).toBe('https://ipfin.dev/problems/certificate-already-used');
  });
});

describe('a policy whose amount does not divide the cap', () => {
  const nananPumps = enterprise(301, NANAN, '南安市水泵科技有限公司');

  it('pays the product crossing the cap the remainder, later ones ¥0, and re-evaluates both after a withdrawal', async () => {
    // Policy data, not code: ¥30 000 per product, ¥100 000 a year, for Nan'an.
    await app.db.dataSource.query(
      `insert into reward_policies (region, effective_from, per_product_fen, annual_cap_fen, source)
       values ($1, '2024-01-01', 3000000, 10000000, 'test policy')`,
      [NANAN],
    );
    app.clock.set('2024-12-01T10:00:00+08:00');
    const ids = await productsOf(nananPumps, 1_300_001, 5);
    for (const [i, id] of ids.entries())
      expect((await recognise(id, `2024-06-0${i + 1}`, `QZ-${id}`, nananRegulator)).status).toBe(200);

    const amounts = async () =>
      Promise.all(
        ids.map(async (id) => (await app.call('GET', `/v1/products/${id}`, { token: nananRegulator })).body.reward),
      );
    expect((await amounts()).map((r) => [r.amount, r.basis])).toEqual([
      ['30000.00', 'per-product'],
      ['30000.00', 'per-product'],
      ['30000.00', 'per-product'],
      ['10000.00', 'cap-remainder'],
      ['0.00', 'cap-reached'],
    ]);

    expect((await withdraw(ids[1], '2024-12-01', nananRegulator)).status).toBe(200);

    expect((await amounts()).map((r) => [r.amount, r.basis])).toEqual([
      ['30000.00', 'per-product'],
      ['0.00', 'recognition-withdrawn'],
      ['30000.00', 'per-product'],
      ['30000.00', 'per-product'],
      ['10000.00', 'cap-remainder'],
    ]);
    const adjustments = (await app.events()).filter(
      (e) => e.type === 'ProductRewardAdjusted' && e.key === nananPumps.uscc,
    );
    expect(
      adjustments.map((e) => [e.data.productId, e.data.previousAmount, e.data.amount, e.data.change, e.data.reason]),
    ).toEqual([
      [ids[1], '30000.00', '0.00', '-30000.00', 'recognition-withdrawn'],
      [ids[3], '10000.00', '30000.00', '20000.00', 'cap-freed'],
      [ids[4], '0.00', '10000.00', '10000.00', 'cap-freed'],
    ]);
    expect(paidOut(await app.events(), nananPumps.uscc, 2024)).toBe('100000.00');
  });
});

describe('concurrent recognitions', () => {
  const xiangchengOptics = enterprise(401, XIANGCHENG, '漳州芗城光电科技有限公司');

  it('are serialised per enterprise and year in the database: 25 at once pay exactly the cap', async () => {
    app.clock.set('2024-12-01T10:00:00+08:00');
    const ids = await productsOf(xiangchengOptics, 1_400_001, 25);

    const results = await Promise.all(
      ids.map((id, i) => recognise(id, `2024-07-${String((i % 28) + 1).padStart(2, '0')}`)),
    );

    expect(results.map((r) => r.status)).toEqual(Array(25).fill(200));
    const rewards = await Promise.all(ids.map((id) => rewardOf(id)));
    expect(rewards.filter((a) => a === '5000.00')).toHaveLength(20);
    expect(rewards.filter((a) => a === '0.00')).toHaveLength(5);
    const events = await app.events();
    expect(paidOut(events, xiangchengOptics.uscc, 2024)).toBe('100000.00');
    // Every product got exactly one first decision.
    const awarded = rewardEvents(events).filter((e) => e.key === xiangchengOptics.uscc && e.type === 'ProductRewarded');
    expect(new Set(awarded.map((e) => e.data.productId)).size).toBe(25);
    expect(awarded).toHaveLength(25);
  });
});
