/**
 * Patent-registry benchmark (issue 5): loads N realistic listings with Chinese titles through the
 * batch API (POST /v1/patents, 1000 per request) into its own schema on the real PostgreSQL,
 * reports rows/s, then measures the public search (GET /v1/patents) over HTTP: p50/p95/p99 per
 * typical query. Run on demand, not part of `npm test`:
 *
 *   npm run bench:patents                              # 1 000 000 listings
 *   BENCH_PATENTS=200000 npm run bench:patents         # smaller
 *   BENCH_KEEP=true … / BENCH_REUSE=true …             # keep the loaded schema / query it again without loading
 *
 * Knobs: BENCH_PATENTS (1000000), BENCH_LOAD_CONCURRENCY (2), BENCH_QUERIES (200 per kind),
 * BENCH_SCHEMA (patents_bench), BENCH_EXPLAIN=true prints the plans of the two-character search.
 * Uses DATABASE_URL when set, else starts (or reuses) the embedded PostgreSQL like `npm start`.
 */
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { PinoLoggerService, ServicePlatformModule, configureApp, signLocalToken, ServiceExpressAdapter } from '@ipfin/http';
import { makeUscc } from '@ipfin/kernel';
import { startInfra, type Infra } from '@ipfin/testing';
import type { DataSource } from 'typeorm';
import { PatentRegistryEnv } from '../../services/patent-registry/src/config';
import { createDataSource } from '../../services/patent-registry/src/database/data-source';
import { PatentsModule } from '../../services/patent-registry/src/patents/patents.module';
import { QUERY_TERMS, generateListing } from './generator';

const TOTAL = Number(process.env.BENCH_PATENTS ?? 1_000_000);
const CONCURRENCY = Number(process.env.BENCH_LOAD_CONCURRENCY ?? 2);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
const SCHEMA = process.env.BENCH_SCHEMA ?? 'patents_bench';
const KEEP = process.env.BENCH_KEEP === 'true';
const REUSE = process.env.BENCH_REUSE === 'true';
const EXPLAIN = process.env.BENCH_EXPLAIN === 'true';
const BATCH = 1000;
const SECRET = 'patent-bench-secret-0123456789';
const UNIVERSITIES = 40;

const university = (i: number) => ({ sub: `univ-bench-${String(i).padStart(2, '0')}`, uscc: makeUscc(`1235060048${String(i).padStart(7, '0')}`) });
const tokens = Array.from({ length: UNIVERSITIES }, (_, i) => {
  const u = university(i);
  return signLocalToken({ sub: u.sub, role: 'university', region: '350600', uscc: u.uscc }, SECRET, '12h');
});

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

@Module({})
class BenchAppModule {
  static forRoot(env: PatentRegistryEnv): DynamicModule {
    return { module: BenchAppModule, imports: [ServicePlatformModule.forRoot({ name: 'patent-registry', env, relay: false, poolSize: 8 }), PatentsModule] };
  }
}

async function startApp(databaseUrl: string, brokers: string[]): Promise<{ url: string; close: () => Promise<void> }> {
  const env = Object.assign(new PatentRegistryEnv(), {
    PORT: 1, DATABASE_URL: databaseUrl, DATABASE_SCHEMA: SCHEMA, KAFKA_BROKERS: brokers.join(','), AUTH_JWT_SECRET: SECRET, LOG_LEVEL: 'silent',
  });
  const app = await NestFactory.create<NestExpressApplication>(BenchAppModule.forRoot(env), new ServiceExpressAdapter(), { logger: false });
  configureApp(app, { serviceName: 'patent-registry-bench', logger: new PinoLoggerService({ service: 'bench', level: 'silent' }), auth: { secret: SECRET } });
  await app.listen(0, '127.0.0.1');
  return { url: (await app.getUrl()).replace('[::1]', '127.0.0.1'), close: () => app.close() };
}

async function prepareSchema(ds: DataSource): Promise<number> {
  if (REUSE) {
    const rows = await ds.query<{ n: number }[]>('select count(*)::int as n from patents');
    return rows[0].n;
  }
  await ds.query(`drop schema if exists "${SCHEMA}" cascade`);
  await ds.query(`create schema "${SCHEMA}"`);
  await ds.runMigrations({ transaction: 'each' });
  return 0;
}

