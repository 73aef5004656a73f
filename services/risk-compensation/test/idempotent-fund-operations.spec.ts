/**
 * A retried contribution or recovery is never applied twice (api.md "Idempotency"), even when the
 * Idempotency-Key interceptor of @ipfin/http never records the first answer or hands a stale key
 * to a retry while the first run is still going. The interceptor's part is played here by its own
 * `IdempotencyStore` on the service's table; the operations run through the service layer on the
 * real PostgreSQL.
 */
import { IdempotencyStore, ProblemException, requestHash, type IdempotentRequest } from '@ipfin/http';
import { fixedClock } from '@ipfin/kernel';
import type { TestSchema } from '@ipfin/testing';
import type { DataSource } from 'typeorm';
import {
  bankOf, defaultedLoan, deliver, envelope, fen, fundOf, fundRow, ledgerLines, riskSchema, riskServices, ZHANGZHOU, type RiskServices,
} from './support/risk-kit';

const BANK = bankOf('bank-icbc-zz');
const FUND = fundOf(ZHANGZHOU);
const clock = fixedClock('2025-06-10T03:00:00Z');
const CONTRIBUTIONS = `/v1/funds/${ZHANGZHOU}/contributions`;

let db: TestSchema & { pooled: DataSource };
let svc: RiskServices;
let store: IdempotencyStore;

/** What the interceptor derives for a request of `owner` with `key`. */
const keyed = (owner: string, key: string, path: string, body: unknown, status = 201): IdempotentRequest => ({
  owner, key, requestHash: requestHash('POST', path, body), status,
});

/** The interceptor's first step: the pending row. */
async function begin(request: IdempotentRequest): Promise<string> {
  return (await store.begin(request.owner, request.key, request.requestHash)).outcome;
}

/** As if the pending row had been left for more than the interceptor's 60 s. */
async function age(request: IdempotentRequest): Promise<void> {
  await db.dataSource.query(
    `update idempotency_keys set created_at = now() - interval '2 minutes' where principal_sub = $1 and idempotency_key = $2`,
    [request.owner, request.key],
  );
}

async function problemOf(promise: Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    await promise;
  } catch (error: unknown) {
    if (error instanceof ProblemException) return { status: error.getStatus(), code: error.code };
    throw error;
  }
  throw new Error('expected a refusal');
}

const contributions = async () => (await ledgerLines(db.dataSource, ZHANGZHOU)).filter((l) => l.kind === 'contribution' && l.account === 'capital');

beforeAll(async () => {
  db = await riskSchema('risk_idem', 6);
  svc = riskServices(db.dataSource, db.schema, clock);
  store = new IdempotencyStore(db.dataSource, db.schema);
  await svc.policies.seed();
  await deliver(db.dataSource, db.schema, svc.consumer, defaultedLoan({ bank: BANK.sub, loanRef: 'ZZ-I-1' }, 61, '10000.00').map(envelope));
});

afterAll(async () => {
  await db?.drop();
});

