// A real Apache Kafka broker for development and tests, without Docker: the broker's jars from
// Maven Central (deploy/kafka/pom.xml, cached in `<repo>/.cache/kafka/<version>/libs`), run with
// the machine's `java` as one KRaft node (broker and controller in one process), data and logs in
// `<repo>/.data/kafka`. The broker is detached and outlives the process that started it; the
// state file records its pid and `stopInfra()` stops it.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { cacheDir, dataDir, repoRoot } from './paths';
import { cmdlineOf, findPids, isAlive, runOk, sleep, terminate } from './proc';
import type { InfraTopic } from './topics';

/** Keep in step with deploy/kafka/pom.xml. 3.9.x: kafkajs 2.x uses protocol versions Kafka 4 removed. */
export const KAFKA_VERSION = '3.9.1';
export const DEFAULT_KAFKA_PORT = 19092;
export const DEFAULT_KAFKA_CONTROLLER_PORT = 19093;
const HOST = '127.0.0.1';

export const kafkaPort = (): number => Number(process.env['IPFIN_KAFKA_PORT'] ?? DEFAULT_KAFKA_PORT);
export const kafkaControllerPort = (): number => Number(process.env['IPFIN_KAFKA_CONTROLLER_PORT'] ?? DEFAULT_KAFKA_CONTROLLER_PORT);

export interface KafkaLayout {
  root: string; // .data/kafka
  data: string; // .data/kafka/data (log.dirs, also the KRaft metadata log)
  serverProperties: string;
  log4jProperties: string;
  toolsLog4jProperties: string;
  clusterIdFile: string;
  serverLog: string; // the broker's own log (log4j)
  stdoutLog: string; // whatever the JVM itself prints (crashes, GC warnings)
}

export function kafkaLayout(): KafkaLayout {
  const root = join(dataDir(), 'kafka');
  return {
    root,
    data: join(root, 'data'),
    serverProperties: join(root, 'server.properties'),
    log4jProperties: join(root, 'log4j.properties'),
    toolsLog4jProperties: join(root, 'tools-log4j.properties'),
    clusterIdFile: join(root, 'cluster.id'),
    serverLog: join(root, 'server.log'),
    stdoutLog: join(root, 'stdout.log'),
  };
}

export const kafkaLibsDir = (): string => join(cacheDir(), 'kafka', KAFKA_VERSION, 'libs');
const pomFile = (): string => join(repoRoot(), 'deploy', 'kafka', 'pom.xml');

function javaBinary(): string {
  if (process.env['IPFIN_JAVA']) return process.env['IPFIN_JAVA'];
  if (process.env['JAVA_HOME']) return join(process.env['JAVA_HOME'], 'bin', 'java');
  return 'java';
}

interface JavaInfo {
  major: number;
  /** Identifies the exact JVM build: a class-data archive only works with the JVM that wrote it. */
  fingerprint: string;
}

async function checkJava(): Promise<JavaInfo> {
  const java = javaBinary();
  let out: string;
  try {
    const res = await runOk(java, ['-version'], { timeoutMs: 30_000 });
    out = res.stderr + res.stdout;
  } catch (err) {
    throw new Error(`infra: the local Kafka broker needs Java 11+ (\`${java}\` not usable: ${String(err)}). Install a JDK, set JAVA_HOME, or set KAFKA_BROKERS to use an existing cluster.`);
  }
  const m = /version "(\d+)(?:\.(\d+))?/.exec(out);
  const major = m ? (m[1] === '1' ? Number(m[2]) : Number(m[1])) : 0;
  if (major < 11) throw new Error(`infra: Kafka ${KAFKA_VERSION} needs Java 11+, found: ${out.split('\n')[0]}`);
  return { major, fingerprint: createHash('sha256').update(`${java}\n${out}`).digest('hex').slice(0, 16) };
}

/**
 * JVM flags for a dynamic class-data-sharing archive (JDK 13+), which roughly halves the
 * broker's start-up on a small machine. The first broker records the classes it loaded when it
 * shuts down cleanly (`-XX:ArchiveClassesAtExit`, into a temporary file that
 * `stopEmbeddedKafka` promotes); later brokers map that archive. Keyed by the JVM build, and
 * dropped with the jars when they are fetched again. IPFIN_KAFKA_CDS=0 turns it off.
 */
function cdsFlags(java: JavaInfo): string[] {
  if (java.major < 13 || process.env['IPFIN_KAFKA_CDS'] === '0') return [];
  const archive = cdsArchive(java.fingerprint);
  const quiet = '-Xlog:cds*=error'; // the recording lists every class it cannot archive
  if (existsSync(archive)) return [quiet, `-XX:SharedArchiveFile=${archive}`];
  mkdirSync(dirname(archive), { recursive: true });
  rmSync(`${archive}.recording`, { force: true });
  return [quiet, `-XX:ArchiveClassesAtExit=${archive}.recording`];
}

