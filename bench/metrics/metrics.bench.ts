/**
 * Metrics speed targets (issue 7): server-side query latency over projections holding what
 * ~10 000 000 folded events make, and freshness (commit in pledge-loans → visible in metrics).
 *
 *   npm run bench:metrics     # under flock /tmp/ipfin-tests.lock: starts the stack itself
 *   IPFIN_BASE_URL=http://localhost:3000 BENCH_DATABASE_URL=postgres://… npm run bench:metrics
 *
 * The projections are bulk-loaded straight into the metrics schema (bench/metrics/load.ts) —
 * replaying 10 M events through Kafka would take an hour — and WIPED again at the end unless
 * BENCH_KEEP_DATA=1 (the schema's projections are then empty: `npm run metrics:rebuild` restores
 * them from the topics).
 *
 * Latency is the service's own `Server-Timing: app;dur=` header (middleware in metrics' AppModule),
 * not the client's round trip. Knobs: BENCH_LOANS (1 300 000), BENCH_REQUESTS (300 per query),
 * BENCH_FRESH_SAMPLES (100), BENCH_FRESH_RATE (background requests/s; default half the measured maximum),
 * BENCH_FRESH_POLL_MS (2: the probe's pause between polls), BENCH_FRESH_RUNS (1: freshness measurements
 * one after the other; a freshly started stack is only warm from about the fourth), BENCH_QUERY_PASSES (1: passes over
 * all the queries one after the other; the first after a load or a restart reads cold pages), BENCH_METRICS_URL / BENCH_LOANS_URL (with
 * IPFIN_BASE_URL: the services themselves, past the gateway),
 * BENCH_PHASES (load,query,fresh; `batch` alone: only the reads after a batch; `products` alone: only
 * the products ones at once). The answers are kept per version of the projections they read, so
 * the rows of a pass are answers between batches; with a database URL each pass ends with every
 * query read again after a batch (each request after a write of the projections' version rows),
 * then the products answers after a products batch with BENCH_PRODUCTS_CONCURRENT (8) identical
 * requests at once.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { BusinessDate, makePatentNumber, makeUscc, RegionCode } from '@ipfin/kernel';
import { signLocalToken } from '@ipfin/http';
import { durability } from '@ipfin/testing';
import { LOCAL_JWT_SECRET } from '../../tools/local-env';
import { startStack, type Stack } from '../../tools/stack';
import { reportSql } from '../../services/metrics/src/financing/financing.repository';
import { financingStatement } from '../../services/metrics/src/financing/financing.service';
import { loadProjections, wipeProjections } from './load';

const LOANS = Number(process.env.BENCH_LOANS ?? 1_300_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const FRESH_SAMPLES = Number(process.env.BENCH_FRESH_SAMPLES ?? 100);
const FRESH_POLL_MS = Number(process.env.BENCH_FRESH_POLL_MS ?? 2);
const FRESH_RUNS = Number(process.env.BENCH_FRESH_RUNS ?? 1);
const QUERY_PASSES = Number(process.env.BENCH_QUERY_PASSES ?? 1);
const PRODUCTS_CONCURRENT = Number(process.env.BENCH_PRODUCTS_CONCURRENT ?? 8);
/** The target: query p99 ≤ 5 ms server-side. */
const QUERY_TARGET_MS = 5;
const QUERY_SECONDS = Number(process.env.BENCH_QUERY_SECONDS ?? 20);
const PHASES = new Set((process.env.BENCH_PHASES ?? 'load,query,explain,fresh').split(','));
const SCHEMA = process.env.DATABASE_SCHEMA ?? 'metrics';
const secret = process.env.AUTH_JWT_SECRET ?? LOCAL_JWT_SECRET;
const log = (s: string): void => console.log(s);

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
const fmt = (xs: number[]): string => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${pct(s, 50).toFixed(2)} / p95 ${pct(s, 95).toFixed(2)} / p99 ${pct(s, 99).toFixed(2)} / max ${s[s.length - 1].toFixed(2)} ms`;
};

interface Timed { server: number; client: number; status: number; body: unknown }

async function get(base: string, path: string, token: string): Promise<Timed> {
  const t0 = performance.now();
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const body: unknown = await res.json();
  const client = performance.now() - t0;
  const st = /dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '');
  if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  return { server: st ? Number(st[1]) : NaN, client, status: res.status, body };
}

/** The typical regulator queries: county 350602, prefecture 350600 (Zhangzhou), province 350000 (Fujian). */
function queries(): { name: string; region: string; path: string }[] {
  const q: { name: string; region: string; path: string }[] = [];
  const levels = [['county', '350602'], ['prefecture', '350600'], ['province', '350000']] as const;
  for (const [level, region] of levels) {
    q.push({ name: `financing totals, year 2025, ${level}`, region, path: `/v1/metrics/financing?region=${region}&year=2025` });
    for (const g of ['year', 'quarter', 'month', 'bank', 'region']) {
      const period = g === 'year' ? 'from=2024-01-01&to=2026-11-21' : g === 'quarter' || g === 'month' ? 'from=2025-01-01&to=2025-12-31' : 'year=2025';
      q.push({ name: `financing by ${g}, ${level}`, region, path: `/v1/metrics/financing?region=${region}&groupBy=${g}&${period}` });
    }
    q.push({ name: `financing ragged range, ${level}`, region, path: `/v1/metrics/financing?region=${region}&from=2025-02-14&to=2026-03-10&groupBy=rightKind` });
  }
  for (const [level, region] of levels.slice(1)) {
    q.push({ name: `banks ranking 2025, ${level}`, region, path: `/v1/metrics/banks?region=${region}&year=2025` });
    q.push({ name: `risk-fund (all time), ${level}`, region, path: `/v1/metrics/risk-fund?region=${region}` });
    q.push({ name: `transfers 2025, ${level}`, region, path: `/v1/metrics/transfers?region=${region}&year=2025` });
    q.push({ name: `products 2025, ${level}`, region, path: `/v1/metrics/products?region=${region}&year=2025` });
    q.push({ name: `agencies 2025, ${level}`, region, path: `/v1/metrics/agencies?region=${region}&year=2025` });
    q.push({ name: `targets, ${level}`, region, path: `/v1/targets?region=${region}` });
  }
  return q;
}

/** A regulator's token for the province of `region` (one per province). */
const tokens = new Map<string, string>();
function tokenFor(region: string): string {
  const province = `${region.slice(0, 2)}0000`;
  if (!tokens.has(province)) tokens.set(province, signLocalToken({ sub: `regulator-bench-${province}`, role: 'regulator', region: province }, secret, '2h'));
  return tokens.get(province)!;
}

async function queryPhase(metricsUrl: string, pass: number, db: Client | undefined): Promise<void> {
  log(`\nquery latency${QUERY_PASSES > 1 ? `, pass ${pass} of ${QUERY_PASSES}` : ''} (server-side, Server-Timing), ${REQUESTS} sequential requests each after 20 warm-up:`);
  let met = 0;
  let all = 0;
  const every: number[] = [];
  log('| query | rows | requests | server p50 / p95 / p99 / max | client p50 / p99 |');
  log('|---|---|---|---|---|');
  for (const q of queries()) {
    const token = tokenFor(q.region);
    let rows = 0;
    for (let i = 0; i < 20; i++) {
      const r = await get(metricsUrl, q.path, token);
      const b = r.body as { rows?: unknown[]; items?: unknown[] };
      rows = (b.rows ?? b.items ?? []).length;
    }
    const server: number[] = [];
    const client: number[] = [];
    const budget = performance.now() + QUERY_SECONDS * 1000;
    for (let i = 0; i < REQUESTS && (i < 50 || performance.now() < budget); i++) {
      const r = await get(metricsUrl, q.path, token);
      server.push(r.server);
      client.push(r.client);
    }
    const c = [...client].sort((a, b) => a - b);
    log(`| ${q.name} | ${rows} | ${server.length} | ${fmt(server)} | ${pct(c, 50).toFixed(1)} / ${pct(c, 99).toFixed(1)} ms |`);
    all += 1;
    every.push(...server);
    if (pct([...server].sort((a, b) => a - b), 99) <= QUERY_TARGET_MS) met += 1;
  }
  log(`${met} of ${all} queries at server p99 ≤ ${QUERY_TARGET_MS} ms`);
  // The same requests as one workload (each query weighted by its request count).
  const s = every.sort((a, b) => a - b);
  log(`all ${s.length} requests of the pass together: p50 ${pct(s, 50).toFixed(2)} / p99 ${pct(s, 99).toFixed(2)} / p99.9 ${pct(s, 99.9).toFixed(2)} ms, ${s.filter((x) => x > QUERY_TARGET_MS).length} over ${QUERY_TARGET_MS} ms`);
  if (db) await afterBatches(metricsUrl, db);
}

/**
 * The answers are kept per version of the projections they read (KeptAnswers, ProductsService):
 * the rows of a pass above are answered while nothing moves, as between batches. Here each request
 * follows a write of every projection's version row — what every batch does in its transaction —
 * so each answer reads its figures again, as the first query after a batch does.
 */
async function afterBatches(metricsUrl: string, db: Client): Promise<void> {
  const requests = Math.min(REQUESTS, 100);
  log(`
