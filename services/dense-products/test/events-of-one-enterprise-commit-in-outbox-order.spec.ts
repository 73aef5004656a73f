/**
 * Guarantee 3 for `ipfin.products.v1` (key: the enterprise's USCC). The relay publishes the outbox
 * in id order, and a transaction takes its ids when it enqueues, so per key id order must equal
 * commit order: every write of one enterprise serialises on the enterprise before it decides its
 * events. Each case holds one write (A) open right after it has enqueued (a test trigger on the
 * outbox waits for a gate the test holds), runs a second write (B) of the same enterprise that
 * shares no reward year or product row with A, takes the snapshot a relay would read at that
 * moment, then opens the gate. Without the enterprise lock B commits first with the higher id, so
 * the relay publishes B and then A, and a relay reading only after both committed would publish
 * A first: the key's order would depend on when the relay polls.
 */
import { ProductRepository } from '../src/products/product.repository';
import { startProductsApp, tokenFor, type ApiAnswer, type ProductsTestApp } from './support/products-app';
import { LONGHAI, ZHANGZHOU, enterprise, filing, invention, listed, minnanUniversity, transferred } from './support/zhangzhou';
import type { QueryRunner } from 'typeorm';

let app: ProductsTestApp;
let gate: QueryRunner;

const longhaiValves = enterprise(501, LONGHAI, '漳州龙海精密阀门有限公司');
const patent = invention(1_500_001);
const regulator = tokenFor('regulator', 'zz-ip-office', ZHANGZHOU);
const entToken = tokenFor('enterprise', `ent-${longhaiValves.uscc}`, longhaiValves.regionCode, longhaiValves.uscc);

const GATE_KEY = "hashtext(current_schema() || '.test-gate'), 0";

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, probe: () => Promise<T>, done: (v: T) => boolean, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (done(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await pause(10);
  }
}

/** Backends waiting for a lock `pid` holds. */
const blockedBy = async (pid: number): Promise<number[]> =>
  (
    await app.db.dataSource.query<{ pid: number }[]>(
      'select pid from pg_stat_activity where $1 = any(pg_blocking_pids(pid))',
      [pid],
    )
  ).map((r) => r.pid);

/** The enterprise's outbox rows a relay could read now, in id order, labelled `id type product-name`. */
async function visibleEvents(): Promise<string[]> {
  const rows = await app.db.dataSource.query<{ label: string }[]>(
    `select o.id || ' ' || o.ce_type || ' ' || p.name as label
       from outbox o join products p on p.id = (o.payload->>'productId')::uuid
      where o.key = $1 order by o.id`,
    [longhaiValves.uscc],
  );
  return rows.map((r) => r.label.replace(/ipfin\.products\.(\w+)\.v1/, '$1'));
}

const file = (name: string) =>
  app.call('POST', '/v1/products', { token: entToken, body: filing(name, [patent], '2024-03-01') });
const recognise = (id: string, recognisedOn: string) =>
  app.call('POST', `/v1/products/${id}/recognise`, {
    token: regulator,
    body: { recognisedOn, certificateNo: `ZLMJ-${id}` },
  });
const reject = (id: string) =>
  app.call('POST', `/v1/products/${id}/reject`, {
    token: regulator,
    body: { rejectedOn: '2025-02-10', reason: '专利与产品关联度不足' },
  });
const withdraw = (id: string) =>
  app.call('POST', `/v1/products/${id}/recognition-withdrawals`, {
    token: regulator,
    body: { withdrawnOn: '2025-02-20', reason: '认定证书被国家知识产权局撤销' },
  });

/**
 * Runs A, holds it at the gate after its outbox insert, runs B until it commits or waits for A,
 * and returns the order a relay polling then would publish the enterprise's events in, and their
 * id order once both committed.
 */
