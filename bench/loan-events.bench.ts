/**
 * Loan-event load generator (issue 3): single-event requests/s with latency percentiles, and
 * 1000-event batches in events/s, accepted by pledge-loans on this machine.
 *
 *   npm run bench:loans                       # starts the stack itself (like npm start)
 *   IPFIN_BASE_URL=http://localhost:3001 npm run bench:loans   # against a running service
 *
 * Knobs: BENCH_SECONDS (10), BENCH_CONCURRENCY (16), BENCH_BATCHES (20).
 */
import { randomBytes } from 'node:crypto';
import { makePatentNumber, makeUscc } from '@ipfin/kernel';
import { signLocalToken } from '@ipfin/http';
import { LOCAL_JWT_SECRET } from '../tools/local-env';
import { startStack, type Stack } from '../tools/stack';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 20);
const run = randomBytes(3).toString('hex');
let serial = 0;

function registration(bank: string) {
  const n = ++serial;
  const loanRef = `BENCH-${run}-${n}`;
  return {
    eventId: `${loanRef}-r`, type: 'LoanRegistered', loanRef, occurredOn: '2024-06-01',
    data: {
      borrower: { uscc: makeUscc(`91350602${run.toUpperCase().replace(/[^0-9A-HJ-NPQRTUWXY]/g, '0')}${String(n % 1000).padStart(3, '0')}`), name: '漳州基准测试有限公司', size: 'small', regionCode: '350602' },
      principal: '1000000.00', annualRate: '0.0385', termMonths: 12, inclusive: true,
      pledge: { registrationNo: `Y-${loanRef}`, registeredOn: '2024-05-30', appraisedValue: '2000000.00', rights: [{ kind: 'patent', number: makePatentNumber(2020 + (n % 4), 1, (parseInt(run, 16) * 7919 + n) % 10_000_000) }] },
    },
    bank,
  };
}

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function post(url: string, token: string, body: unknown): Promise<{ ms: number; accepted: number }> {
  const t0 = performance.now();
  const res = await fetch(`${url}/v1/loan-events`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as { results?: { status: string }[] };
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${JSON.stringify(json).slice(0, 300)}`);
  return { ms, accepted: (json.results ?? []).filter((r) => r.status === 'accepted').length };
}

async function main(): Promise<void> {
  let stack: Stack | undefined;
  let url = process.env.IPFIN_BASE_URL;
  if (!url) {
    stack = await startStack({ log: () => undefined });
    url = stack.serviceUrl('pledge-loans');
  }
  try {
    const token = signLocalToken({ sub: `bank-bench-${run}`, role: 'bank', region: '350600' }, process.env.AUTH_JWT_SECRET ?? LOCAL_JWT_SECRET, '2h');
    const strip = ({ bank: _b, ...e }: ReturnType<typeof registration>) => e;
    // warm-up
    for (let i = 0; i < 50; i++) await post(url, token, [strip(registration('x'))]);

    const latencies: number[] = [];
    let accepted = 0;
    const deadline = performance.now() + SECONDS * 1000;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const r = await post(url, token, [strip(registration('x'))]);
        latencies.push(r.ms);
        accepted += r.accepted;
      }
    }));
    const elapsed = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(`single-event requests: ${latencies.length} in ${elapsed.toFixed(1)} s, concurrency ${CONCURRENCY}`);
    console.log(`  ${(latencies.length / elapsed).toFixed(0)} requests/s, ${accepted} accepted; latency p50 ${pct(latencies, 50).toFixed(1)} ms, p95 ${pct(latencies, 95).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms`);

    const batchTimes: number[] = [];
    let batchAccepted = 0;
    const b0 = performance.now();
    for (let i = 0; i < BATCHES; i++) {
      const items = Array.from({ length: 1000 }, () => strip(registration('x')));
      const r = await post(url, token, items);
      batchTimes.push(r.ms);
      batchAccepted += r.accepted;
    }
    const bElapsed = (performance.now() - b0) / 1000;
    batchTimes.sort((a, b) => a - b);
    console.log(`1000-event batches: ${BATCHES} sequential, ${batchAccepted} events accepted in ${bElapsed.toFixed(1)} s`);
    console.log(`  ${(batchAccepted / bElapsed).toFixed(0)} events/s; batch latency p50 ${pct(batchTimes, 50).toFixed(0)} ms, p99 ${pct(batchTimes, 99).toFixed(0)} ms`);
  } finally {
    await stack?.stop();
  }
}

main().catch((err: unknown) => { console.error(err); process.exit(1); });
