import { childTraceparent, currentTraceparent, parseTraceparent, runWithTraceparent } from './trace-context';

const CALLER = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('trace context', () => {
  it('parses a version-00 traceparent and refuses malformed or all-zero ids', () => {
    expect(parseTraceparent(CALLER)).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', flags: '01' });
    expect(parseTraceparent(undefined)).toBeUndefined();
    expect(parseTraceparent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBeUndefined();
    expect(parseTraceparent(`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`)).toBeUndefined();
    expect(parseTraceparent(`00-4bf92f3577b34da6a3ce929d0e0e4736-${'0'.repeat(16)}-01`)).toBeUndefined();
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01')).toBeUndefined();
  });

  it("continues the caller's trace with a span of its own", () => {
    const child = parseTraceparent(childTraceparent(CALLER));
    expect(child).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', flags: '01' });
    expect(child?.spanId).not.toBe('00f067aa0ba902b7');
    expect(parseTraceparent(childTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00'))?.flags).toBe('00');
  });

  it('starts a new sampled trace without a valid caller', () => {
    const a = parseTraceparent(childTraceparent());
    const b = parseTraceparent(childTraceparent('garbage'));
    expect(a?.flags).toBe('01');
    expect(b).toBeDefined();
    expect(a?.traceId).not.toBe(b?.traceId);
  });

  it('holds the trace on the async path it was set on, and only there', async () => {
    expect(currentTraceparent()).toBeUndefined();
    const seen = await runWithTraceparent(CALLER, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return currentTraceparent();
    });
    expect(seen).toBe(CALLER);
    expect(currentTraceparent()).toBeUndefined();
  });
});
