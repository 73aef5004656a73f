import jwt from 'jsonwebtoken';
import { ProblemException } from '../problem/problem.exception';
import { TokenVerifier } from './token-verifier';

const SECRET = 'a-test-secret-of-some-length';
const T0 = Date.UTC(2026, 11, 6, 12, 0, 0);
const claims = { sub: 'zz-ip-office', role: 'regulator', region: '350600' };

/** A verifier on a hand-moved clock. */
function verifierAt(start: number, options: { cacheSeconds?: number; cacheSize?: number } = {}): { verifier: TokenVerifier; clock: { ms: number } } {
  const clock = { ms: start };
  return { verifier: new TokenVerifier({ secret: SECRET, now: () => clock.ms, ...options }), clock };
}

const sign = (payload: object, secret = SECRET): string => jwt.sign({ ...payload, iat: T0 / 1000 }, secret, { algorithm: 'HS256' });

async function problemCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    if (error instanceof ProblemException) return (error.getResponse() as { type: string }).type.replace(/.*\//, '');
    throw error;
  }
  throw new Error('expected a problem');
}

describe('TokenVerifier', () => {
  it('answers a repeated token from its cache with the same principal', async () => {
    const { verifier } = verifierAt(T0);
    const token = sign({ ...claims, exp: T0 / 1000 + 600 });
    const spy = jest.spyOn(jwt, 'verify');
    try {
      const first = await verifier.verify(token);
      const second = await verifier.verify(token);
      expect(first).toEqual({ sub: 'zz-ip-office', role: 'regulator', region: '350600' });
      expect(second).toBe(first);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('still rejects a cached token once it has expired (after the tolerance)', async () => {
    const { verifier, clock } = verifierAt(T0);
    const token = sign({ ...claims, exp: T0 / 1000 + 30 });
    await expect(verifier.verify(token)).resolves.toMatchObject({ role: 'regulator' });
    clock.ms = T0 + 34_000; // exp + 4 s: inside the 5 s tolerance
    await expect(verifier.verify(token)).resolves.toMatchObject({ role: 'regulator' });
    clock.ms = T0 + 35_000;
    expect(await problemCode(verifier.verify(token))).toBe('token-expired');
    expect(await problemCode(verifier.verify(token))).toBe('token-expired');
  });

  it('checks the signature again after cacheSeconds', async () => {
    const { verifier, clock } = verifierAt(T0, { cacheSeconds: 10 });
    const token = sign({ ...claims, exp: T0 / 1000 + 600 });
    const spy = jest.spyOn(jwt, 'verify');
    try {
      await verifier.verify(token);
      clock.ms = T0 + 9_999;
      await verifier.verify(token);
      expect(spy).toHaveBeenCalledTimes(1);
      clock.ms = T0 + 10_000;
      await verifier.verify(token);
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });

  it('does not honour a token before its nbf, cached or not', async () => {
    const { verifier, clock } = verifierAt(T0);
    const token = sign({ ...claims, nbf: T0 / 1000 + 60, exp: T0 / 1000 + 600 });
    expect(await problemCode(verifier.verify(token))).toBe('invalid-token');
    clock.ms = T0 + 60_000;
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'zz-ip-office' });
  });

  it('never caches a token that fails, and a tampered copy of a cached token is checked on its own', async () => {
    const { verifier } = verifierAt(T0);
    const good = sign({ ...claims, exp: T0 / 1000 + 600 });
    await verifier.verify(good);
    const [header, , signature] = good.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, region: '350000', exp: T0 / 1000 + 600 })).toString('base64url');
    const forged = `${header}.${forgedPayload}.${signature}`;
    expect(await problemCode(verifier.verify(forged))).toBe('invalid-token');
    expect(await problemCode(verifier.verify(forged))).toBe('invalid-token');
    expect(await problemCode(verifier.verify(sign({ ...claims, exp: T0 / 1000 + 600 }, 'another-secret-of-16-chars')))).toBe('invalid-token');
  });

  it('keeps at most cacheSize tokens, dropping the oldest', async () => {
    const { verifier } = verifierAt(T0, { cacheSize: 2 });
    const tokens = [1, 2, 3].map((n) => sign({ ...claims, sub: `office-${n}`, exp: T0 / 1000 + 600 }));
    for (const t of tokens) await verifier.verify(t);
    const spy = jest.spyOn(jwt, 'verify');
    try {
      await verifier.verify(tokens[2]);
      await verifier.verify(tokens[1]);
      expect(spy).toHaveBeenCalledTimes(0);
      await verifier.verify(tokens[0]);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('verifies every time with cacheSeconds 0', async () => {
    const { verifier } = verifierAt(T0, { cacheSeconds: 0 });
    const token = sign({ ...claims, exp: T0 / 1000 + 600 });
    const spy = jest.spyOn(jwt, 'verify');
    try {
      await verifier.verify(token);
      await verifier.verify(token);
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });
});