each query after a batch (each request follows a write of every projection's version row), ${requests} requests each after 5 warm-up:`);
  log('| query | rows | requests | server p50 / p95 / p99 / max |');
  log('|---|---|---|---|');
  let met = 0;
  const every: number[] = [];
  for (const q of queries()) {
    let rows = 0;
    const server: number[] = [];
    for (let i = 0; i < 5 + requests; i++) {
      await moveVersions(db, ['loans', 'risk', 'patents', 'products']);
      const r = await get(metricsUrl, q.path, tokenFor(q.region));
      const b = r.body as { rows?: unknown[]; items?: unknown[] };
      rows = (b.rows ?? b.items ?? []).length;
      if (i >= 5) server.push(r.server);
    }
    log(`| ${q.name} | ${rows} | ${server.length} | ${fmt(server)} |`);
    every.push(...server);
    if (pct([...server].sort((a, b) => a - b), 99) <= QUERY_TARGET_MS) met += 1;
  }
  const s = every.sort((a, b) => a - b);
  log(`${met} of ${queries().length} queries at server p99 ≤ ${QUERY_TARGET_MS} ms after a batch; all ${s.length} requests together: p50 ${pct(s, 50).toFixed(2)} / p99 ${pct(s, 99).toFixed(2)} ms, ${s.filter((x) => x > QUERY_TARGET_MS).length} over ${QUERY_TARGET_MS} ms`);
  await productsTogether(metricsUrl, db);
}

