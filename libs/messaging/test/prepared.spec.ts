import { randomBytes } from 'node:crypto';
import { DataSource, QueryFailedError } from 'typeorm';
import { MAX_PREPARED_STATEMENTS, preparedName, preparedQuery } from '../src/core/prepared';

const schema = `msg_prep_${randomBytes(4).toString('hex')}`;
let dataSource: DataSource;

beforeAll(async () => {
  const url = process.env.DATABASE_URL;
  if (url === undefined) throw new Error('DATABASE_URL is not set: run with -c jest.integration.config.js (its globalSetup starts PostgreSQL)');
  dataSource = new DataSource({ type: 'postgres', url, poolSize: 2 });
  await dataSource.initialize();
  await dataSource.query(`create schema ${schema}`);
  await dataSource.query(`create table ${schema}.t (id int primary key, label text not null)`);
});

afterAll(async () => {
  if (dataSource?.isInitialized) {
    await dataSource.query(`drop schema if exists ${schema} cascade`);
    await dataSource.destroy();
  }
});

describe('preparedQuery on PostgreSQL', () => {
  const insert = `insert into ${schema}.t (id, label) select * from unnest($1::int[], $2::text[]) returning id, label`;
  const select = `select id, label from ${schema}.t where id = any($1::int[]) order by id`;

  it('returns the rows manager.query returns, from the pool and from a transaction', async () => {
    expect(await preparedQuery(dataSource, insert, [[1, 2], ['一', 'two']])).toEqual([{ id: 1, label: '一' }, { id: 2, label: 'two' }]);
    expect(await preparedQuery(dataSource, select, [[2, 1, 9]])).toEqual(await dataSource.query(select, [[2, 1, 9]]));
    expect(await preparedQuery(dataSource.manager, select, [[1]])).toEqual([{ id: 1, label: '一' }]);
  });

  it("runs on the transaction's connection as a named statement, and rolls back with it", async () => {
    await expect(dataSource.transaction(async (manager) => {
      await preparedQuery(manager, insert, [[10], ['ten']]);
      // Same connection: sees its own uncommitted row, and holds the statement under its name.
      expect(await preparedQuery(manager, select, [[10]])).toEqual([{ id: 10, label: 'ten' }]);
      const prepared: { name: string }[] = await manager.query('select name from pg_prepared_statements');
      expect(prepared.map((p) => p.name)).toEqual(expect.arrayContaining([preparedName(insert), preparedName(select)]));
      throw new Error('roll back');
    })).rejects.toThrow('roll back');
    expect(await preparedQuery(dataSource, select, [[10]])).toEqual([]);
  });

  it("fails as TypeORM's QueryFailedError with the server's code, and changes nothing", async () => {
    const error: unknown = await preparedQuery(dataSource, insert, [[3, 3], ['a', 'b']]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect(((error as QueryFailedError).driverError as { code?: string }).code).toBe('23505');
    expect(await preparedQuery(dataSource, select, [[3]])).toEqual([]);
  });

  it('names each text once, and runs texts beyond the budget unnamed', async () => {
    expect(preparedName(select)).toBe(preparedName(select));
    expect(preparedName(select)).not.toBe(preparedName(insert));
    for (let i = 0; preparedName(`select ${i}::int as n`) !== undefined; i++) expect(i).toBeLessThan(MAX_PREPARED_STATEMENTS);
    const beyond = `select $1::int + 1 as n /* ${randomBytes(4).toString('hex')} */`;
    expect(preparedName(beyond)).toBeUndefined();
    expect(await preparedQuery(dataSource, beyond, [41])).toEqual([{ n: 42 }]);
    expect(preparedName(select)).toBeDefined();
  });
});
