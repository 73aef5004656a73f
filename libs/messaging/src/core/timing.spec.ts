import { backoffMs, Waker, withTimeout } from './timing';

describe('timing', () => {
  it('backs off exponentially up to a cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffMs(a, 100, 1000))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('wakes a waiter early, and remembers a wake that came first', async () => {
    const waker = new Waker();
    const t0 = Date.now();
    const waiting = waker.wait(10_000);
    waker.wake();
    await waiting;
    waker.wake();
    await waker.wait(10_000);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('times out', async () => {
    await expect(withTimeout(new Promise(() => undefined), 10, 'too slow')).rejects.toThrow('too slow');
    await expect(withTimeout(Promise.resolve(7), 1000, 'too slow')).resolves.toBe(7);
  });
});