/** A write of one version row of each of the projections `names`: what every batch of theirs does. */
async function moveVersions(db: Client, names: readonly string[]): Promise<void> {
  await db.query(`update ${SCHEMA}.projection_state set events = events
                   where (name, part) in (select name, min(part) from ${SCHEMA}.projection_state where name = any($1::text[]) group by name)`, [names]);
}

async function productsTogether(metricsUrl: string, db: Client): Promise<void> {
  // A dashboard's users asking for the same answer after a batch: requests that arrive while it is
  // read wait for that read (ProductsService) instead of each reading the facts.
  const rounds = Math.min(REQUESTS, 30);
  log(`
products after a products batch, ${PRODUCTS_CONCURRENT} identical requests at once, ${rounds} rounds after 2 warm-up (the wall time until the last answer):`);
  log('| query | rows | rounds | wall p50 / p95 / p99 / max | server, each request: p50 / p99 |');
  log('|---|---|---|---|---|');
  for (const q of queries().filter((x) => x.path.startsWith('/v1/metrics/products'))) {
    let rows = 0;
    const wall: number[] = [];
    const server: number[] = [];
    for (let i = 0; i < 2 + rounds; i++) {
      await moveVersions(db, ['products']);
      const t0 = performance.now();
      const answers = await Promise.all(Array.from({ length: PRODUCTS_CONCURRENT }, () => get(metricsUrl, q.path, tokenFor(q.region))));
      rows = (answers[0].body as { rows: unknown[] }).rows.length;
      if (i < 2) continue;
      wall.push(performance.now() - t0);
      server.push(...answers.map((a) => a.server));
    }
    const s = [...server].sort((a, b) => a - b);
    log(`| ${q.name} | ${rows} | ${wall.length} | ${fmt(wall)} | ${pct(s, 50).toFixed(2)} / ${pct(s, 99).toFixed(2)} ms |`);
  }
}

