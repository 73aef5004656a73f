import {
  CHECK_PENDING_REQUESTS_INTERVAL_MS, fixIdleRequestQueueTimer, kafkajsRequestQueue, scheduleCheckPendingRequests,
  type RequestQueueLike,
} from './request-queue-fix';

/** A request queue in the state the method reads, with the kafkajs method or ours. */
function queue(method: () => void, state: Partial<RequestQueueLike> = {}): RequestQueueLike & { checks: number } {
  const q = {
    pending: [] as unknown[],
    throttledUntil: -1,
    throttleCheckTimeoutId: null as ReturnType<typeof setTimeout> | null,
    checks: 0,
    checkPendingRequests(): void {
      q.checks += 1;
      q.scheduleCheckPendingRequests();
    },
    scheduleCheckPendingRequests: method,
    ...state,
  };
  return q;
}

describe('the kafkajs request-queue timer fix', () => {
  const original = kafkajsRequestQueue().prototype.scheduleCheckPendingRequests;

  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('is needed: the installed kafkajs re-arms a 1 ms timer on an idle connection forever', () => {
    const q = queue(original);
    q.checkPendingRequests();
    jest.advanceTimersByTime(100);
    expect(q.checks).toBeGreaterThanOrEqual(100);
  });

  it('applies to the installed kafkajs, once', () => {
    expect(fixIdleRequestQueueTimer()).toBe(true);
    expect(kafkajsRequestQueue().prototype.scheduleCheckPendingRequests).toBe(scheduleCheckPendingRequests);
    expect(fixIdleRequestQueueTimer()).toBe(true);
  });

  it('arms no timer when nothing waits and nothing is throttled', () => {
    const q = queue(scheduleCheckPendingRequests);
    q.checkPendingRequests();
    expect(q.throttleCheckTimeoutId).toBeNull();
    jest.advanceTimersByTime(100);
    expect(q.checks).toBe(1);
  });

  it('checks waiting requests every 10 ms until none is left', () => {
    const q = queue(scheduleCheckPendingRequests, { pending: ['a request'] });
    q.scheduleCheckPendingRequests();
    jest.advanceTimersByTime(CHECK_PENDING_REQUESTS_INTERVAL_MS - 1);
    expect(q.checks).toBe(0);
    jest.advanceTimersByTime(1);
    expect(q.checks).toBe(1);
    jest.advanceTimersByTime(CHECK_PENDING_REQUESTS_INTERVAL_MS);
    expect(q.checks).toBe(2);
    q.pending = [];
    jest.advanceTimersByTime(10 * CHECK_PENDING_REQUESTS_INTERVAL_MS);
    expect(q.checks).toBe(3);
  });

  it('waits out a throttle, with or without waiting requests', () => {
    for (const pending of [[], ['a request']]) {
      const q = queue(scheduleCheckPendingRequests, { pending, throttledUntil: Date.now() + 250 });
      q.scheduleCheckPendingRequests();
      jest.advanceTimersByTime(249);
      expect(q.checks).toBe(0);
      jest.advanceTimersByTime(1);
      expect(q.checks).toBe(1);
    }
  });

  it('keeps one timer at a time', () => {
    const q = queue(scheduleCheckPendingRequests, { pending: ['a request'] });
    q.scheduleCheckPendingRequests();
    q.scheduleCheckPendingRequests();
    jest.advanceTimersByTime(CHECK_PENDING_REQUESTS_INTERVAL_MS);
    expect(q.checks).toBe(1);
  });
});