const cdsDir = (): string => join(cacheDir(), 'kafka', KAFKA_VERSION, 'cds');
const cdsArchive = (fingerprint: string): string => join(cdsDir(), `kafka-${fingerprint}.jsa`);

/** After a clean broker exit: keep the archive it recorded; after a kill: drop the partial one. */
function settleCdsRecording(cleanExit: boolean): void {
  let entries: string[];
  try {
    entries = readdirSync(cdsDir());
  } catch {
    return;
  }
  for (const name of entries.filter((n) => n.endsWith('.jsa.recording'))) {
    const file = join(cdsDir(), name);
    if (cleanExit) renameSync(file, file.slice(0, -'.recording'.length));
    else rmSync(file, { force: true });
  }
}

/**
 * The broker's jars, fetched once with Maven into `.cache/kafka/<version>/libs`. The cache is
 * keyed by the Kafka version (directory) and the pom's content (marker file), and replaced
 * atomically, so an interrupted download is simply retried.
 */
export async function ensureKafkaLibs(log: (line: string) => void, signal?: AbortSignal): Promise<string> {
  const libs = kafkaLibsDir();
  const marker = join(libs, '.complete');
  const pomHash = createHash('sha256').update(readFileSync(pomFile())).digest('hex');
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === pomHash) return libs;

  log(`infra: fetching Apache Kafka ${KAFKA_VERSION} jars with Maven into ${libs} (once)`);
  const started = Date.now();
  const tmp = `${libs}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const mvn = process.env['IPFIN_MVN'] ?? 'mvn';
  try {
    await runOk(mvn, ['-q', '-B', '-f', pomFile(), 'dependency:copy-dependencies', `-DoutputDirectory=${tmp}`], {
      cwd: repoRoot(),
      timeoutMs: 15 * 60_000,
      signal,
    });
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (signal?.aborted) throw signal.reason;
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      missing
        ? `infra: Maven (\`${mvn}\`) is needed once to fetch the Kafka broker jars. Install Maven, or set KAFKA_BROKERS to use an existing cluster.`
        : String(err),
    );
  }
  if (!existsSync(join(tmp, `kafka_2.13-${KAFKA_VERSION}.jar`))) {
    throw new Error(`infra: Maven finished but ${tmp} has no kafka_2.13-${KAFKA_VERSION}.jar; is deploy/kafka/pom.xml in step with KAFKA_VERSION?`);
  }
  writeFileSync(join(tmp, '.complete'), `${pomHash}\n`);
  rmSync(libs, { recursive: true, force: true });
  rmSync(cdsDir(), { recursive: true, force: true }); // archives name the old jars
  renameSync(tmp, libs);
  log(`infra: Kafka jars ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return libs;
}

function serverProperties(layout: KafkaLayout, port: number, controllerPort: number): string {
  const props: Record<string, string | number> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@${HOST}:${controllerPort}`,
    listeners: `PLAINTEXT://${HOST}:${port},CONTROLLER://${HOST}:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${HOST}:${port}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': layout.data,
    'num.partitions': 1,
    'default.replication.factor': 1,
    'min.insync.replicas': 1,
    'auto.create.topics.enable': 'false',
    'delete.topic.enable': 'true',
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 10,
    'group.initial.rebalance.delay.ms': 0,
    // Local data is kept until deleted, so projections can always be rebuilt from the topics.
    'log.retention.ms': -1,
    'log.segment.bytes': 64 * 1024 * 1024,
    'num.network.threads': 2,
    'num.io.threads': 4,
    'num.recovery.threads.per.data.dir': 1,
    'log.cleaner.threads': 1,
    'background.threads': 4,
  };
  return `# Written by libs/testing/src/infra/kafka.ts on every start; edits are overwritten.\n${Object.entries(props)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`;
}

function log4jProperties(layout: KafkaLayout): string {
  return [
    'log4j.rootLogger=INFO, file',
    'log4j.appender.file=org.apache.log4j.RollingFileAppender',
    `log4j.appender.file.File=${layout.serverLog}`,
    'log4j.appender.file.MaxFileSize=20MB',
    'log4j.appender.file.MaxBackupIndex=2',
    'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
    'log4j.logger.kafka.request.logger=WARN',
    'log4j.logger.state.change.logger=WARN',
    'log4j.logger.kafka.log.LogCleaner=WARN',
    'log4j.logger.org.apache.kafka.storage.internals.log=WARN',
    'log4j.logger.kafka.log=WARN',
    '',
  ].join('\n');
}

