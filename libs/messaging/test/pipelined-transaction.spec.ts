import { randomBytes } from 'node:crypto';
import type { PoolClient } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import { pipelined, pipelinedTransaction } from '../src/core/transaction';

const schema = `msg_pipe_${randomBytes(4).toString('hex')}`;
// One connection: a transaction left open or aborted by a test would show in the next statement.
let db: DataSource;
// Another connection, to see only what is committed.
let observer: DataSource;

const insert = (id: number): { text: string; values: unknown[] } => ({
  text: `insert into ${schema}.t (id) values ($1) returning id`,
  values: [id],
});

async function committedIds(): Promise<number[]> {
  const rows: { id: number }[] = await observer.query(`select id from ${schema}.t order by id`);
  return rows.map((r) => r.id);
}

const codeOf = (error: unknown): string | undefined => ((error as QueryFailedError).driverError as { code?: string } | undefined)?.code;

beforeAll(async () => {
  const url = process.env.DATABASE_URL;
  if (url === undefined) throw new Error('DATABASE_URL is not set: run with -c jest.integration.config.js (its globalSetup starts PostgreSQL)');
  db = await new DataSource({ type: 'postgres', url, poolSize: 1 }).initialize();
  observer = await new DataSource({ type: 'postgres', url, poolSize: 1 }).initialize();
  await db.query(`create schema ${schema}`);
  await db.query(`create table ${schema}.t (id int primary key)`);
});

beforeEach(async () => {
  await db.query(`truncate ${schema}.t`);
});

afterAll(async () => {
  if (db?.isInitialized) {
    await db.query(`drop schema if exists ${schema} cascade`);
    await db.destroy();
  }
  if (observer?.isInitialized) await observer.destroy();
});

/** The connection is back in the pool outside any transaction: an autocommit insert is seen at once. */
async function expectConnectionClean(id: number): Promise<void> {
  await db.query(insert(id).text, insert(id).values);
  expect(await committedIds()).toContain(id);
}

describe('pipelinedTransaction on PostgreSQL', () => {
  it('runs the first statement, the work and the last statement in one transaction, committed together', async () => {
    const seenDuring: number[][] = [];
    const value = await pipelinedTransaction<{ id: number }, string>(db, insert(1), async (rows, manager, withCommit) => {
      expect(rows).toEqual([{ id: 1 }]);
      await manager.query(insert(2).text, insert(2).values);
      // Inside the transaction: the first statement's row is there, but nobody else sees it yet.
      expect((await manager.query(`select count(*)::int as n from ${schema}.t`))[0].n).toBe(2);
      seenDuring.push(await committedIds());
      withCommit(insert(3));
      return 'done';
    });
    expect(value).toBe('done');
    expect(seenDuring).toEqual([[]]);
    expect(await committedIds()).toEqual([1, 2, 3]);
    await expectConnectionClean(4);
  });

  it('commits without a last statement too', async () => {
    await pipelinedTransaction(db, insert(1), async (_rows, manager) => {
      await manager.query(insert(2).text, insert(2).values);
    });
    expect(await committedIds()).toEqual([1, 2]);
  });

  it('rolls everything back when the statement sent with the COMMIT fails, and throws its error', async () => {
    const error: unknown = await pipelinedTransaction(db, insert(1), async (_rows, manager, withCommit) => {
      await manager.query(insert(2).text, insert(2).values);
      withCommit(insert(1)); // duplicate key: the COMMIT behind it becomes a rollback
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect(codeOf(error)).toBe('23505');
    expect(await committedIds()).toEqual([]);
    await expectConnectionClean(5);
  });

  it('rolls back when the first statement fails, without running the work', async () => {
    await db.query(insert(1).text, insert(1).values);
    let ran = false;
    const error: unknown = await pipelinedTransaction(db, insert(1), async () => {
      ran = true;
    }).catch((e: unknown) => e);
    expect(codeOf(error)).toBe('23505');
    expect(ran).toBe(false);
    await expectConnectionClean(6);
    expect(await committedIds()).toEqual([1, 6]);
  });

  it('rolls back when the work throws, and throws the work\'s error', async () => {
    await expect(pipelinedTransaction(db, insert(1), async (_rows, manager) => {
      await manager.query(insert(2).text, insert(2).values);
      throw new Error('work failed');
    })).rejects.toThrow('work failed');
    expect(await committedIds()).toEqual([]);
    await expectConnectionClean(7);
  });

  it('takes one statement for the COMMIT only', async () => {
    await expect(pipelinedTransaction(db, insert(1), async (_rows, _manager, withCommit) => {
      withCommit(insert(2));
      withCommit(insert(3));
    })).rejects.toThrow('only one statement');
    expect(await committedIds()).toEqual([]);
  });

  it('sends the ahead reads behind the first statement, each after it in order, and hands their rows to the work', async () => {
    await db.query(insert(7).text, insert(7).values);
    const count = { text: `select count(*)::int as n from ${schema}.t` };
    const got = await pipelinedTransaction<{ id: number }, unknown[]>(db, insert(1), async (rows, manager, withCommit, ahead) => {
      expect(rows).toEqual([{ id: 1 }]);
      withCommit(insert(2));
      return [...ahead];
    }, [count, { text: `select id from ${schema}.t where id = any($1::int[]) order by id`, values: [[1, 7, 9]] }]);
    // Both reads ran after the first statement: they see its row.
    expect(got).toEqual([[{ n: 2 }], [{ id: 1 }, { id: 7 }]]);
    expect(await committedIds()).toEqual([1, 2, 7]);
    await expectConnectionClean(4);
  });

  it('rolls back and throws when an ahead read fails, without running the work', async () => {
    let ran = false;
    const error: unknown = await pipelinedTransaction(db, insert(1), async () => {
      ran = true;
    }, [{ text: 'select 1/0' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect(codeOf(error)).toBe('22012'); // division_by_zero
    expect(ran).toBe(false);
    expect(await committedIds()).toEqual([]);
    await expectConnectionClean(4);
  });

  it("keeps TypeORM inside the transaction: a nested manager.transaction is a savepoint, not a commit of its own", async () => {
    const error: unknown = await pipelinedTransaction(db, insert(1), async (_rows, manager, withCommit) => {
      await manager.transaction(async (nested) => {
        await nested.query(insert(2).text, insert(2).values);
      });
      withCommit(insert(2)); // fails: the nested insert was not committed on its own either
    }).catch((e: unknown) => e);
    expect(codeOf(error)).toBe('23505');
    expect(await committedIds()).toEqual([]);
  });
});

describe('pipelined', () => {
  it('answers each statement in order with its own outcome, a failure in the middle included', async () => {
    const runner = db.createQueryRunner();
    try {
      const client = (await runner.connect()) as PoolClient;
      const outcomes = await pipelined(client, [
        { text: `insert into ${schema}.t (id) values (1), (2)` },
        { text: `insert into ${schema}.t (id) values (2)` },
        { text: `select count(*)::int as n from ${schema}.t` },
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(outcomes[2].status === 'fulfilled' && outcomes[2].value.rows).toEqual([{ n: 2 }]);
      // Back to one query at a time: a plain query still works on the same connection.
      expect((await client.query('select 41 + 1 as n')).rows).toEqual([{ n: 42 }]);
    } finally {
      await runner.release();
    }
  });
});
