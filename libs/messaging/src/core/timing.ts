export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Exponential backoff: `base`, `2·base`, `4·base`, … capped at `max`. `attempt` counts from 1. */
export function backoffMs(attempt: number, base: number, max: number): number {
  return Math.min(max, base * 2 ** Math.max(0, attempt - 1));
}

/**
 * A sleep that can be cut short. A `wake()` while nobody waits is remembered, so a signal that
 * arrives between "found nothing to do" and "wait" is not lost.
 */
export class Waker {
  private pending = false;
  private resolveWaiter: (() => void) | null = null;

  wake(): void {
    if (this.resolveWaiter) {
      const resolve = this.resolveWaiter;
      this.resolveWaiter = null;
      resolve();
    } else {
      this.pending = true;
    }
  }

  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.resolveWaiter = null;
        resolve();
      }, ms);
      this.resolveWaiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/** Rejects with `message` if `promise` has not settled within `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
