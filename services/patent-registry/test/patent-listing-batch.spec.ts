/**
 * `POST /v1/patents` on real PostgreSQL: a result per item in request order, re-listing by the
 * owner updates, another owner is refused, two institutions racing for a new number cannot both
 * own it, and a batch of 1000 is one transaction of a handful of statements with one outbox row
 * per listing.
 */
import { migratedTestSchema, type TestSchema } from '@ipfin/testing';
import { DataSource, type Logger as TypeOrmLogger } from 'typeorm';
import { createDataSource } from '../src/database/data-source';
import { invention, listing, minnan, servicesOn, testClock, utilityModel, vocational, type Services } from './support';

let db: TestSchema;
let services: Services;
let counted: DataSource;
let statements: string[] = [];
const clock = testClock();

beforeAll(async () => {
  db = await migratedTestSchema(createDataSource, 'patents_batch');
  services = servicesOn(db.dataSource, db.schema, clock);
  const logger: TypeOrmLogger = {
    logQuery: (q) => { statements.push(q); },
    logQueryError: () => undefined, logQuerySlow: () => undefined, logSchemaBuild: () => undefined, logMigration: () => undefined, log: () => undefined,
  };
  counted = new DataSource({ ...(db.dataSource.options as object), logging: ['query'], logger } as DataSource['options']);
  await counted.initialize();
});

afterAll(async () => {
  await counted?.destroy();
  await db?.drop();
});

describe('listing batches', () => {
  it('answers per item, in order: listed, updated, unchanged, rejected with a named problem', async () => {
    const a = invention(5001);
    const b = utilityModel(5002);
    const res = await services.listings.post(minnan, [
      listing(a, '一种光伏组件', { grade: 'B' }),
      listing(`ZL${b}`, '一种茶叶烘干装置'),
      { ...listing(invention(5003), '型号错误'), kind: 'design' },
      { ...listing('202310000001.0', '校验位错误') },
      listing(a, '一种光伏组件', { grade: 'A' }),
      listing(a, '一种光伏组件', { grade: 'A' }),
      'not an object',
    ]);
    expect(res.results.map((r) => [r.index, r.number, r.status])).toEqual([
      [0, a, 'listed'], [1, b, 'listed'], [2, invention(5003), 'rejected'], [3, '202310000001.0', 'rejected'],
      [4, a, 'updated'], [5, a, 'unchanged'], [6, null, 'rejected'],
    ]);
    expect(res.results[2].problem).toMatchObject({ status: 400, errors: [{ field: '[2].kind' }] });
    expect(res.results[3].problem).toMatchObject({ status: 400, errors: [{ field: '[3].number' }] });
    const stored: { grade: string }[] = await db.dataSource.query('select grade from patents where number = $1', [a]);
    expect(stored).toEqual([{ grade: 'A' }]);
    const events: { n: string }[] = await db.dataSource.query("select count(*)::text as n from outbox where ce_type = 'ipfin.patents.PatentListed.v1'");
    expect(events[0].n).toBe('3');
  });

  it('refuses another owner with 409 patent-owned-by-another, without touching the listing', async () => {
    const a = invention(5001);
    const res = await services.listings.post(vocational, [listing(a, '抢注'), listing(invention(5004), '一种茶叶杀青机')]);
    expect(res.results.map((r) => r.status)).toEqual(['rejected', 'listed']);
    expect(res.results[0].problem).toMatchObject({ status: 409, type: 'https://ipfin.dev/problems/patent-owned-by-another' });
    expect((await services.queries.get(a)).owner.sub).toBe(minnan.sub);
  });

  it('refuses an empty or oversized body as a whole', async () => {
    await expect(services.listings.post(minnan, [])).rejects.toMatchObject({ kind: 'validation' });
    await expect(services.listings.post(minnan, Array.from({ length: 1001 }, (_, i) => listing(invention(6000 + i), 'x')))).rejects.toMatchObject({ kind: 'validation' });
    await expect(services.listings.post(minnan, { number: invention(1) })).rejects.toMatchObject({ kind: 'validation' });
  });

  it('lets only one of two institutions racing for a new number own it', async () => {
    const contested = invention(5005);
    const [first, second] = await Promise.all([
      servicesOn(db.dataSource, db.schema, clock).listings.post(minnan, [listing(contested, '一种锂电池')]),
      servicesOn(db.dataSource, db.schema, clock).listings.post(vocational, [listing(contested, '一种锂电池')]),
    ]);
    const outcomes = [first.results[0].status, second.results[0].status].sort();
    expect(outcomes).toEqual(['listed', 'rejected']);
  });

  it('stores 1000 listings in one transaction of a handful of statements, one outbox row each', async () => {
    const batch = Array.from({ length: 1000 }, (_, i) => listing(invention(100_000 + i), `一种光伏组件的封装方法${i}`, { abstract: '本发明涉及光伏领域。', keywords: ['光伏', '封装'] }));
    statements = [];
    const res = await servicesOn(counted, db.schema, clock).listings.post(minnan, batch);
    expect(res.results.every((r) => r.status === 'listed')).toBe(true);
    const sql = statements.filter((q) => !/^(START TRANSACTION|COMMIT|SET TRANSACTION)/i.test(q));
    expect(sql.length).toBeLessThanOrEqual(5);
    const rows: { n: string }[] = await db.dataSource.query("select count(*)::text as n from outbox where key like '202310100%'");
    expect(rows[0].n).toBe('1000');

    // The same batch again changes nothing and publishes nothing.
    const again = await services.listings.post(minnan, batch);
    expect(again.results.every((r) => r.status === 'unchanged')).toBe(true);
    expect((await db.dataSource.query("select count(*)::text as n from outbox where key like '202310100%'"))[0].n).toBe('1000');
  });
});