async function race(
  marker: string,
  a: () => Promise<ApiAnswer>,
  b: () => Promise<ApiAnswer>,
): Promise<{ published: string[]; idOrder: string[]; bWaitedForA: boolean }> {
  await app.db.dataSource.query('insert into test_gate (marker) values ($1)', [marker]);
  await gate.query(`select pg_advisory_lock(${GATE_KEY})`);
  const [{ pid: gatePid }] = await gate.query('select pg_backend_pid() as pid');
  let opened = false;
  const open = async () => {
    if (opened) return;
    opened = true;
    await gate.query(`select pg_advisory_unlock(${GATE_KEY})`);
  };
  try {
    const runningA = a();
    const [aPid] = await waitFor('A to enqueue and wait at the gate', () => blockedBy(gatePid), (p) => p.length === 1);
    let bDone = false;
    const runningB = b().finally(() => (bDone = true));
    const waiting = await waitFor(
      'B to commit or to wait for A',
      async () => (bDone ? [] : blockedBy(aPid)),
      (p) => bDone || p.length > 0,
    );
    const bWaitedForA = !bDone && waiting.length > 0;
    const atThatMoment = await visibleEvents();
    await open();
    const [answerA, answerB] = await Promise.all([runningA, runningB]);
    expect(answerA.status).toBeLessThan(300);
    expect(answerB.status).toBeLessThan(300);
    const idOrder = await visibleEvents();
    // The relay publishes what it read then in id order, and everything committing later after it.
    const later = idOrder.filter((e) => !atThatMoment.includes(e));
    return { published: [...atThatMoment, ...later], idOrder, bWaitedForA };
  } finally {
    await open();
    await app.db.dataSource.query('delete from test_gate');
  }
}

beforeAll(async () => {
  app = await startProductsApp('products_order_it', '2025-03-01T10:00:00+08:00');
  await app.db.dataSource.query('create table test_gate (marker text primary key)');
  await app.db.dataSource.query(`
    create function test_gate() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from added a join test_gate g on g.marker in (a.ce_subject, a.payload->>'name')) then
        perform pg_advisory_xact_lock_shared(${GATE_KEY});
      end if;
      return null;
    end $$`);
  await app.db.dataSource.query(`
    create trigger test_gate after insert on outbox referencing new table as added
      for each statement execute function test_gate()`);
  gate = app.db.dataSource.createQueryRunner();
  await gate.connect();
  await app.feed(listed(patent), transferred(patent, minnanUniversity, longhaiValves, '2024-01-05'));
});

afterAll(async () => {
  await gate?.release();
  await app?.close();
});

describe('the events of one enterprise', () => {
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    for (const name of ['阀门一号', '阀门二号', '阀门三号', '阀门四号']) {
      const res = await file(name);
      expect(res.status).toBe(201);
      ids[name] = res.body.id as string;
    }
  });

  it.each([
    {
      race: 'a filing and a rejection of another product',
      a: { marker: '阀门五号', run: () => file('阀门五号') },
      b: () => reject(ids['阀门一号']),
    },
    {
      race: 'recognitions of two products in different reward years',
      a: { marker: '阀门二号', run: () => recognise(ids['阀门二号'], '2024-06-01') },
      b: () => recognise(ids['阀门三号'], '2025-02-01'),
    },
    {
      race: 'a withdrawal (with its reward adjustment) and a filing',
      a: { marker: '阀门二号', run: () => withdraw(ids['阀门二号']) },
      b: () => file('阀门六号'),
    },
    {
      race: 'a rejection and a withdrawal of another year',
      a: { marker: '阀门四号', run: () => reject(ids['阀门四号']) },
      b: () => withdraw(ids['阀门三号']),
    },
  ])('reach the outbox in commit order: $race', async ({ a, b }) => {
    const marker = a.marker in ids ? ids[a.marker] : a.marker;
    const { published, idOrder, bWaitedForA } = await race(marker, a.run, b);

    expect(published).toEqual(idOrder);
    expect(bWaitedForA).toBe(true);
  });
});

describe('the enterprise lock', () => {
  it('locks several enterprises in one statement, each once, in key order (no deadlock between two writers)', async () => {
    const repository = new ProductRepository();
    const others = [enterprise(502, LONGHAI).uscc, enterprise(503, LONGHAI).uscc];
    const lockBoth = (order: string[]) =>
      app.db.dataSource.transaction(async (m) => {
        await repository.lockEnterprises(m, [...order, order[0]]);
        const [{ n }] = await m.query<{ n: number }[]>(
          `select count(*)::int as n from pg_locks where locktype = 'advisory' and granted and pid = pg_backend_pid()
              and classid::int = hashtext(current_schema() || '.products.enterprise')`,
        );
        await pause(50);
        return n;
      });

    // Opposite orders at once (4 writers: the test data source has 5 connections, one is the gate's).
    const held = await Promise.all([others, [...others].reverse(), others, [...others].reverse()].map(lockBoth));

    expect(held).toEqual([2, 2, 2, 2]);
  });
});
