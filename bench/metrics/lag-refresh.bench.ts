/**
 * `npm run bench:lag` — what one `lagEvents` refresh of the metrics service costs: CPU of this
 * process and of the Kafka broker (its /proc ticks, when the broker is the embedded one), per
 * refresh of the four metrics groups, the old way (an admin client connected per group for every
 * refresh, `consumerLag`) against the current one (`groupLags` over one admin kept open).
 * Uses KAFKA_BROKERS or starts/reuses the local infrastructure (`startInfra`).
 */
import { readFileSync } from 'node:fs';
import { consumerLag, createKafkaBus, groupLags } from '@ipfin/messaging';
import { readState, startInfra } from '@ipfin/testing';
import { PROJECTIONS } from '../../services/metrics/src/projections';

const REFRESHES = Number(process.env.BENCH_REFRESHES ?? 40);
const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** User + system clock ticks of a process (Linux), or null. */
function ticks(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const infra = process.env.KAFKA_BROKERS ? null : await startInfra({ log: () => undefined });
  const brokers = process.env.KAFKA_BROKERS ?? infra!.kafkaBrokers.join(',');
  const brokerPid = process.env.KAFKA_BROKERS ? undefined : readState()?.kafka?.pid;
  const bus = createKafkaBus({ brokers, clientId: 'bench-lag', logger: quiet });
  const measure = async (name: string, refresh: () => Promise<unknown>): Promise<void> => {
    await refresh();
    const cpu0 = process.cpuUsage();
    const b0 = ticks(brokerPid);
    const t0 = performance.now();
    for (let i = 0; i < REFRESHES; i++) await refresh();
    const wall = (performance.now() - t0) / REFRESHES;
    const cpu = process.cpuUsage(cpu0);
    const b1 = ticks(brokerPid);
    const broker = b0 === null || b1 === null ? 'n/a' : `${(((b1 - b0) * 10) / REFRESHES).toFixed(1)} ms`;
    console.log(`| ${name} | ${wall.toFixed(1)} ms | ${((cpu.user + cpu.system) / 1000 / REFRESHES).toFixed(1)} ms | ${broker} |`);
  };
  console.log(`lagEvents refresh of ${PROJECTIONS.length} groups, ${REFRESHES} refreshes each:`);
  console.log('| refresh | wall per refresh | this process CPU per refresh | broker CPU per refresh |');
  console.log('|---|---|---|---|');
  try {
    await measure('an admin connected per group (consumerLag)', () => Promise.all(PROJECTIONS.map((p) => consumerLag(bus, p.groupId, p.topics))));
    const admin = bus.admin();
    await admin.connect();
    try {
      await measure('one admin kept open (groupLags)', () => groupLags(admin, PROJECTIONS));
    } finally {
      await admin.disconnect();
    }
  } finally {
    await infra?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
