// Ctrl-C for the tools that start the stack (`npm start`, `infra:up`). The handlers go in before
// anything starts. The first SIGINT, SIGTERM or SIGHUP aborts the start-up (an AbortSignal that
// startInfra() and startStack() check), or stops a stack that is up. A second signal forces the
// exit, after saying what may be left running.

export const SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The reason of an aborted start-up: `err.name === 'AbortError'`, like the platform's own. */
export class StartupAborted extends Error {
  override readonly name = 'AbortError';
  constructor(readonly signal: string) {
    super(`start-up interrupted (${signal})`);
  }
}

/** True for an aborted start-up, whoever threw it (ours, fetch's, timers'). */
export const isAbortError = (err: unknown): boolean => err instanceof Error && err.name === 'AbortError';

/** Where signals come from: `process`, or a fake in tests. */
export interface SignalSource {
  on(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  removeListener(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface ShutdownSignalsOptions {
  /** The first signal: the start-up is aborted (`signal`) before this runs. */
  onFirst(signal: NodeJS.Signals): void;
  /** A later signal: exit now. */
  onForce(signal: NodeJS.Signals): void;
  signals?: readonly NodeJS.Signals[];
  source?: SignalSource;
  now?: () => number;
  /**
   * npm forwards SIGINT and SIGTERM to the script it runs. The terminal also sends Ctrl-C to the
   * whole process group, so each Ctrl-C arrives twice, a few milliseconds apart. A signal this
   * soon after the first counts as the same one.
   */
  repeatWindowMs?: number;
}

export interface ShutdownSignals {
  /** Aborted by the first signal, with a `StartupAborted` reason. */
  readonly signal: AbortSignal;
  /** The first signal received, if any. */
  readonly received: NodeJS.Signals | undefined;
  dispose(): void;
}

export function onShutdownSignals(opts: ShutdownSignalsOptions): ShutdownSignals {
  const source = opts.source ?? process;
  const now = opts.now ?? Date.now;
  const window = opts.repeatWindowMs ?? 500;
  const signals = opts.signals ?? SHUTDOWN_SIGNALS;
  const controller = new AbortController();
  let first: { signal: NodeJS.Signals; at: number } | undefined;
  let forced = false;
  const listener = (signal: NodeJS.Signals): void => {
    if (!first) {
      first = { signal, at: now() };
      controller.abort(new StartupAborted(signal));
      opts.onFirst(signal);
      return;
    }
    if (forced || now() - first.at < window) return;
    forced = true;
    opts.onForce(signal);
  };
  for (const s of signals) source.on(s, listener);
  return {
    signal: controller.signal,
    get received() {
      return first?.signal;
    },
    dispose: () => {
      for (const s of signals) source.removeListener(s, listener);
    },
  };
}

/**
 * What a tool has started and would leave behind if it exited now: the second Ctrl-C kills what
 * it can and names the rest.
 */
export class LeftRunning {
  private readonly items = new Map<string, { what: string; kill?: () => void }>();

  set(key: string, what: string, kill?: () => void): void {
    this.items.set(key, { what, kill });
  }

  delete(key: string): void {
    this.items.delete(key);
  }

  /** Descriptions of what is still running, in the order it started. */
  list(): string[] {
    return [...this.items.values()].map((i) => i.what);
  }

  /** Kills what can be killed here; returns what was killed and what may be left running. */
  killAll(): { killed: string[]; left: string[] } {
    const killed: string[] = [];
    const left: string[] = [];
    for (const [key, item] of this.items) {
      if (!item.kill) {
        left.push(item.what);
        continue;
      }
      try {
        item.kill();
        killed.push(item.what);
        this.items.delete(key);
      } catch {
        left.push(item.what);
      }
    }
    return { killed, left };
  }
}
