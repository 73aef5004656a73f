/**
 * `npm run bench:metrics:ab -- <rev>`: the metrics reports' server-side latency on the working
 * tree against commit `<rev>`, on the same database, in alternating blocks — the A/B behind the
 * "previous / new" tables of docs/benchmarks.md. A query pass over one stack moves by as much
 * between passes as a change does on this kind of machine; two instances queried in turn see the
 * same machine.
 *
 * It checks `<rev>` out into a git worktree under `.data/ab/`, starts one metrics process from
 * there (port `BENCH_AB_PORT`, default 3035) and one from the working tree (the next port), both on
 * the local stack's infrastructure (`npm start` or `npm run infra:up`, e.g. with the 10 M rows of
 * `BENCH_PHASES=load BENCH_KEEP_DATA=1 npm run bench:metrics`; or `DATABASE_URL` + `KAFKA_BROKERS`),
 * and for each query first compares the two answers (they should be the same but for
 * `lagEvents`), then runs `BENCH_AB_ROUNDS` rounds (default 4) of 20 warm-up and
 * `BENCH_AB_REQUESTS` (default 300) sequential requests per arm, the arm order alternating, and
 * prints p50 / p99 of `Server-Timing` per arm, and each block's p50.
 *
 * The schema must be migrated to the newer of the two (`npm run migrate`); a service only
 * requires its own migrations, so the older one runs on it too. Both processes join metrics'
 * consumer groups: run it while nothing is being ingested. `BENCH_AB_QUERIES`: comma-separated
 * paths under `/v1/` (default below); `BENCH_AB_REGION`: the regulator token's region (350000);
 * `BENCH_AB_NODE_ARGS`: Node options for the working tree's process only (with `<rev>` = HEAD,
 * an A/B of the options alone, e.g. `--max-semi-space-size=32`).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { signLocalToken } from '@ipfin/http';
import { positiveIntegerEnv, startInfra } from '@ipfin/testing';
import { LOCAL_JWT_SECRET, localBindHost, reachableHost, urlHost } from '../../tools/local-env';
import { SERVICES } from '../../tools/services';
import { REPO_ROOT, serviceEnv } from '../../tools/stack';

const DEFAULT_QUERIES = [
  'metrics/financing?region=350600&groupBy=bank&year=2025',
  'metrics/financing?region=350000&groupBy=bank&year=2025',
  'metrics/financing?region=350000&groupBy=region&year=2025',
  'metrics/banks?region=350000&year=2025',
  'metrics/financing?region=350000&year=2025',
];

const pct = (xs: readonly number[], p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

interface Arm {
  name: string;
  url: string;
  child: ChildProcess;
}

async function waitReady(arm: Arm, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (arm.child.exitCode !== null) throw new Error(`${arm.name}: the metrics process exited (${arm.child.exitCode}); see its log`);
    try {
      if ((await fetch(`${arm.url}/health/ready`, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${arm.name}: not ready after ${timeoutMs} ms (migrated to its commit? npm run migrate)`);
}

async function main(): Promise<void> {
  const rev = process.argv[2];
  if (!rev) throw new Error('usage: npm run bench:metrics:ab -- <rev>   (the commit to compare the working tree with)');
  const sha = execFileSync('git', ['rev-parse', '--verify', `${rev}^{commit}`], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  const rounds = positiveIntegerEnv('BENCH_AB_ROUNDS', 4);
  const requests = positiveIntegerEnv('BENCH_AB_REQUESTS', 300);
  const port = positiveIntegerEnv('BENCH_AB_PORT', 3035);
  const queries = process.env.BENCH_AB_QUERIES ? process.env.BENCH_AB_QUERIES.split(',') : DEFAULT_QUERIES;
  const region = process.env.BENCH_AB_REGION ?? '350000';
  const nodeArgs = (process.env.BENCH_AB_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const token = signLocalToken({ sub: `regulator-ab-${region}`, role: 'regulator', region }, process.env.AUTH_JWT_SECRET ?? LOCAL_JWT_SECRET, '2h');
  const spec = SERVICES.find((s) => s.name === 'metrics')!;

  const infra = await startInfra({ log: (line) => console.log(line) });
  const worktree = path.join(REPO_ROOT, '.data', 'ab', sha.slice(0, 12));
  const arms: Arm[] = [];
  try {
    if (!existsSync(worktree)) {
      mkdirSync(path.dirname(worktree), { recursive: true });
      execFileSync('git', ['worktree', 'add', '--detach', worktree, sha], { cwd: REPO_ROOT, stdio: 'ignore' });
      symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(worktree, 'node_modules'));
    }
    for (const [i, [name, cwd]] of ([[`base ${sha.slice(0, 7)}`, worktree], ['working tree', REPO_ROOT]] as const).entries()) {
      const log = path.join(REPO_ROOT, '.data', 'ab', `metrics-${i}.log`);
      const env = { ...serviceEnv({ ...spec, port: port + i }, infra), NODE_ENV: 'production' };
      const flags = i === 1 ? nodeArgs : [];
      const child = spawn(process.execPath, [...flags, '-r', '@swc-node/register', 'services/metrics/src/main.ts'], { cwd, env, stdio: ['ignore', openSync(log, 'w'), openSync(log, 'a')] });
      arms.push({ name, url: `http://${urlHost(reachableHost(localBindHost()))}:${port + i}`, child });
    }
    await Promise.all(arms.map((a) => waitReady(a)));

    const get = async (arm: Arm, query: string): Promise<{ ms: number; body: string }> => {
      const res = await fetch(`${arm.url}/v1/${query}`, { headers: { authorization: `Bearer ${token}` } });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${arm.name} ${query}: HTTP ${res.status} ${body.slice(0, 300)}`);
      const timing = /dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '');
      if (!timing) throw new Error(`${arm.name} ${query}: no Server-Timing header`);
      return { ms: Number(timing[1]), body };
    };
    console.log(`\nmetrics A/B: ${arms[0].name} against the ${arms[1].name}${nodeArgs.length ? ` (node ${nodeArgs.join(' ')})` : ''}, ${rounds} rounds × ${requests} requests per arm (after 20 warm-up each), server-side ms`);
    console.log('| query | answers | base p50 / p99 | working tree p50 / p99 | base block p50s | working tree block p50s |');
    console.log('|---|---|---|---|---|---|');
    for (const query of queries) {
      const [a, b] = await Promise.all(arms.map((arm) => get(arm, query)));
      const same = a.body.replace(/"lagEvents":\d+/, '') === b.body.replace(/"lagEvents":\d+/, '');
      const times: number[][] = [[], []];
      const blocks: number[][] = [[], []];
      for (let round = 0; round < rounds; round++) {
        for (const i of round % 2 === 0 ? [0, 1] : [1, 0]) {
          for (let w = 0; w < 20; w++) await get(arms[i], query);
          const block: number[] = [];
          for (let r = 0; r < requests; r++) block.push((await get(arms[i], query)).ms);
          times[i].push(...block);
          blocks[i].push(pct(block, 50));
        }
      }
      const cell = (i: number): string => `${pct(times[i], 50).toFixed(2)} / ${pct(times[i], 99).toFixed(2)}`;
      const list = (i: number): string => blocks[i].map((x) => x.toFixed(2)).join(', ');
      console.log(`| ${query} | ${same ? 'same' : '**differ**'} | ${cell(0)} | ${cell(1)} | ${list(0)} | ${list(1)} |`);
    }
  } finally {
    for (const arm of arms) arm.child.kill('SIGTERM');
    await Promise.all(arms.map((arm) => new Promise<void>((r) => (arm.child.exitCode !== null || arm.child.signalCode !== null ? r() : arm.child.once('exit', () => r())))));
    if (existsSync(worktree)) execFileSync('git', ['worktree', 'remove', '--force', worktree], { cwd: REPO_ROOT, stdio: 'ignore' });
    await infra.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