/** EXPLAIN ANALYZE of the heaviest statements, exactly as FinancingService / BanksService build them. */
async function explainPhase(db: Client): Promise<void> {
  const province = RegionCode.parse('350000');
  const day = (s: string): BusinessDate => BusinessDate.parse(s);
  const shapes: [string, { parts: string[]; params: unknown[] }][] = [
    ['financing by year 2024-01-01 … 2026-11-21, province', financingStatement({ region: province, from: day('2024-01-01'), to: day('2026-11-21'), groupBy: 'year' }, '2026-11-21')],
    ['financing by month 2025, province', financingStatement({ region: province, from: day('2025-01-01'), to: day('2025-12-31'), groupBy: 'month' }, '2025-12-31')],
    ['financing ragged range by right kind, province', financingStatement({ region: province, from: day('2025-02-14'), to: day('2026-03-10'), groupBy: 'rightKind' }, '2026-03-10')],
    ['financing totals 2025, county 350602', financingStatement({ region: RegionCode.parse('350602'), from: day('2025-01-01'), to: day('2025-12-31'), groupBy: null }, '2025-12-31')],
  ];
  await db.query(`set search_path = ${SCHEMA}`);
  for (const [name, st] of shapes) {
    const { rows } = await db.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers, costs off) ${reportSql(st.parts)}`, st.params);
    log(`\nEXPLAIN ANALYZE — ${name}`);
    for (const r of rows) log(`    ${r['QUERY PLAN']}`);
  }
}

// ---------- freshness ----------

const run = randomBytes(3).toString('hex');
let serial = 0;
function registration(occurredOn: string) {
  const n = ++serial;
  const loanRef = `FRESH-${run}-${n}`;
  return {
    eventId: `${loanRef}-r`, type: 'LoanRegistered', loanRef, occurredOn,
    data: {
      borrower: { uscc: makeUscc(`91350602${run.toUpperCase().replace(/[^0-9A-HJ-NPQRTUWXY]/g, '0')}${String(n % 1000).padStart(3, '0')}`), name: '漳州基准测试有限公司', size: 'small', regionCode: '350602' },
      principal: '1000000.00', annualRate: '0.0385', termMonths: 12, inclusive: true,
      pledge: { registrationNo: `Y-${loanRef}`, registeredOn: occurredOn, appraisedValue: '2000000.00', rights: [{ kind: 'patent', number: makePatentNumber(2020 + (n % 4), 1, (parseInt(run, 16) * 7919 + n) % 10_000_000) }] },
    },
  };
}

async function postEvents(loansUrl: string, token: string, body: unknown): Promise<number> {
  const res = await fetch(`${loansUrl}/v1/loan-events`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${text.slice(0, 300)}`);
  return performance.now();
}