async function load(url: string): Promise<void> {
  const batches = Math.ceil(TOTAL / BATCH);
  let next = 0;
  let loaded = 0;
  let reported = 0;
  const t0 = performance.now();
  const latencies: number[] = [];
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    for (let b = next++; b < batches; b = next++) {
      const items = Array.from({ length: Math.min(BATCH, TOTAL - b * BATCH) }, (_, i) => generateListing(b * BATCH + i));
      const s = performance.now();
      const res = await fetch(`${url}/v1/patents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens[b % UNIVERSITIES]}`, 'content-type': 'application/json' },
        body: JSON.stringify(items),
      });
      const body = (await res.json()) as { results?: { status: string }[] };
      latencies.push(performance.now() - s);
      const listed = (body.results ?? []).filter((r) => r.status === 'listed').length;
      if (res.status !== 200 || listed !== items.length) throw new Error(`batch ${b}: HTTP ${res.status}, ${listed}/${items.length} listed: ${JSON.stringify(body).slice(0, 300)}`);
      loaded += listed;
      if (loaded - reported >= 100_000) {
        reported = loaded;
        const s2 = (performance.now() - t0) / 1000;
        log(`  loaded ${loaded} in ${s2.toFixed(0)} s (${(loaded / s2).toFixed(0)} rows/s)`);
      }
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  log(`load: ${loaded} listings through POST /v1/patents (batches of ${BATCH}, concurrency ${CONCURRENCY}) in ${seconds.toFixed(1)} s = ${(loaded / seconds).toFixed(0)} rows/s; batch p50 ${pct(latencies, 50).toFixed(0)} ms, p95 ${pct(latencies, 95).toFixed(0)} ms`);
}

interface QueryKind {
  name: string;
  paths: () => Promise<string[]>;
}

async function measure(url: string, kind: QueryKind): Promise<void> {
  const paths = await kind.paths();
  const run = async (path: string): Promise<{ ms: number; items: number }> => {
    const s = performance.now();
    const res = await fetch(`${url}${path}`);
    const body = (await res.json()) as { items?: unknown[] };
    const ms = performance.now() - s;
    if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
    return { ms, items: Array.isArray(body.items) ? body.items.length : 1 };
  };
  for (let i = 0; i < Math.min(20, paths.length * 2); i++) await run(paths[i % paths.length]);
  const times: number[] = [];
  let items = 0;
  for (let i = 0; i < QUERIES; i++) {
    const r = await run(paths[i % paths.length]);
    times.push(r.ms);
    items += r.items;
  }
  times.sort((a, b) => a - b);
  log(`| ${kind.name} | ${pct(times, 50).toFixed(1)} | ${pct(times, 95).toFixed(1)} | ${pct(times, 99).toFixed(1)} | ${times[times.length - 1].toFixed(1)} | ${(items / QUERIES).toFixed(0)} |`);
}

