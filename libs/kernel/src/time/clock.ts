import { parseInstant } from './shanghai';

/** The source of "now". Domain logic takes a Clock instead of calling `new Date()`. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = {
  now: () => new Date(),
};

/** A clock for tests: stands still at `t` until moved with `set` or `advance`. */
export interface FixedClock extends Clock {
  set(instant: Date | string): void;
  advance(milliseconds: number): void;
  advanceDays(days: number): void;
}

const MS_PER_DAY = 86_400_000;

export function fixedClock(instant: Date | string): FixedClock {
  let current = toEpochMs(instant);
  return {
    now: () => new Date(current),
    set: (next) => {
      current = toEpochMs(next);
    },
    advance: (milliseconds) => {
      current += milliseconds;
    },
    advanceDays: (days) => {
      current += days * MS_PER_DAY;
    },
  };
}

function toEpochMs(instant: Date | string): number {
  const ms = instant instanceof Date ? instant.getTime() : parseInstant(instant).getTime();
  if (Number.isNaN(ms)) throw new RangeError(`fixedClock needs a valid instant, got ${String(instant)}`);
  return ms;
}
