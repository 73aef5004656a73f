import { createRequire } from 'node:module';

/**
 * kafkajs 2.2.4 (its latest release) keeps a 1 ms timer running on every broker connection for as
 * long as the connection lives: `RequestQueue.scheduleCheckPendingRequests` arms a timer even when
 * nothing is pending and nothing throttled, with the negative delay `throttledUntil - now` (Node
 * runs it after 1 ms), and the timer's callback arms the next one (tulios/kafkajs#1556, #1704; the
 * fix in #1667 is not released). A service holds a connection per consumer-group member, producer
 * and admin client, so an idle service ran thousands of timers a second: 3–5 % of a core and about
 * 13 MB/s of garbage in metrics (docs/benchmarks.md).
 *
 * `fixIdleRequestQueueTimer` replaces the method with one that arms the timer only when there is
 * something to check: requests waiting (every 10 ms, as before, or at the end of a throttle), or a
 * throttle to wait out. Requests that cannot go out at once are still checked on that timer, and
 * an answered request still triggers the check as before (`fulfillRequest`). It patches only the
 * method it knows (by its source), so a kafkajs that fixed it is left alone.
 */

/** What the replacement uses of a kafkajs `RequestQueue`. */
export interface RequestQueueLike {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** kafkajs' own interval for re-checking waiting requests (`CHECK_PENDING_REQUESTS_INTERVAL`). */
export const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

/** The signature of the method as kafkajs 2.2.x has it. */
const BUGGY_SHAPE = /let scheduleAt = this\.throttledUntil - Date\.now\(\)[\s\S]*if \(this\.pending\.length > 0\) \{[\s\S]*\}\s*this\.throttleCheckTimeoutId = setTimeout/;

export function scheduleCheckPendingRequests(this: RequestQueueLike): void {
  if (this.throttleCheckTimeoutId) return;
  const untilUnthrottled = this.throttledUntil - Date.now();
  let delay: number;
  if (this.pending.length > 0) delay = untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL_MS;
  else if (untilUnthrottled > 0) delay = untilUnthrottled;
  else return; // nothing waiting, no throttle: the next push or answer checks again
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, delay);
}

/** kafkajs' `RequestQueue` class, as the installed kafkajs defines it. */
export function kafkajsRequestQueue(): { prototype: RequestQueueLike } {
  const load = createRequire(require.resolve('kafkajs'));
  return load('./src/network/requestQueue') as { prototype: RequestQueueLike };
}

/**
 * Applies the fix once per process. Returns whether the installed kafkajs now runs the fixed
 * method (false only when its method has a shape this fix does not know).
 */
export function fixIdleRequestQueueTimer(): boolean {
  const proto = kafkajsRequestQueue().prototype;
  if (proto.scheduleCheckPendingRequests === scheduleCheckPendingRequests) return true;
  if (!BUGGY_SHAPE.test(proto.scheduleCheckPendingRequests.toString())) return false;
  proto.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
  return true;
}