async function main(): Promise<void> {
  const infra: Infra = await startInfra({ log: () => undefined });
  const ds = createDataSource({ url: infra.databaseUrl, schema: SCHEMA });
  await ds.initialize();
  let app: { url: string; close: () => Promise<void> } | undefined;
  try {
    const existing = await prepareSchema(ds);
    app = await startApp(infra.databaseUrl, infra.kafkaBrokers);
    const { url } = app;
    log(`patent-registry benchmark: ${REUSE ? `${existing} listings already loaded` : `${TOTAL} listings`} in schema ${SCHEMA}, PostgreSQL ${infra.mode}`);
    if (!REUSE) await load(url);
    const a0 = performance.now();
    await ds.query('vacuum (analyze) patents');
    log(`vacuum analyze: ${((performance.now() - a0) / 1000).toFixed(1)} s`);
    const sizes = await ds.query<{ name: string; size: string }[]>(
      `select c.relname as name, pg_size_pretty(pg_total_relation_size(c.oid)) as size from pg_class c
        join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relname like 'patents%' order by pg_total_relation_size(c.oid) desc`,
      [SCHEMA],
    );
    log(`sizes: ${sizes.map((s) => `${s.name} ${s.size}`).join(', ')}`);

    const count = (await ds.query<{ n: number }[]>('select count(*)::int as n from patents'))[0].n;
    const sample = async (n: number): Promise<{ number: string; title: string; owner_sub: string }[]> =>
      ds.query<{ number: string; title: string; owner_sub: string }[]>('select number, title, owner_sub from patents tablesample system (1) limit $1', [n]);
    const q = (text: string, more = ''): string => `/v1/patents?q=${encodeURIComponent(text)}${more}`;
    const secondPage = async (text: string): Promise<string> => {
      const first = (await (await fetch(`${url}${q(text)}`)).json()) as { nextCursor: string | null };
      return first.nextCursor === null ? q(text) : q(text, `&cursor=${first.nextCursor}`);
    };
    const kinds: QueryKind[] = [
      { name: 'two-character term (`q=光伏`)', paths: async () => QUERY_TERMS.twoCharacter.map((t) => q(t)) },
      { name: 'longer term, 3-5 characters (`q=石墨烯`)', paths: async () => QUERY_TERMS.longer.map((t) => q(t)) },
      { name: 'two terms (`q=光伏 逆变器`)', paths: async () => QUERY_TERMS.twoTerms.map((t) => q(t)) },
      { name: 'exact title', paths: async () => (await sample(50)).map((r) => q(r.title)) },
      { name: 'Latin word (`q=led`, `mems`, `5g`)', paths: async () => QUERY_TERMS.latin.map((t) => q(t)) },
      { name: 'term found only in abstracts (`q=散热片`)', paths: async () => QUERY_TERMS.abstractOnly.map((t) => q(t)) },
      { name: 'two-character term + kind + grade', paths: async () => QUERY_TERMS.twoCharacter.map((t) => q(t, '&kind=invention&grade=A')) },
      { name: 'longer term + available=true', paths: async () => QUERY_TERMS.longer.map((t) => q(t, '&available=true')) },
      { name: 'two-character term + ipc prefix', paths: async () => QUERY_TERMS.twoCharacter.map((t) => q(t, '&ipc=H01L')) },
      { name: 'second page of a two-character term', paths: async () => Promise.all(QUERY_TERMS.twoCharacter.map(secondPage)) },
      { name: 'no text: ipc prefix + grade', paths: async () => ['H01L', 'C01B32', 'G06N', 'A23F', 'B25J9/16'].map((ipc) => `/v1/patents?ipc=${encodeURIComponent(ipc)}&grade=A`) },
      { name: 'no text: owner', paths: async () => [...new Set((await sample(20)).map((r) => r.owner_sub))].map((o) => `/v1/patents?owner=${o}`) },
      { name: 'GET /v1/patents/{number}', paths: async () => (await sample(50)).map((r) => `/v1/patents/${r.number}`) },
    ];
    log(`\nsearch latency over HTTP, ${QUERIES} sequential requests per kind, limit 50 (default), ${count} listings:\n`);
    log('| query | p50 ms | p95 ms | p99 ms | max ms | avg items |');
    log('|---|---|---|---|---|---|');
    for (const kind of kinds) await measure(url, kind);

    if (EXPLAIN) {
      const search = await import('../../services/patent-registry/src/patents/patent-search');
      const { planSearchQuery } = await import('../../services/patent-registry/src/patents/domain');
      const window = search.probeWindow(51, count);
      for (const text of ['光伏', '转换效率']) {
        const criteria = { plan: planSearchQuery(text), limit: 50 };
        for (const [label, sql] of [
          [`tier 2 probe (window ${window})`, search.probeQuery(criteria, 2, '2024-10-01', 51, window)],
          ['tier 2 bitmap', search.bitmapQuery(criteria, 2, '2024-10-01', 51)],
          [`tier 1 probe (window ${window})`, search.probeQuery(criteria, 1, '2024-10-01', 51, window)],
          ['tier 1 bitmap', search.bitmapQuery(criteria, 1, '2024-10-01', 51)],
        ] as const) {
          const plan = await ds.transaction(async (m) => {
            if (label.includes('bitmap')) await m.query("select set_config('enable_indexscan', 'off', true), set_config('enable_indexonlyscan', 'off', true), set_config('enable_seqscan', 'off', true)");
            return m.query<{ 'QUERY PLAN': string }[]>(`explain (analyze, buffers, costs off) ${sql.text}`, sql.params);
          });
          log(`\nq=${text}, ${label}:\n${plan.map((p) => p['QUERY PLAN']).join('\n')}`);
        }
      }
    }
  } finally {
    await app?.close();
    if (!KEEP && !REUSE) await ds.query(`drop schema if exists "${SCHEMA}" cascade`);
    await ds.destroy();
    await infra.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
