/**
 * Starts the whole local stack: infrastructure (embedded or external), the explicit migration
 * step, every service as its own process, and the gateway on one base URL. Used by `npm start`
 * and by the system tests, so both exercise the same thing.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { dataDir, setDurability, startInfra, type Infra } from '@ipfin/testing';
import { startGateway, type Gateway } from './gateway';
import { LOCAL_JWT_SECRET } from './local-env';
import { migrateAll, serviceDatabaseUrl } from './migrate';
import { GATEWAY_PORT, SERVICES, type ServiceSpec } from './services';

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
}

function serviceEnv(spec: ServiceSpec, infra: Infra): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    SERVICE_NAME: spec.name,
    PORT: String(spec.port),
    DATABASE_URL: serviceDatabaseUrl(infra.databaseUrl, spec),
    DATABASE_SCHEMA: spec.schema,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    AUTH_JWT_SECRET: process.env.AUTH_JWT_SECRET ?? LOCAL_JWT_SECRET,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  };
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not ready after ${timeoutMs} ms: ${last}`);
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const infra = await startInfra({ log, preferEmbedded: opts.preferEmbedded });
  // Only the server this project runs: never ALTER SYSTEM on a DATABASE_URL's server.
  if (opts.durable !== undefined && infra.postgresEmbedded) {
    await setDurability(infra.databaseUrl, opts.durable);
    log(opts.durable
      ? 'infra: embedded PostgreSQL made durable (fsync, full_page_writes, synchronous_commit on; IPFIN_PG_DURABLE=false turns them off)'
      : 'infra: embedded PostgreSQL set to the fast test settings (fsync, full_page_writes, synchronous_commit off: IPFIN_PG_DURABLE=false)');
  }
  const logDir = path.join(dataDir(), 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const children = new Map<string, ChildProcess>();
  let gateway: Gateway | undefined;

  const startService = async (name: string): Promise<void> => {
    const spec = SERVICES.find((s) => s.name === name);
    if (!spec) throw new Error(`unknown service ${name}`);
    const out = fs.openSync(path.join(logDir, `${spec.name}.log`), 'a');
    const child = spawn(process.execPath, ['-r', '@swc-node/register', `services/${spec.name}/src/main.ts`], {
      cwd: REPO_ROOT,
      env: serviceEnv(spec, infra),
      // The IPC channel ends when this process dies, which tells the service to stop (bootstrapService).
      stdio: ['ignore', opts.echoServiceLogs ? 'pipe' : out, opts.echoServiceLogs ? 'pipe' : out, 'ipc'],
    });
    if (opts.echoServiceLogs) {
      for (const stream of [child.stdout, child.stderr]) {
        stream?.on('data', (chunk: Buffer) => {
          fs.writeSync(out, chunk);
          for (const line of chunk.toString().split('\n').filter(Boolean)) process.stdout.write(`[${spec.name}] ${line}\n`);
        });
      }
    }
    children.set(name, child);
    try {
      await waitReady(`http://127.0.0.1:${spec.port}`, child, 90_000);
    } catch (err) {
      throw new Error(`${spec.name} ${(err as Error).message}; see ${path.relative(REPO_ROOT, path.join(logDir, `${spec.name}.log`))}`);
    }
  };

  const stopService = async (name: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const child = children.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
    children.delete(name);
  };

  const stop = async (): Promise<void> => {
    await gateway?.close();
    await Promise.all([...children.keys()].map((n) => stopService(n)));
    await infra.stop();
  };

  try {
    await migrateAll(infra.databaseUrl, log);
    await Promise.all(SERVICES.map((s) => startService(s.name)));
    gateway = await startGateway(opts.gatewayPort ?? GATEWAY_PORT);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    baseUrl: gateway.url,
    infra,
    serviceUrl: (name) => `http://127.0.0.1:${SERVICES.find((s) => s.name === name)!.port}`,
    stopService,
    startService,
    stop,
  };
}
