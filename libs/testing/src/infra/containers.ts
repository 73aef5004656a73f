// The Docker path: when a Docker engine is reachable, PostgreSQL and Kafka run as testcontainers
// instead of local processes. testcontainers' reaper (Ryuk) removes them when the process that
// started them exits, so this path lives only as long as its starter (jest's globalSetup, or an
// `infra-cli up` that stays in the foreground).
//
// The testcontainers modules are loaded lazily: importing @ipfin/testing never touches Docker.
import { request } from 'node:http';
import { existsSync } from 'node:fs';
import { run } from './proc';
import { PG_DATABASE, PG_SUPERUSER } from './postgres';

export const TC_POSTGRES_IMAGE = process.env['IPFIN_TC_POSTGRES_IMAGE'] ?? 'postgres:17-alpine';
// @testcontainers/kafka drives Confluent's image layout (/etc/confluent/docker/run);
// cp-kafka 7.9.x ships Apache Kafka 3.9, the line kafkajs speaks.
export const TC_KAFKA_IMAGE = process.env['IPFIN_TC_KAFKA_IMAGE'] ?? 'confluentinc/cp-kafka:7.9.1';
const KAFKA_CONTAINER_PORT = 9093; // the host-facing PLAINTEXT listener of KafkaContainer

function ping(options: { socketPath?: string; host?: string; port?: number }, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ ...options, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/**
 * Whether a Docker engine answers, quickly: `docker info` if the CLI exists, else a /_ping on
 * DOCKER_HOST or the default socket. Never throws.
 */
export async function dockerReachable(timeoutMs = 4000): Promise<boolean> {
  const host = process.env['DOCKER_HOST'];
  const cli = await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs }).catch((err: NodeJS.ErrnoException) =>
    err.code === 'ENOENT' ? undefined : { code: 1, signal: null, stdout: '', stderr: '' },
  );
  if (cli) return cli.code === 0 && cli.stdout.trim().length > 0;
  // No CLI: testcontainers talks to the engine API directly, so probe that.
  if (host?.startsWith('unix://')) return ping({ socketPath: host.slice('unix://'.length) }, timeoutMs);
  if (host?.startsWith('tcp://')) {
    if (process.env['DOCKER_TLS_VERIFY']) return true; // TLS engine: let testcontainers find out
    const u = new URL(host.replace(/^tcp:/, 'http:'));
    return ping({ host: u.hostname, port: Number(u.port || 2375) }, timeoutMs);
  }
  if (!host && existsSync('/var/run/docker.sock')) return ping({ socketPath: '/var/run/docker.sock' }, timeoutMs);
  return false;
}

export interface ContainersHandle {
  databaseUrl: string;
  kafkaBrokers: string[];
  containerIds: string[];
  postgresVersion: string;
  stop(): Promise<void>;
}

/** Starts PostgreSQL 17 and a KRaft Kafka as containers, tuned like the embedded stack. */
export async function startContainers(log: (line: string) => void): Promise<ContainersHandle> {
  const [{ PostgreSqlContainer }, { KafkaContainer }] = await Promise.all([
    import('@testcontainers/postgresql'),
    import('@testcontainers/kafka'),
  ]);
  log(`infra: starting ${TC_POSTGRES_IMAGE} and ${TC_KAFKA_IMAGE} with testcontainers`);
  const started = await Promise.allSettled([
    new PostgreSqlContainer(TC_POSTGRES_IMAGE)
      .withDatabase(PG_DATABASE)
      .withUsername(PG_SUPERUSER)
      .withPassword('ipfin-local')
      .withTmpFs({ '/var/lib/postgresql/data': 'rw' })
      .withCommand([
        'postgres',
        '-c', 'fsync=off',
        '-c', 'synchronous_commit=off',
        '-c', 'full_page_writes=off',
        '-c', 'max_connections=200',
        '-c', 'track_commit_timestamp=on',
        '-c', 'timezone=UTC',
      ])
      .start(),
    new KafkaContainer(TC_KAFKA_IMAGE)
      .withKraft()
      .withEnvironment({
        KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
        KAFKA_NUM_PARTITIONS: '1',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
        KAFKA_LOG_RETENTION_MS: '-1',
        KAFKA_HEAP_OPTS: '-Xms128m -Xmx512m',
      })
      .start(),
  ]);
  const [pgResult, kafkaResult] = started;
  if (pgResult.status === 'rejected' || kafkaResult.status === 'rejected') {
    await Promise.allSettled(started.flatMap((r) => (r.status === 'fulfilled' ? [r.value.stop()] : [])));
    const reason: unknown = pgResult.status === 'rejected' ? pgResult.reason : (kafkaResult as PromiseRejectedResult).reason;
    throw new Error(`infra: testcontainers could not start the stack (IPFIN_INFRA=embedded avoids Docker): ${reason instanceof Error ? reason.message : String(reason)}`);
  }
  const pg = pgResult.value;
  const kafka = kafkaResult.value;
  const version = await pg.exec(['postgres', '--version']).then((r) => r.output.trim().split(' ').pop() ?? '17', () => '17');
  return {
    databaseUrl: pg.getConnectionUri(),
    kafkaBrokers: [`${kafka.getHost()}:${kafka.getMappedPort(KAFKA_CONTAINER_PORT)}`],
    containerIds: [pg.getId(), kafka.getId()],
    postgresVersion: version,
    stop: async () => {
      await Promise.allSettled([kafka.stop(), pg.stop()]);
    },
  };
}

/** Removes containers by id (from another process than the one that started them). */
export async function removeContainers(ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const client = await getContainerRuntimeClient();
    await Promise.allSettled(
      ids.map(async (id) => {
        const c = client.container.getById(id);
        await client.container.stop(c, { timeout: 10_000 });
        await client.container.remove(c, { removeVolumes: true });
      }),
    );
  } catch {
    await run('docker', ['rm', '--force', '--volumes', ...ids], { timeoutMs: 60_000 }).catch(() => undefined);
  }
}
