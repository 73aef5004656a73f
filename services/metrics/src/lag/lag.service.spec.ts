import type { BusAdmin, MessageBus } from '@ipfin/messaging';
import { LagService } from './lag.service';
import { PROJECTIONS } from '../projections';

/** A broker of one partition per topic: `high` events on each, the groups at `committed`. */
function fakeBus(state: { high: number; committed: number; failNext?: boolean }) {
  const calls = { admins: 0, connects: 0, disconnects: 0, offsetRequests: 0 };
  const admin = (): BusAdmin => {
    calls.admins += 1;
    return {
      connect: async () => { calls.connects += 1; },
      disconnect: async () => { calls.disconnects += 1; },
      topicWatermarks: async () => {
        if (state.failNext) {
          state.failNext = false;
          throw new Error('broker connection lost');
        }
        return [{ partition: 0, low: '0', high: String(state.high) }];
      },
      groupOffsets: async (_group: string, topics: readonly string[]) => {
        calls.offsetRequests += 1;
        return topics.map((topic) => ({ topic, partition: 0, offset: String(state.committed) }));
      },
    } as unknown as BusAdmin;
  };
  return { bus: { admin } as unknown as MessageBus, calls };
}

describe('LagService', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-06T10:00:00Z'), doNotFake: ['nextTick', 'setImmediate'] }));
  afterEach(() => jest.useRealTimers());
  const settle = () => new Promise((r) => setImmediate(r));

  it('refreshes over one admin connection kept open, one offsets request per group', async () => {
    const state = { high: 10, committed: 4 };
    const { bus, calls } = fakeBus(state);
    const lag = new LagService(bus);
    expect(await lag.lagEvents(['loans'])).toBe(6);
    expect(await lag.lagEvents()).toBe(6 * PROJECTIONS.length);

    state.high = 12;
    for (let i = 0; i < 3; i++) {
      jest.advanceTimersByTime(1_100);
      await lag.lagEvents(['loans']); // the stale value at once, a refresh behind it
      await settle();
    }
    expect(await lag.lagEvents(['loans'])).toBe(8);
    expect(calls).toEqual({ admins: 1, connects: 1, disconnects: 0, offsetRequests: 4 * PROJECTIONS.length });
    await lag.onModuleDestroy();
    expect(calls.disconnects).toBe(1);
  });

  it('drops a connection that failed and connects again on the next refresh', async () => {
    const state = { high: 10, committed: 10, failNext: true };
    const { bus, calls } = fakeBus(state);
    const lag = new LagService(bus);
    await expect(lag.lagEvents(['loans'])).rejects.toThrow('broker connection lost');
    expect(calls).toMatchObject({ admins: 1, connects: 1, disconnects: 1 });
    expect(await lag.lagEvents(['loans'])).toBe(0);
    expect(calls).toMatchObject({ admins: 2, connects: 2, disconnects: 1 });
  });
});
