import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireLock, cmdlineOf, findPids, findPidsIn, isAlive, pidExists, run, terminate, type ProcessTable } from './proc';
import { StartupAborted } from './shutdown';
import { redactUrl } from './index';

describe('infra process helpers', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ipfin-proc-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('knows a live pid from a dead one', () => {
    expect(isAlive(process.pid)).toBe(true);
    expect(isAlive(undefined)).toBe(false);
    expect(isAlive(2 ** 22 + 12345)).toBe(false);
  });

  it.each<ProcessTable>(['proc', 'ps'])('reads process facts from %s (ps: what a machine without /proc, macOS, uses)', async (table) => {
    const marker = `ipfin-proc-spec-${table}-${Date.now()}`;
    const child = spawn(process.execPath, ['-e', `setTimeout(() => {}, 10000) /* ${marker} */`], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 300));
    try {
      expect(isAlive(process.pid, table)).toBe(true);
      expect(isAlive(child.pid, table)).toBe(true);
      expect(isAlive(2 ** 22 + 12345, table)).toBe(false);
      expect(pidExists(child.pid!, table)).toBe(true);
      expect(cmdlineOf(child.pid!, table)).toContain(marker);
      expect(cmdlineOf(2 ** 22 + 12345, table)).toBe('');
      expect(findPidsIn(table, marker)).toEqual([child.pid]);
      expect(findPidsIn(table, marker, 'not-in-the-command-line')).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    expect(isAlive(child.pid, table)).toBe(false);
    expect(pidExists(child.pid!, table)).toBe(false);
  });

  it('takes a lock, makes the next taker wait, and releases it', async () => {
    const lock = join(dir, 'infra.lock');
    const release = await acquireLock(lock, 1000);
    expect(readFileSync(lock, 'utf8')).toBe(String(process.pid));
    // A lock held by a live process (here: a child that sleeps) times out.
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], { stdio: 'ignore' });
    release();
    expect(existsSync(lock)).toBe(false);
    writeFileSync(lock, String(holder.pid));
    await expect(acquireLock(lock, 300)).rejects.toThrow(/held by pid/);
    holder.kill('SIGKILL');
    await new Promise((r) => holder.once('exit', r));
    // ... and once the holder is dead, the lock is broken and taken.
    const again = await acquireLock(lock, 1000);
    expect(readFileSync(lock, 'utf8')).toBe(String(process.pid));
    again();
  });

  it('stops a process gracefully, and kills one that ignores SIGTERM', async () => {
    const marker = `ipfin-proc-spec-${Date.now()}`;
    const polite = spawn(process.execPath, ['-e', `setTimeout(() => {}, 10000) /* ${marker}-a */`], { stdio: 'ignore' });
    const stubborn = spawn(process.execPath, ['-e', `process.on('SIGTERM', () => {}); setTimeout(() => {}, 10000) /* ${marker}-b */`], {
      stdio: 'ignore',
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(findPids(`${marker}-a`)).toEqual([polite.pid]);
    expect(await terminate(polite.pid!, ['SIGTERM'], 2000)).toBe(false);
    expect(await terminate(stubborn.pid!, ['SIGTERM'], 500)).toBe(true);
    expect(isAlive(polite.pid)).toBe(false);
    expect(isAlive(stubborn.pid)).toBe(false);
  });

  it('aborts a command (Maven, say) on Ctrl-C: the child is stopped and the call rejects with the reason', async () => {
    const marker = `ipfin-proc-spec-run-${Date.now()}`;
    const controller = new AbortController();
    const running = run(process.execPath, ['-e', `setTimeout(() => {}, 10000) /* ${marker} */`], { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 300));
    const [pid] = findPids(marker);
    expect(pid).toBeDefined();
    controller.abort(new StartupAborted('SIGINT'));
    await expect(running).rejects.toThrow('start-up interrupted (SIGINT)');
    await new Promise((r) => setTimeout(r, 300));
    expect(isAlive(pid)).toBe(false);
    await expect(run(process.execPath, ['-e', ''], { signal: controller.signal })).rejects.toBeInstanceOf(StartupAborted);
  });

  it('stops waiting for the lock when the start-up is aborted', async () => {
    const lock = join(dir, 'infra.lock');
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], { stdio: 'ignore' });
    writeFileSync(lock, String(holder.pid));
    const controller = new AbortController();
    const waiting = acquireLock(lock, 10_000, undefined, controller.signal);
    setTimeout(() => controller.abort(new StartupAborted('SIGTERM')), 300);
    await expect(waiting).rejects.toThrow('start-up interrupted (SIGTERM)');
    holder.kill('SIGKILL');
  });

  it('redacts passwords in URLs for logs', () => {
    expect(redactUrl('postgres://postgres:s3cret@127.0.0.1:54329/ipfin')).toBe('postgres://postgres:***@127.0.0.1:54329/ipfin');
    expect(redactUrl('postgres://127.0.0.1/ipfin')).toBe('postgres://127.0.0.1/ipfin');
  });
});