async function freshnessPhase(loansUrl: string, metricsUrl: string, db: Client | undefined): Promise<void> {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const loadSub = `bank-load-${run}`;
  const loadToken = signLocalToken({ sub: loadSub, role: 'bank', region: '350600' }, secret, '2h');
  const probeSub = `bank-probe-${run}`;
  const probeToken = signLocalToken({ sub: probeSub, role: 'bank', region: '350600' }, secret, '2h');

  // 1. the maximum single-event request rate, briefly (16 closed-loop clients, 8 s)
  for (let i = 0; i < 30; i++) await postEvents(loansUrl, loadToken, [registration(day)]);
  let done = 0;
  const maxSeconds = 8;
  const deadline = performance.now() + maxSeconds * 1000;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (performance.now() < deadline) { await postEvents(loansUrl, loadToken, [registration(day)]); done++; }
  }));
  const maxRate = done / ((performance.now() - t0) / 1000);
  // BENCH_FRESH_RATE pins the background rate, for before/after comparisons on a shared machine.
  const target = process.env.BENCH_FRESH_RATE ? Number(process.env.BENCH_FRESH_RATE) : maxRate / 2;
  log(`\nfreshness: max single-event ingest ${maxRate.toFixed(0)} requests/s (16 clients, ${maxSeconds} s); driving ${target.toFixed(0)}/s`);
  // let the pipeline drain the burst before measuring
  await new Promise((r) => setTimeout(r, 5000));

  // 2. background load at half the max rate (open loop, paced), plus a probe loop
  let stop = false;
  let sent = 0;
  let posted = 0;
  const bgStart = performance.now();
  const background = Promise.all(Array.from({ length: 8 }, async () => {
    while (!stop) {
      // Claim the slot before waiting for it: counting it after the wait sent the clients that
      // woke for the same slot together, in bursts of up to 8 requests every 8 slots.
      const due = bgStart + (sent++ * 1000) / target;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (stop) break;
      await postEvents(loansUrl, loadToken, [registration(day)]);
      posted++;
    }
  }));
  const path = `/v1/metrics/financing?region=350602&from=${day}&to=${day}`;
  const visible: number[] = [];
  const serverPoll: number[] = [];
  // wall-clock (epoch ms, the same clock PostgreSQL's now() reads on this machine) per probe
  const probes: { loanRef: string; sent: number; committed: number; visible: number }[] = [];
  const wall = (t: number): number => performance.timeOrigin + t;
  let expected = Number(((await get(metricsUrl, path, probeToken)).body as { totals: { loans: number } }).totals.loans);
  for (let i = 0; i < FRESH_SAMPLES; i++) {
    const probe = registration(day);
    const sent = performance.now();
    const committed = await postEvents(loansUrl, probeToken, [probe]);
    expected++;
    for (;;) {
      const r = await get(metricsUrl, path, probeToken);
      serverPoll.push(r.server);
      if ((r.body as { totals: { loans: number } }).totals.loans >= expected) {
        const seen = performance.now();
        visible.push(seen - committed);
        probes.push({ loanRef: probe.loanRef, sent: wall(sent), committed: wall(committed), visible: wall(seen) });
        break;
      }
      if (performance.now() - committed > 30_000) throw new Error('probe event not visible after 30 s');
      await new Promise((r2) => setTimeout(r2, FRESH_POLL_MS));
    }
    await new Promise((r2) => setTimeout(r2, 20 + Math.random() * 30));
  }
  stop = true;
  await background;
  const bgEnd = performance.now();
  const bgRate = posted / ((bgEnd - bgStart) / 1000);
  log(`  background ingest achieved ${bgRate.toFixed(0)} requests/s; ${FRESH_SAMPLES} probes (POST 200 → visible in /v1/metrics/financing, polled every ~${FRESH_POLL_MS} ms + query time)`);
  log(`  freshness ${fmt(visible)}; polling query server-side ${fmt(serverPoll)}`);
  if (db) {
    // Where the time goes, from the stores' own clocks: outbox insert (pledge-loans' transaction)
    // → relay publish → metrics' fold transaction (inbox.applied_at = its start).
    const { rows } = await db.query<Record<string, string>>(`
      with p as (
        select o.created_at, o.published_at, i.applied_at
          from pledge_loans.outbox o join metrics.inbox i on i.consumer = 'metrics.loans' and i.ce_id = o.ce_id::text
         where o.payload::text like $1)
      select count(*)::text as n,
             round(percentile_cont(0.5) within group (order by extract(epoch from published_at - created_at) * 1000)::numeric, 1)::text as relay_p50,
             round(percentile_cont(0.99) within group (order by extract(epoch from published_at - created_at) * 1000)::numeric, 1)::text as relay_p99,
             round(percentile_cont(0.5) within group (order by extract(epoch from applied_at - published_at) * 1000)::numeric, 1)::text as consume_p50,
             round(percentile_cont(0.99) within group (order by extract(epoch from applied_at - published_at) * 1000)::numeric, 1)::text as consume_p99
        from p`, [`%${probeSub}%`]);
    log(`  breakdown over ${rows[0].n} probes: outbox → published p50 ${rows[0].relay_p50} / p99 ${rows[0].relay_p99} ms; published → metrics fold tx start p50 ${rows[0].consume_p50} / p99 ${rows[0].consume_p99} ms`);
    // Per probe on one clock: POST sent → pledge-loans tx start (created_at) → POST 200 (commit) →
    // relay's mark (published_at, after the broker's ack) → metrics fold tx start (applied_at) →
    // first poll that sees it (fold commit + polling).
    // With track_commit_timestamp on (a server setting; needs a restart), also the fold's commit:
    // pg_xact_commit_timestamp of the inbox row. (Not of the outbox row: the relay's mark updated it.)
    const commits = (await db.query<{ on: boolean }>(`select current_setting('track_commit_timestamp') = 'on' as on`)).rows[0].on;
    if (commits) {
      // Freshness exactly as the target words it, for every event of the measured window (the
      // background's and the probes'): the commit of pledge-loans' transaction (the loan row's, which
      // nothing updates afterwards) → the commit of metrics' fold (the inbox row's), both read from
      // the one server's commit timestamps. From that commit on, every metrics query sees the event;
      // the probe's `POST 200 → visible` above adds the POST's return and the poller's own delay.
      const exact = await db.query<{ ms: string }>(`
        select (extract(epoch from pg_xact_commit_timestamp(i.xmin) - pg_xact_commit_timestamp(l.xmin)) * 1000)::float8::text as ms
          from pledge_loans.loans l
          join pledge_loans.outbox o on o.payload->>'loanRef' = l.loan_ref and o.created_at >= to_timestamp($3 / 1000.0)
          join metrics.inbox i on i.consumer = 'metrics.loans' and i.ce_id = o.ce_id::text
         where l.bank = any($1::text[]) and l.loan_ref like $2
           and pg_xact_commit_timestamp(l.xmin) between to_timestamp($3 / 1000.0) and to_timestamp($4 / 1000.0)`,
      [[loadSub, probeSub], `FRESH-${run}-%`, wall(bgStart), wall(bgEnd)]);
      const xs = exact.rows.map((r) => Number(r.ms));
      if (xs.length > 0) log(`  freshness, domain commit → metrics fold commit (commit timestamps), ${xs.length} events: ${fmt(xs)}`);
    } else {
      log('  (track_commit_timestamp is off: `alter system set track_commit_timestamp = on` and a restart of PostgreSQL give the exact freshness of every event)');
    }
    const commitOf = (row: string): string => (commits ? `(extract(epoch from pg_xact_commit_timestamp(${row}.xmin)) * 1000)::float8::text` : 'null');
    const stamps = await db.query<{ loan_ref: string; created: string; published: string; applied: string; fold_commit: string | null }>(`
      select o.payload->>'loanRef' as loan_ref,
             (extract(epoch from o.created_at) * 1000)::float8::text as created,
             (extract(epoch from o.published_at) * 1000)::float8::text as published,
             (extract(epoch from i.applied_at) * 1000)::float8::text as applied,
             ${commitOf('i')} as fold_commit
        from pledge_loans.outbox o join metrics.inbox i on i.consumer = 'metrics.loans' and i.ce_id = o.ce_id::text
       where o.payload->>'loanRef' = any($1::text[])`, [probes.map((p) => p.loanRef)]);
    const byRef = new Map(stamps.rows.map((r) => [r.loan_ref, r]));
    const stages: Record<string, number[]> = {
      'POST sent → POST 200': [], 'tx start → POST 200': [], 'POST 200 → published_at': [],
      'published_at → fold tx start': [], 'fold tx start → visible': [],
      'fold tx start → fold commit': [], 'fold commit → visible': [], 'POST 200 → fold commit': [],
    };
    for (const p of probes) {
      const r = byRef.get(p.loanRef);
      if (!r) continue;
      const [created, published, applied] = [Number(r.created), Number(r.published), Number(r.applied)];
      stages['POST sent → POST 200'].push(p.committed - p.sent);
      stages['tx start → POST 200'].push(p.committed - created);
      stages['POST 200 → published_at'].push(published - p.committed);
      stages['published_at → fold tx start'].push(applied - published);
      stages['fold tx start → visible'].push(p.visible - applied);
      if (r.fold_commit !== null) {
        stages['fold tx start → fold commit'].push(Number(r.fold_commit) - applied);
        stages['fold commit → visible'].push(p.visible - Number(r.fold_commit));
        // From here on any query sees the event; what follows is the poller noticing it.
        stages['POST 200 → fold commit'].push(Number(r.fold_commit) - p.committed);
      }
    }
    log(`  per-probe stages (one wall clock, ${byRef.size} probes):`);
    for (const [name, xs] of Object.entries(stages)) if (xs.length > 0) log(`    ${name}: ${fmt(xs)}`);
  }
}

