import { fixedClock, systemClock } from './clock';

describe('Clock', () => {
  it('fixedClock stands still until moved', () => {
    const clock = fixedClock('2024-03-01T09:00:00+08:00');
    expect(clock.now().toISOString()).toBe('2024-03-01T01:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2024-03-01T01:00:00.000Z');
    clock.advance(90_000);
    expect(clock.now().toISOString()).toBe('2024-03-01T01:01:30.000Z');
    clock.advanceDays(31);
    expect(clock.now().toISOString()).toBe('2024-04-01T01:01:30.000Z');
    clock.set(new Date('2025-01-01T00:00:00Z'));
    expect(clock.now().toISOString()).toBe('2025-01-01T00:00:00.000Z');
  });

  it('hands out copies, so a caller mutating the Date cannot move the clock', () => {
    const clock = fixedClock(new Date('2024-03-01T00:00:00Z'));
    clock.now().setUTCFullYear(1999);
    expect(clock.now().getUTCFullYear()).toBe(2024);
  });

  it('refuses an unparseable start', () => {
    expect(() => fixedClock('yesterday')).toThrow();
    expect(() => fixedClock(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('systemClock reads the real time', () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