const TOOLS_LOG4J = [
  'log4j.rootLogger=WARN, stderr',
  'log4j.appender.stderr=org.apache.log4j.ConsoleAppender',
  'log4j.appender.stderr.Target=System.err',
  'log4j.appender.stderr.layout=org.apache.log4j.PatternLayout',
  'log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n',
  '',
].join('\n');

/** A Kafka cluster id: 16 random bytes, base64url without padding, not starting with '-'. */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

async function formatStorage(libs: string, layout: KafkaLayout, log: (line: string) => void): Promise<void> {
  if (existsSync(join(layout.data, 'meta.properties'))) return;
  rmSync(layout.data, { recursive: true, force: true }); // a half-formatted directory from an interrupted run
  let clusterId = existsSync(layout.clusterIdFile) ? readFileSync(layout.clusterIdFile, 'utf8').trim() : '';
  if (!clusterId) {
    clusterId = newClusterId();
    writeFileSync(layout.clusterIdFile, `${clusterId}\n`);
  }
  log(`infra: formatting KRaft storage in ${layout.data} (cluster id ${clusterId})`);
  await runOk(
    javaBinary(),
    [
      '-Xmx256m',
      `-Dlog4j.configuration=file:${layout.toolsLog4jProperties}`,
      '-cp',
      join(libs, '*'),
      'kafka.tools.StorageTool',
      'format',
      '--cluster-id',
      clusterId,
      '--config',
      layout.serverProperties,
      '--ignore-formatted',
    ],
    { cwd: layout.root, timeoutMs: 120_000 },
  );
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function admin(brokers: string[]): Admin {
  return new Kafka({
    clientId: 'ipfin-infra',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    requestTimeout: 10_000,
    retry: { retries: 0 },
  }).admin();
}

/** One attempt: connects and lists topics. */
export async function probeKafka(brokers: string[]): Promise<boolean> {
  const a = admin(brokers);
  try {
    await a.connect();
    await a.listTopics();
    return true;
  } catch {
    return false;
  } finally {
    await a.disconnect().catch(() => undefined);
  }
}

/**
 * Polls until the cluster answers; `giveUp` is checked between attempts (e.g. the broker died), and
 * an aborted `signal` rejects with its reason.
 */
export async function waitForKafka(brokers: string[], timeoutMs: number, giveUp?: () => string | undefined, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    if (await probeKafka(brokers)) return;
    signal?.throwIfAborted();
    const reason = giveUp?.();
    if (reason) throw new Error(reason);
    if (Date.now() > deadline) throw new Error(`infra: Kafka at ${brokers.join(',')} not ready after ${timeoutMs} ms`);
    await sleep(250);
  }
}

/**
 * Creates the missing topics and grows partition counts that are too small; never deletes or
 * shrinks. Retries while a freshly started broker is still registering with its controller.
 */
export async function ensureTopics(
  brokers: string[],
  topics: InfraTopic[],
  log: (line: string) => void,
  timeoutMs = 60_000,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    const a = admin(brokers);
    try {
      await a.connect();
      const existing = new Set(await a.listTopics());
      const missing = topics.filter((t) => !existing.has(t.name));
      if (missing.length > 0) {
        await a.createTopics({
          waitForLeaders: true,
          timeout: 30_000,
          topics: missing.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor: 1 })),
        });
        log(`infra: created topics ${missing.map((t) => `${t.name}(${t.partitions})`).join(', ')}`);
      }
      const present = topics.filter((t) => existing.has(t.name));
      if (present.length > 0) {
        const meta = await a.fetchTopicMetadata({ topics: present.map((t) => t.name) });
        for (const t of present) {
          const have = meta.topics.find((m) => m.name === t.name)?.partitions.length ?? 0;
          if (have < t.partitions) {
            await a.createPartitions({ topicPartitions: [{ topic: t.name, count: t.partitions }] });
            log(`infra: grew ${t.name} from ${have} to ${t.partitions} partitions`);
          } else if (have > t.partitions) {
            log(`infra: warning: ${t.name} has ${have} partitions, the catalogue says ${t.partitions} (partitions cannot shrink)`);
          }
        }
      }
      await warmUp(brokers);
      return;
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      if (Date.now() > deadline) throw new Error(`infra: could not create topics on ${brokers.join(',')}: ${String(err)}`);
      await sleep(500);
    } finally {
      await a.disconnect().catch(() => undefined);
    }
  }
}

/**
 * Does once, here, what a fresh broker makes the first test wait for (and kafkajs log as errors):
 * creating __consumer_offsets (FindCoordinator triggers it) and the first producer id block.
 */
