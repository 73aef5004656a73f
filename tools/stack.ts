/**
 * Starts the whole local stack: infrastructure (embedded or external), the explicit migration
 * step, every service as its own process, and the gateway on one base URL. Used by `npm start`
 * and by the system tests, so both exercise the same thing.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { assertPortsFree, dataDir, setDurability, startInfra, type Infra, type LeftRunning, type PortClaim } from '@ipfin/testing';
import { startGateway, type Gateway } from './gateway';
import { assertSafeBind, localBindHost, LOCAL_JWT_SECRET, reachableHost, urlHost } from './local-env';
import { migrateAll, serviceDatabaseUrl } from './migrate';
import { GATEWAY_PORT, processesOf, SERVICE_PROCESSES, type ServiceProcess, type ServiceSpec } from './services';

export const REPO_ROOT = path.resolve(__dirname, '..');

export interface Stack {
  baseUrl: string;
  infra: Infra;
  serviceUrl(name: string): string;
  /** Stops one service process (SIGTERM, graceful drain) — used by tests. */
  stopService(name: string, signal?: NodeJS.Signals): Promise<void>;
  startService(name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  log?: (line: string) => void;
  /** Also copy service logs to this process's stdout (npm start). */
  echoServiceLogs?: boolean;
  gatewayPort?: number;
  /**
   * `true`: make the embedded PostgreSQL durable (fsync, full_page_writes, synchronous_commit on;
   * it is initialised without them for fast tests); `false`: back to the fast settings; unset:
   * leave the data directory as it is. `npm start` asks for one or the other (IPFIN_PG_DURABLE);
   * tests and benchmarks leave it.
   */
  durable?: boolean;
  /** Embedded servers even where Docker answers (`npm start`; see `StartInfraOptions.preferEmbedded`). */
  preferEmbedded?: boolean;
  /**
   * Aborts the start-up (npm start's Ctrl-C). The service processes already spawned are stopped,
   * the infrastructure is released (so PostgreSQL and Kafka stop unless someone else holds them),
   * and startStack() rejects with the signal's reason.
   */
  signal?: AbortSignal;
  /** Kept up to date with what runs (services, infrastructure), for a forced exit to name or kill it. */
  running?: LeftRunning;
  /**
   * A service process exited after start-up although nobody stopped it (`how`: "exited with code 1",
   * "was killed by SIGKILL"). Default: log a line naming the service and its log file.
   */
  onServiceExit?: (name: string, how: string) => void;
}

const logFileOf = (name: string): string => path.relative(REPO_ROOT, path.join(dataDir(), 'logs', `${name}.log`));

/** The ports a stack listens on, with the variable that moves each. */
function portClaims(procs: readonly ServiceProcess[], gatewayPort?: number): PortClaim[] {
  const claims: PortClaim[] = procs.map((p) => ({ port: p.port, name: p.name, env: 'IPFIN_SERVICE_PORT_BASE' }));
  if (gatewayPort !== undefined) claims.push({ port: gatewayPort, name: 'gateway', env: 'IPFIN_GATEWAY_PORT' });
  return claims;
}

/** The environment of a process of the local stack (a service: its own process). */
export function serviceEnv(of: ServiceSpec | ServiceProcess, infra: Pick<Infra, 'databaseUrl' | 'kafkaBrokers'>): NodeJS.ProcessEnv {
  const proc = 'service' in of ? of : processesOf(of)[0];
  const spec = proc.service;
  return {
    ...process.env,
    ...proc.env,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    SERVICE_NAME: proc.name,
    PORT: String(proc.port),
    DATABASE_URL: serviceDatabaseUrl(infra.databaseUrl, spec),
    DATABASE_SCHEMA: spec.schema,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    AUTH_JWT_SECRET: process.env.AUTH_JWT_SECRET ?? LOCAL_JWT_SECRET,
    HOST: localBindHost(),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  };
}

const exitedHow = (child: ChildProcess): string =>
  child.signalCode !== null ? `was killed by ${child.signalCode}` : `exited with code ${child.exitCode}`;