async function main(): Promise<void> {
  let stack: Stack | undefined;
  let baseUrl = process.env.IPFIN_BASE_URL;
  let dbUrl = process.env.BENCH_DATABASE_URL;
  if (!baseUrl) {
    log('starting the stack …');
    stack = await startStack({ log: () => undefined });
    baseUrl = stack.baseUrl;
    dbUrl = stack.infra.databaseUrl;
  }
  // BENCH_METRICS_URL / BENCH_LOANS_URL: the services themselves of a running stack, not its gateway.
  const metricsUrl = stack ? stack.serviceUrl('metrics') : process.env.BENCH_METRICS_URL ?? baseUrl;
  const loansUrl = stack ? stack.serviceUrl('pledge-loans') : process.env.BENCH_LOANS_URL ?? baseUrl;
  const db = dbUrl ? new Client({ connectionString: dbUrl }) : undefined;
  try {
    await db?.connect();
    const { execSync } = await import('node:child_process');
    log(`uptime: ${execSync('uptime').toString().trim()}`);
    // An `npm start` leaves the local cluster durable (fsync on); say which settings this run had.
    if (dbUrl) log(`PostgreSQL: ${Object.entries(await durability(dbUrl)).map(([k, v]) => `${k}=${v}`).join(', ')}`);
    if (PHASES.has('load')) {
      if (!db) throw new Error('BENCH_DATABASE_URL (superuser) is needed to load the projections');
      log(`loading the metrics projections (${LOANS} loans) …`);
      const stats = await loadProjections(db, SCHEMA, { loans: LOANS, log });
      const total = Object.values(stats.events).reduce((a, b) => a + b, 0);
      log(`loaded in ${stats.seconds.toFixed(0)} s: events ${JSON.stringify(stats.events)} = ${total}`);
      log(`rows ${JSON.stringify(stats.rows)}`);
    }
    for (let pass = 1; PHASES.has('query') && pass <= QUERY_PASSES; pass++) await queryPhase(metricsUrl, pass, db);
    if (PHASES.has('batch') && !PHASES.has('query') && db) await afterBatches(metricsUrl, db);
    if (PHASES.has('products') && !PHASES.has('query') && db) await productsTogether(metricsUrl, db);
    if (PHASES.has('explain') && db) await explainPhase(db);
    log(`uptime: ${execSync('uptime').toString().trim()}`);
    for (let i = 1; PHASES.has('fresh') && i <= FRESH_RUNS; i++) {
      if (FRESH_RUNS > 1) log(`\nfreshness run ${i} of ${FRESH_RUNS}`);
      await freshnessPhase(loansUrl, metricsUrl, db);
      log(`uptime: ${execSync('uptime').toString().trim()}`);
    }
  } finally {
    if (db && PHASES.has('load') && process.env.BENCH_KEEP_DATA !== '1') {
      await wipeProjections(db, SCHEMA);
      log('projections wiped (BENCH_KEEP_DATA=1 keeps them)');
    }
    await db?.end();
    await stack?.stop();
  }
}

main().catch((err: unknown) => { console.error(err); process.exit(1); });