async function warmUp(brokers: string[]): Promise<void> {
  const kafka = new Kafka({ clientId: 'ipfin-infra-warmup', brokers, logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 100 } });
  const a = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  try {
    await a.connect();
    await a.describeGroups(['ipfin-infra-warmup']);
    await producer.connect();
  } catch {
    // best effort
  } finally {
    await Promise.allSettled([a.disconnect(), producer.disconnect()]);
  }
}

export interface KafkaHandle {
  pid: number;
  port: number;
  brokers: string[];
  version: string;
  dataDir: string;
  logFile: string;
}

/** Broker processes running on our server.properties (whoever started them). */
export const brokerPids = (): number[] => findPids('kafka.Kafka', kafkaLayout().serverProperties);

/**
 * Starts the embedded broker (fetching jars and formatting storage on first use), or adopts one
 * already running on the same data directory. Resolves once kafkajs can list topics. An aborted
 * `signal` stops a broker this call spawned and rejects with the signal's reason.
 */
export async function startEmbeddedKafka(
  log: (line: string) => void,
  readyTimeoutMs = 120_000,
  signal?: AbortSignal,
): Promise<KafkaHandle & { adopted: boolean }> {
  const layout = kafkaLayout();
  const port = kafkaPort();
  const brokers = [`${HOST}:${port}`];
  const handle = (pid: number): KafkaHandle => ({ pid, port, brokers, version: KAFKA_VERSION, dataDir: layout.data, logFile: layout.serverLog });

  // A broker of ours that outlived its state file: adopt it if it answers, else stop it (it holds the data dir lock).
  for (const pid of brokerPids()) {
    try {
      await waitForKafka(brokers, 30_000, () => (isAlive(pid) ? undefined : 'exited'), signal);
      return { ...handle(pid), adopted: true };
    } catch {
      // Aborted: leave it to startInfra(), which records it and releases it like any other.
      if (signal?.aborted) return { ...handle(pid), adopted: true };
      log(`infra: Kafka pid ${pid} on ${layout.root} does not answer on ${brokers[0]}; stopping it`);
      await stopEmbeddedKafka(pid);
    }
  }

  const java = await checkJava();
  const libs = await ensureKafkaLibs(log, signal);
  signal?.throwIfAborted();
  mkdirSync(layout.root, { recursive: true });
  writeFileSync(layout.serverProperties, serverProperties(layout, port, kafkaControllerPort()));
  writeFileSync(layout.log4jProperties, log4jProperties(layout));
  writeFileSync(layout.toolsLog4jProperties, TOOLS_LOG4J);
  await formatStorage(libs, layout, log);
  signal?.throwIfAborted();

  const out = openSync(layout.stdoutLog, 'a');
  const child = spawn(
    javaBinary(),
    [
      '-Xms128m',
      '-Xmx512m',
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-XX:+ExitOnOutOfMemoryError',
      '-XX:-OmitStackTraceInFastThrow',
      ...cdsFlags(java),
      '-Djava.awt.headless=true',
      `-Dlog4j.configuration=file:${layout.log4jProperties}`,
      `-Dkafka.logs.dir=${layout.root}`,
      '-cp',
      join(libs, '*'),
      'kafka.Kafka',
      layout.serverProperties,
    ],
    // detached: its own session, so Ctrl-C in the starter's terminal does not reach it; unref'd so
    // the starter can exit and leave it running.
    { cwd: layout.root, detached: true, stdio: ['ignore', out, out] },
  );
  closeSync(out);
  const pid = child.pid;
  if (!pid) throw new Error(`infra: could not spawn ${javaBinary()}`);
  let exit: string | undefined;
  child.on('exit', (code, killedBy) => (exit = `exit ${code ?? killedBy}`));
  child.unref();

  try {
    await waitForKafka(
      brokers,
      readyTimeoutMs,
      () => (exit ? `infra: Kafka exited during startup (${exit}); ${layout.serverLog}:\n${tail(layout.serverLog)}\n${tail(layout.stdoutLog, 10)}` : undefined),
      signal,
    );
  } catch (err) {
    log(`infra: stopping the Kafka broker it was starting (pid ${pid})…`);
    await stopEmbeddedKafka(pid);
    throw err;
  }
  return { ...handle(pid), adopted: false };
}

/** Controlled shutdown (SIGTERM), then SIGKILL. A single KRaft node stops in a few seconds. */
export async function stopEmbeddedKafka(pid: number): Promise<void> {
  const recording = cmdlineOf(pid).includes('-XX:ArchiveClassesAtExit=');
  const killed = await terminate(pid, ['SIGTERM'], 30_000);
  if (recording) settleCdsRecording(!killed);
}