async function waitReady(url: string, child: ChildProcess, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${exitedHow(child)} before it was ready`);
    try {
      const res = await fetch(`${url}/health/ready`, { signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(2000)]) : AbortSignal.timeout(2000) });
      // Ours only while our child lives: the port was free when it was spawned.
      if (res.ok && child.exitCode === null && child.signalCode === null) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      signal?.throwIfAborted();
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not ready after ${timeoutMs} ms: ${last}`);
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const signal = opts.signal;
  const running = opts.running;
  const gatewayPort = opts.gatewayPort ?? GATEWAY_PORT;
  const bindHost = localBindHost();
  assertSafeBind(bindHost);
  const serviceHost = reachableHost(bindHost);
  // Before anything starts: a busy port fails now, not as a "ready" answer from someone else's process.
  await assertPortsFree(portClaims(SERVICE_PROCESSES, gatewayPort));
  signal?.throwIfAborted();

  running?.set('infra', `the embedded PostgreSQL and Kafka of ${dataDir()}, if this run started them (\`npm run infra:status\` shows them, \`npm run infra:down\` stops them)`);
  let infra: Infra;
  try {
    infra = await startInfra({ log, preferEmbedded: opts.preferEmbedded, signal });
  } catch (err) {
    running?.delete('infra'); // startInfra() released what it had started
    throw err;
  }
  // Containers go with this process (Ryuk); external servers are not ours to stop.
  if (infra.mode !== 'embedded') running?.delete('infra');

  const logDir = path.join(dataDir(), 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const children = new Map<string, ChildProcess>();
  /** Children whose exit was asked for (stopService, stop): not reported. */
  const expected = new WeakSet<ChildProcess>();
  let gateway: Gateway | undefined;
  let up = false;
  let stopping: Promise<void> | undefined;

  const startService = async (name: string, startSignal?: AbortSignal): Promise<void> => {
    const proc = SERVICE_PROCESSES.find((p) => p.name === name);
    if (!proc) throw new Error(`unknown service ${name}`);
    await assertPortsFree(portClaims([proc]));
    startSignal?.throwIfAborted();
    const out = fs.openSync(path.join(logDir, `${proc.name}.log`), 'a');
    const child = spawn(process.execPath, ['-r', '@swc-node/register', `services/${proc.service.name}/src/main.ts`], {
      cwd: REPO_ROOT,
      env: serviceEnv(proc, infra),
      // The IPC channel ends when this process dies, which tells the service to stop (bootstrapService).
      stdio: ['ignore', opts.echoServiceLogs ? 'pipe' : out, opts.echoServiceLogs ? 'pipe' : out, 'ipc'],
    });
    if (opts.echoServiceLogs) {
      for (const stream of [child.stdout, child.stderr]) {
        stream?.on('data', (chunk: Buffer) => {
          fs.writeSync(out, chunk);
          for (const line of chunk.toString().split('\n').filter(Boolean)) process.stdout.write(`[${proc.name}] ${line}\n`);
        });
      }
    }
    children.set(name, child);
    const key = `service:${name}`;
    running?.set(key, `${name} (pid ${child.pid})`, () => child.kill('SIGKILL'));
    child.once('exit', () => {
      running?.delete(key);
      // Before start-up completes, waitReady reports it; during a stop, it is what we asked for.
      if (!up || stopping || expected.has(child)) return;
      const how = `${exitedHow(child)}; see ${logFileOf(name)}`;
      if (opts.onServiceExit) opts.onServiceExit(name, how);
      else log(`${name} ${how}`);
    });
    try {
      await waitReady(`http://${urlHost(serviceHost)}:${proc.port}`, child, 90_000, startSignal);
    } catch (err) {
      if (startSignal?.aborted) throw startSignal.reason;
      throw new Error(`${proc.name} ${(err as Error).message}; see ${logFileOf(proc.name)}`);
    }
  };

  const stopService = async (name: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const child = children.get(name);
    if (!child) return;
    expected.add(child);
    if (child.exitCode !== null || child.signalCode !== null) {
      children.delete(name);
      return;
    }
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    const timer = setTimeout(() => {
      log(`${name} did not stop within 15 s; killing it`);
      child.kill('SIGKILL');
    }, 15_000);
    await exited;
    clearTimeout(timer);
    children.delete(name);
  };

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (gateway) {
        log('stopping the gateway…');
        await gateway.close();
      }
      const names = [...children.keys()].filter((n) => children.get(n)!.exitCode === null && children.get(n)!.signalCode === null);
      if (names.length > 0) log(`stopping ${names.join(', ')}…`);
      await Promise.all([...children.keys()].map((n) => stopService(n)));
      log('stopping the infrastructure…');
      await infra.stop();
      running?.delete('infra');
    })();
    return stopping;
  };

  try {
    signal?.throwIfAborted();
    // Only the server this project runs: never ALTER SYSTEM on a DATABASE_URL's server.
    if (opts.durable !== undefined && infra.postgresEmbedded) {
      await setDurability(infra.databaseUrl, opts.durable);
      log(opts.durable
        ? 'infra: embedded PostgreSQL made durable (fsync, full_page_writes, synchronous_commit on; IPFIN_PG_DURABLE=false turns them off)'
        : 'infra: embedded PostgreSQL set to the fast test settings (fsync, full_page_writes, synchronous_commit off: IPFIN_PG_DURABLE=false)');
    }
    signal?.throwIfAborted();
    await migrateAll(infra.databaseUrl, log);
    signal?.throwIfAborted();
    // One service failing (or Ctrl-C) stops the others' start-up at once; all have settled before stop().
    const failFast = new AbortController();
    const startSignal = signal ? AbortSignal.any([signal, failFast.signal]) : failFast.signal;
    const results = await Promise.allSettled(
      SERVICE_PROCESSES.map((s) => startService(s.name, startSignal).catch((err: unknown) => {
        failFast.abort(err);
        throw err;
      })),
    );
    signal?.throwIfAborted();
    if (results.some((r) => r.status === 'rejected')) throw failFast.signal.reason;
    await assertPortsFree(portClaims([], gatewayPort));
    gateway = await startGateway(gatewayPort, process.env.SERVICE_HOST ?? serviceHost, bindHost);
    signal?.throwIfAborted();
  } catch (err) {
    await stop();
    throw err;
  }
  up = true;
  return {
    baseUrl: gateway.url,
    infra,
    serviceUrl: (name) => `http://${urlHost(serviceHost)}:${SERVICE_PROCESSES.find((s) => s.name === name)!.port}`,
    stopService,
    startService: (name) => startService(name),
    stop,
  };
}
