import { EventEmitter } from 'node:events';
import { isAbortError, LeftRunning, onShutdownSignals, StartupAborted, type SignalSource } from './shutdown';

/** A fake `process` for signals, and a clock the test moves. */
function fakes(): { source: SignalSource & { emit(signal: NodeJS.Signals): void; count(): number }; clock: { t: number } } {
  const emitter = new EventEmitter();
  const clock = { t: 1000 };
  const source = {
    on: (event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void) => emitter.on(event, listener),
    removeListener: (event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void) => emitter.removeListener(event, listener),
    emit: (signal: NodeJS.Signals) => void emitter.emit(signal, signal),
    count: () => ['SIGINT', 'SIGTERM', 'SIGHUP'].reduce((n, s) => n + emitter.listenerCount(s), 0),
  };
  return { source, clock };
}

describe('onShutdownSignals', () => {
  it('aborts the start-up on the first of SIGINT, SIGTERM or SIGHUP and forces on a later one', () => {
    for (const first of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      const { source, clock } = fakes();
      const calls: string[] = [];
      const s = onShutdownSignals({
        source,
        now: () => clock.t,
        onFirst: (sig) => calls.push(`first ${sig} aborted=${s.signal.aborted}`),
        onForce: (sig) => calls.push(`force ${sig}`),
      });
      expect(s.signal.aborted).toBe(false);
      source.emit(first);
      expect(s.received).toBe(first);
      expect(isAbortError(s.signal.reason)).toBe(true);
      expect((s.signal.reason as StartupAborted).message).toBe(`start-up interrupted (${first})`);
      clock.t += 2000;
      source.emit('SIGINT');
      source.emit('SIGINT'); // forced once only
      expect(calls).toEqual([`first ${first} aborted=true`, 'force SIGINT']);
    }
  });

  it('takes npm\'s forwarded copy of the same Ctrl-C for one signal, not for a second Ctrl-C', () => {
    const { source, clock } = fakes();
    const calls: string[] = [];
    onShutdownSignals({ source, now: () => clock.t, onFirst: () => calls.push('first'), onForce: () => calls.push('force') });
    source.emit('SIGINT'); // from the terminal, to the process group
    clock.t += 5;
    source.emit('SIGINT'); // npm forwarding it to its script
    expect(calls).toEqual(['first']);
    clock.t += 1000;
    source.emit('SIGINT'); // the user's second Ctrl-C
    expect(calls).toEqual(['first', 'force']);
  });

  it('removes its handlers on dispose', () => {
    const { source } = fakes();
    const s = onShutdownSignals({ source, onFirst: () => undefined, onForce: () => undefined });
    expect(source.count()).toBe(3);
    s.dispose();
    expect(source.count()).toBe(0);
  });
});

describe('LeftRunning', () => {
  it('kills what it can on a forced exit and names what may be left', () => {
    const left = new LeftRunning();
    const killed: string[] = [];
    left.set('infra', 'PostgreSQL and Kafka');
    left.set('service:a', 'a (pid 1)', () => killed.push('a'));
    left.set('service:b', 'b (pid 2)', () => killed.push('b'));
    left.set('service:c', 'c (pid 3)', () => {
      throw new Error('ESRCH');
    });
    left.delete('service:b'); // exited meanwhile
    expect(left.list()).toEqual(['PostgreSQL and Kafka', 'a (pid 1)', 'c (pid 3)']);
    expect(left.killAll()).toEqual({ killed: ['a (pid 1)'], left: ['PostgreSQL and Kafka', 'c (pid 3)'] });
    expect(killed).toEqual(['a']);
    expect(left.list()).toEqual(['PostgreSQL and Kafka', 'c (pid 3)']);
  });
});
