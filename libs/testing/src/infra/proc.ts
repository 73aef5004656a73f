// Small process helpers for the local stack: run a command, check a pid, stop a process
// gracefully, and a cross-process lock so two `startInfra()` calls never race.
import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import { existsSync, linkSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions extends Omit<SpawnOptions, 'signal'> {
  timeoutMs?: number;
  /** On abort the command gets SIGTERM and the call rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Runs a command to completion, capturing its output; rejects only if it cannot be spawned, times out or is aborted. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const { timeoutMs, signal, ...spawnOptions } = options;
  return new Promise((resolve, reject) => {
    const aborted = (): Error => (signal?.reason instanceof Error ? signal.reason : new Error(`\`${command}\` aborted`));
    if (signal?.aborted) {
      reject(aborted());
      return;
    }
    const child = spawn(command, args, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] });
    const onAbort = (): void => {
      child.kill('SIGTERM');
      reject(aborted());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`infra: \`${command} ${args.join(' ')}\` timed out after ${timeoutMs} ms\n${stderr}`));
          }, timeoutMs);
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reject(err);
    });
    child.on('close', (code, killedBy) => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve({ code, signal: killedBy, stdout, stderr });
    });
  });
}

/** Like `run`, but rejects with the command's output when it exits non-zero. */
export async function runOk(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    const output = `${result.stdout}\n${result.stderr}`.trim();
    throw new Error(`infra: \`${command} ${args.join(' ')}\` failed (exit ${result.code ?? result.signal})\n${output}`);
  }
  return result;
}

/**
 * Where process facts come from: Linux's `/proc`, or `ps` where there is none (macOS). Both give
 * the same answers; the `ps` path is what a laptop without `/proc` runs (tested on Linux too).
 */
export type ProcessTable = 'proc' | 'ps';
const PROCESS_TABLE: ProcessTable = existsSync('/proc/self/stat') ? 'proc' : 'ps';

/** One `ps` column of `pid` (`stat`, `command`), or undefined when there is no such process. */
function psColumn(pid: number, column: 'stat' | 'command'): string | undefined {
  const out = spawnSync('ps', ['-o', `${column}=`, '-p', String(pid)], { encoding: 'utf8' });
  return out.status === 0 && out.stdout.trim() !== '' ? out.stdout.trim() : undefined;
}

/** True if the process exists and is not a zombie (an orphan that nobody has reaped yet is dead to us). */
export function isAlive(pid: number | undefined, table: ProcessTable = PROCESS_TABLE): boolean {
  if (!pid || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to someone else; still alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (table === 'ps') {
    const state = psColumn(pid, 'stat');
    return state !== undefined && !state.startsWith('Z');
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false; // gone between the signal and the read
  }
}

/** True while the pid exists at all, a zombie included (see `waitGone`). */
export function pidExists(pid: number, table: ProcessTable = PROCESS_TABLE): boolean {
  return table === 'ps' ? psColumn(pid, 'stat') !== undefined : existsSync(`/proc/${pid}`);
}

/** The command line of a process (argv joined by spaces), or '' if unknown. */
export function cmdlineOf(pid: number, table: ProcessTable = PROCESS_TABLE): string {
  if (table === 'ps') return psColumn(pid, 'command') ?? '';
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** Pids of live processes whose command line contains every one of `needles`. */
export function findPids(...needles: string[]): number[] {
  return findPidsIn(PROCESS_TABLE, ...needles);
}

/** `findPids` read from `table`. */
export function findPidsIn(table: ProcessTable, ...needles: string[]): number[] {
  const candidates: { pid: number; cmd: string }[] = [];
  if (table === 'ps') {
    const out = spawnSync('ps', ['-axo', 'pid=,command='], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    for (const line of out.status === 0 ? out.stdout.split('\n') : []) {
      const m = /^\s*(\d+)\s+(.*)$/.exec(line);
      if (m) candidates.push({ pid: Number(m[1]), cmd: m[2].trim() });
    }
  } else {
    let entries: string[];
    try {
      entries = readdirSync('/proc');
    } catch {
      return [];
    }
    for (const entry of entries) if (/^\d+$/.test(entry)) candidates.push({ pid: Number(entry), cmd: cmdlineOf(Number(entry), table) });
  }
  return candidates
    .filter(({ pid, cmd }) => pid !== process.pid && cmd !== '' && needles.every((n) => cmd.includes(n)) && isAlive(pid, table))
    .map(({ pid }) => pid);
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(100);
  }
  return !isAlive(pid);
}

/** After a process died: waits (briefly) until its zombie is reaped and the pid is gone. */
export async function waitGone(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && pidExists(pid)) await sleep(50);
}

/**
 * Stops a process: sends each signal in turn, waiting `graceMs` after each, and SIGKILL last.
 * Returns true if it had to be killed.
 */
export async function terminate(pid: number, signals: NodeJS.Signals[], graceMs: number): Promise<boolean> {
  for (const signal of signals) {
    if (!isAlive(pid)) break;
    try {
      process.kill(pid, signal);
    } catch {
      break;
    }
    if (await waitForExit(pid, graceMs)) break;
  }
  let killed = false;
  if (isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
      killed = true;
    } catch {
      // gone meanwhile
    }
    await waitForExit(pid, 5000);
  }
  await waitGone(pid, 3000);
  return killed;
}

/**
 * A lock file holding the owner's pid, taken with O_EXCL. A lock whose owner is dead is broken.
 * Returns the release function.
 */
export async function acquireLock(
  path: string,
  timeoutMs: number,
  onWait?: (ownerPid: number) => void,
  signal?: AbortSignal,
): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    signal?.throwIfAborted();
    // Write the pid to a private file, then hard-link it into place: the lock never exists empty.
    const tmp = `${path}.${process.pid}`;
    writeFileSync(tmp, String(process.pid));
    let linked = false;
    try {
      linkSync(tmp, path);
      linked = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      unlinkSync(tmp);
    }
    if (linked) {
      return () => {
        try {
          if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
        } catch {
          // already gone
        }
      };
    }
    let owner = 0;
    try {
      owner = Number(readFileSync(path, 'utf8').trim());
    } catch {
      continue; // released between our open and read
    }
    if (!owner || !isAlive(owner) || owner === process.pid) {
      // A crashed owner: break the lock. (Within one process, callers are serialised before this.)
      try {
        unlinkSync(path);
      } catch {
        // someone else broke it first
      }
      continue;
    }
    if (Date.now() > deadline) throw new Error(`infra: timed out waiting for ${path} (held by pid ${owner})`);
    if (!told) {
      onWait?.(owner);
      told = true;
    }
    await sleep(250);
  }
}
