/**
 * `npm test` — everything CI runs, in order: lint, type-check, unit tests, then integration and
 * system tests against one real PostgreSQL and Kafka started here (or the external ones named by
 * DATABASE_URL / KAFKA_BROKERS). Prints a timing per step and a closing `N passed, N failed` line.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startInfra } from '@ipfin/testing';
import TEST_STACK_ENV from './test-stack-env.json';

const root = path.resolve(__dirname, '..');
const resultsDir = path.join(root, '.data', 'test-results');

/**
 * The tests' own stack, beside `npm start`'s: its embedded PostgreSQL and Kafka keep their data in
 * `.data/test/` on other ports, and the system tests' services and gateway listen on 3101… and
 * 3100 (`tools/test-stack-env.json`, which the integration and system jest configs apply too). So
 * the tests never drop the schemas `npm start` keeps its data in, and both can run at once. Each
 * one set in the environment wins (CI on another checkout, say).
 */
for (const [name, value] of Object.entries(TEST_STACK_ENV)) process.env[name] ??= value;
const only = process.argv.slice(2); // e.g. `npm test -- unit integration`
const wanted = (step: string): boolean => only.length === 0 || only.includes(step);

interface Tally { passed: number; failed: number }
const tally: Tally = { passed: 0, failed: 0 };
const timings: string[] = [];

function run(step: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): boolean {
  const started = Date.now();
  console.log(`\n▶ ${step}: ${cmd} ${args.join(' ')}`);
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = res.status === 0;
  timings.push(`${ok ? '✔' : '✘'} ${step.padEnd(12)} ${seconds.padStart(7)} s`);
  return ok;
}

function jest(step: string, config: string, env: NodeJS.ProcessEnv): boolean {
  fs.mkdirSync(resultsDir, { recursive: true });
  const out = path.join(resultsDir, `${step}.json`);
  fs.rmSync(out, { force: true });
  const ok = run(step, 'npx', ['jest', '-c', config, '--ci', '--json', `--outputFile=${out}`], env);
  if (fs.existsSync(out)) {
    const r = JSON.parse(fs.readFileSync(out, 'utf8')) as { numPassedTests: number; numFailedTests: number; numTotalTests: number; numPendingTests: number; numRuntimeErrorTestSuites: number };
    tally.passed += r.numPassedTests;
    tally.failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
    if (r.numTotalTests === 0) { console.error(`${step}: no tests ran`); return false; }
  } else {
    tally.failed += 1;
  }
  return ok;
}

async function main(): Promise<number> {
  const started = Date.now();
  let ok = true;
  // The Nx boundary rule reads the cached project graph and silently skips without one (fresh clone).
  if (wanted('lint')) ok = run('project graph', 'npx', ['nx', 'show', 'projects']) && run('lint', 'npx', ['eslint', '.', '--max-warnings=0']) && ok;
  if (wanted('typecheck')) ok = run('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']) && ok;
  if (wanted('unit')) ok = jest('unit', 'jest.unit.config.js', process.env) && ok;
  if (wanted('integration') || wanted('system')) {
    const infra = await startInfra({ log: (l) => console.log(l) });
    const env = { ...process.env, DATABASE_URL: infra.databaseUrl, KAFKA_BROKERS: infra.kafkaBrokers.join(','), IPFIN_INFRA_MODE: infra.mode };
    try {
      if (wanted('integration')) ok = jest('integration', 'jest.integration.config.js', env) && ok;
      if (wanted('system')) ok = jest('system', 'jest.system.config.js', env) && ok;
    } finally {
      await infra.stop();
    }
  }
  console.log('\nSummary');
  for (const t of timings) console.log(`  ${t}`);
  console.log(`  total        ${((Date.now() - started) / 1000).toFixed(1).padStart(7)} s`);
  console.log(`\n${tally.passed} passed, ${tally.failed} failed`);
  return ok && tally.failed === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (err: unknown) => { console.error(err); console.log(`\n${tally.passed} passed, ${tally.failed + 1} failed`); process.exit(1); });