describe('a contribution with an Idempotency-Key', () => {
  const body = { amount: '100000.00', receivedOn: '2025-06-10' };

  it('records its answer in its own transaction, so a retry replays it even if the interceptor never did', async () => {
    const request = keyed(FUND.sub, 'capital-1', CONTRIBUTIONS, body);
    expect(await begin(request)).toBe('started');
    const first = await svc.funds.contribute(FUND, ZHANGZHOU, body, request);
    // The interceptor's `complete` is lost here (process gone). A retry a minute later:
    await age(request);
    const retry = await store.begin(request.owner, request.key, request.requestHash);
    expect(retry).toEqual({ outcome: 'replay', status: 201, body: JSON.parse(JSON.stringify(first)) });
    expect((await fundRow(db.dataSource, ZHANGZHOU)).capital).toBe(fen('100000.00'));
  });

  it('is not applied again by a run that finds the key answered meanwhile (a takeover of a stalled first run)', async () => {
    const request = keyed(FUND.sub, 'capital-2', CONTRIBUTIONS, body);
    expect(await begin(request)).toBe('started');
    await age(request);
    expect(await begin(request)).toBe('started'); // the retry takes the stale key over
    const retried = await svc.funds.contribute(FUND, ZHANGZHOU, body, request);
    // The stalled first run reaches the fund only now.
    expect(await problemOf(svc.funds.contribute(FUND, ZHANGZHOU, body, request))).toEqual({ status: 409, code: 'idempotency-key-in-flight' });
    expect(await store.begin(request.owner, request.key, request.requestHash)).toMatchObject({ outcome: 'replay', body: { id: retried.id } });
    expect((await contributions()).length).toBe(2);
    expect((await fundRow(db.dataSource, ZHANGZHOU)).capital).toBe(fen('200000.00'));
  });

  it('applies exactly one of two racing runs of the same request', async () => {
    const request = keyed(FUND.sub, 'capital-3', CONTRIBUTIONS, body);
    expect(await begin(request)).toBe('started');
    const racing = riskServices(db.pooled, db.schema, clock);
    const outcomes = await Promise.allSettled([
      racing.funds.contribute(FUND, ZHANGZHOU, body, request),
      racing.funds.contribute(FUND, ZHANGZHOU, body, request),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((await contributions()).length).toBe(3);
    expect((await fundRow(db.dataSource, ZHANGZHOU)).capital).toBe(fen('300000.00'));
  });

  it('refuses a stalled run whose key another request took over, and lets that request run', async () => {
    const stalled = keyed(FUND.sub, 'capital-4', CONTRIBUTIONS, body);
    const other = keyed(FUND.sub, 'capital-4', CONTRIBUTIONS, { ...body, amount: '1.00' });
    expect(await begin(stalled)).toBe('started');
    await age(stalled);
    expect(await begin(other)).toBe('started');
    expect(await problemOf(svc.funds.contribute(FUND, ZHANGZHOU, body, stalled))).toEqual({ status: 409, code: 'idempotency-key-reused' });
    await svc.funds.contribute(FUND, ZHANGZHOU, { ...body, amount: '1.00' }, other);
    expect((await fundRow(db.dataSource, ZHANGZHOU)).capital).toBe(fen('300001.00'));
  });

  it('behaves as before without a key: every contribution counts', async () => {
    await svc.funds.contribute(FUND, ZHANGZHOU, { amount: '1.00', receivedOn: '2025-06-10' });
    await svc.funds.contribute(FUND, ZHANGZHOU, { amount: '1.00', receivedOn: '2025-06-10' });
    expect((await fundRow(db.dataSource, ZHANGZHOU)).capital).toBe(fen('300003.00'));
  });
});

describe('a recovery with an Idempotency-Key', () => {
  it('is shared once, however the retry arrives', async () => {
    const filed = await svc.claims.file(BANK, { loanRef: 'ZZ-I-1', principalLoss: '10000.00', defaultedOn: '2025-05-20' });
    expect(await svc.claims.approve(FUND, filed.id)).toMatchObject({ status: 'paid', fundShare: '8000.00' });
    const path = `/v1/claims/${filed.id}/recoveries`;
    const body = { amount: '1000.00', recoveredOn: '2025-06-10' };
    const request = keyed(BANK.sub, 'recovery-1', path, body);
    expect(await begin(request)).toBe('started');
    const first = await svc.claims.recover(BANK, filed.id, body, request);
    expect(first).toMatchObject({ fundPart: '800.00', bankPart: '200.00' });
    // Lost `complete`, then a retry after the timeout: answered from the row, not run again.
    await age(request);
    expect(await store.begin(request.owner, request.key, request.requestHash)).toMatchObject({ outcome: 'replay', status: 201, body: { id: first.id } });
    // And a stalled duplicate run reaching the fund later is refused.
    expect(await problemOf(svc.claims.recover(BANK, filed.id, body, request))).toEqual({ status: 409, code: 'idempotency-key-in-flight' });
    expect(await svc.claims.get(BANK, filed.id)).toMatchObject({ recoveredToFund: '800.00', recoveredToBank: '200.00' });
    expect((await fundRow(db.dataSource, ZHANGZHOU)).recovered).toBe(fen('800.00'));
  });
});
