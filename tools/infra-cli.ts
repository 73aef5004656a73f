/**
 * The local infrastructure by hand (`npm run infra:up|infra:down|infra:status`):
 *
 *   up      start PostgreSQL and Kafka (or find them running) and leave them running; prints the
 *           URLs. Later `npm start` / `npm test` runs reuse them instead of starting their own.
 *           With testcontainers the containers live as long as this process, so `up` then stays
 *           in the foreground until Ctrl-C.
 *   down    stop the local stack recorded in .data/infra.json (whoever started it).
 *   status  what runs, and whether it answers; `--json` for scripts. Exit 0 if both answer, 3 if not.
 *   topics  create the catalogue's missing topics on $KAFKA_BROKERS and exit (docker compose's
 *           one-shot `topics` service; in Kubernetes, KafkaTopic resources do this).
 *
 * The path is chosen as in startInfra(): DATABASE_URL/KAFKA_BROKERS → external, a reachable
 * Docker engine → testcontainers, else embedded; IPFIN_INFRA=embedded|testcontainers|external forces one.
 */
import { ensureTopics, infraStatus, infraTopics, onShutdownSignals, redactUrl, startInfra, stopInfra } from '@ipfin/testing';

const log = (line: string): void => console.log(line);

async function up(): Promise<number> {
  // Ctrl-C during the start-up aborts it and stops what it started: only a completed `up` pins the stack.
  let wake = (): void => undefined;
  const signals = onShutdownSignals({
    onFirst: (signal) => {
      log(`\n${signal}: stopping…`);
      wake();
    },
    onForce: () => process.exit(130),
  });
  let infra;
  try {
    infra = await startInfra({ log, keepRunning: true, signal: signals.signal });
  } catch (err) {
    if (signals.signal.aborted) {
      log('infra:up aborted; what it had started is stopped (a stack others hold stays up)');
      return 130;
    }
    throw err;
  }
  console.log('');
  console.log(`DATABASE_URL=${infra.databaseUrl}`);
  console.log(`KAFKA_BROKERS=${infra.kafkaBrokers.join(',')}`);
  console.log('');
  if (infra.mode === 'testcontainers' && !infra.reused) {
    console.log('testcontainers: the containers are removed when this process exits. Press Ctrl-C to stop.');
    await new Promise<void>((resolve) => {
      wake = resolve;
      if (signals.signal.aborted) resolve();
    });
    await infra.stop();
    return 0;
  }
  if (infra.mode === 'embedded') console.log('Left running; `npm run infra:down` stops it. Logs: .data/postgres/server.log, .data/kafka/server.log');
  return 0;
}

async function down(): Promise<number> {
  await stopInfra({ log });
  return 0;
}

async function status(json: boolean): Promise<number> {
  const s = await infraStatus();
  const ok = s.postgres.reachable && s.kafka.reachable;
  if (json) {
    console.log(JSON.stringify({ ok, ...s }, null, 2));
    return ok ? 0 : 3;
  }
  const mode = s.state?.containers ? 'testcontainers' : s.state?.postgres || s.state?.kafka ? 'embedded' : 'none recorded';
  const holders = [...new Set((s.state?.leases ?? []).map((l) => l.split(':')[0]))];
  const detail = s.containers
    ? ` (owner pid alive: ${s.containers.ownerAlive})`
    : s.state?.pinned
      ? ' (pinned by infra:up)'
      : holders.length
        ? ` (held by pid ${holders.join(', ')})`
        : '';
  console.log(`stack:      ${mode}${detail}`);
  console.log(
    `PostgreSQL: ${s.postgres.reachable ? `up, ${s.postgres.version}` : s.postgres.running ? 'process running but not answering' : 'down'}` +
      `${s.postgres.pid ? `, pid ${s.postgres.pid}` : ''}${s.postgres.url ? `, ${redactUrl(s.postgres.url)}` : ''}`,
  );
  console.log(
    `Kafka:      ${s.kafka.reachable ? 'up' : s.kafka.running ? 'process running but not answering' : 'down'}` +
      `${s.kafka.pid ? `, pid ${s.kafka.pid}` : ''}${s.kafka.brokers ? `, ${s.kafka.brokers.join(',')}` : ''}`,
  );
  if (process.env['DATABASE_URL'] || process.env['KAFKA_BROKERS']) {
    console.log('note:       DATABASE_URL/KAFKA_BROKERS are set here, so startInfra() would use those instead');
  }
  return ok ? 0 : 3;
}

async function topics(): Promise<number> {
  const brokers = (process.env['KAFKA_BROKERS'] ?? '').split(',').map((b) => b.trim()).filter(Boolean);
  if (brokers.length === 0) {
    console.error('topics: set KAFKA_BROKERS');
    return 2;
  }
  await ensureTopics(brokers, infraTopics(), log, 180_000);
  console.log(`topics: ${infraTopics().length} topics present on ${brokers.join(',')}`);
  return 0;
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'up':
      return up();
    case 'down':
      return down();
    case 'status':
      return status(rest.includes('--json'));
    case 'topics':
      return topics();
    default:
      console.error('usage: infra-cli.ts up | down | status [--json] | topics');
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
