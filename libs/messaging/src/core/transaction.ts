import type { PoolClient, QueryConfig, QueryResult } from 'pg';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { preparedConfig, queryFailed, type Statement } from './prepared';

/**
 * Hands the transaction's last statement to `pipelinedTransaction`, which sends it together with
 * the `COMMIT`. Call it at most once, as the work's very last act: a query run after it would
 * run before the statement.
 */
export type SendWithCommit = (statement: Statement) => void;

/** The rows of the statements sent ahead with the transaction's first one, in their order. */
export type AheadRows = readonly Record<string, unknown>[][];

/**
 * One transaction in two round trips fewer than `dataSource.transaction`: `BEGIN` goes out together
 * with the transaction's first statement `first`, and `COMMIT` together with the last statement
 * `work` hands to `withCommit` (node-postgres pipelining: the second message is written before the
 * first one's answer arrives; the server still runs them one after the other).
 *
 * `ahead` are reads sent in that same round trip behind `first` (the server runs them in order, each
 * with its own snapshot, after `first`): statements whose values do not depend on `first`'s answer.
 * `work` gets their rows in their order.
 *
 * `work` gets `first`'s rows and an entity manager on the transaction's connection. Whatever
 * fails — `first`, `work`, the last statement, the `COMMIT` — rolls the whole transaction back and
 * throws (driver errors as TypeORM's `QueryFailedError`, with their codes). A failed last statement
 * leaves the transaction aborted, and PostgreSQL then answers the `COMMIT` pipelined behind it with
 * a rollback; that is checked, not assumed.
 */
export async function pipelinedTransaction<Row, T>(
  dataSource: DataSource,
  first: Statement,
  work: (firstRows: Row[], manager: EntityManager, withCommit: SendWithCommit, aheadRows: AheadRows) => Promise<T>,
  ahead: readonly Statement[] = [],
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  let open = false;
  try {
    const client = (await runner.connect()) as PoolClient;
    try {
      const [begin, firstResult, ...aheadResults] = await pipelined(client, [{ text: 'BEGIN' }, preparedConfig(first), ...ahead.map(preparedConfig)]);
      open = begin.status === 'fulfilled';
      const rows = outcome(firstResult, first).rows as Row[];
      const aheadRows = ahead.map((statement, i) => outcome(aheadResults[i], statement).rows as Record<string, unknown>[]);
      enterTransaction(runner);
      let last: Statement | undefined;
      const value = await work(rows, runner.manager, (statement) => {
        if (last !== undefined) throw new Error('pipelinedTransaction: only one statement can go with the COMMIT');
        last = statement;
      }, aheadRows);
      const sent = await pipelined(client, last === undefined ? [{ text: 'COMMIT' }] : [preparedConfig(last), { text: 'COMMIT' }]);
      open = false; // the COMMIT ended the transaction, committed or (after a failure) rolled back
      if (last !== undefined) outcome(sent[0], last);
      const commit = outcome(sent[sent.length - 1], { text: 'COMMIT' });
      if (commit.command !== 'COMMIT') throw new Error(`pipelinedTransaction: the server answered COMMIT with ${commit.command}`);
      return value;
    } catch (error) {
      if (open) await client.query('ROLLBACK').catch(() => undefined); // the original error is the one to report
      throw error;
    }
  } finally {
    leaveTransaction(runner);
    await runner.release();
  }
}

/**
 * Sends `configs` on `client` without waiting for each answer before writing the next, and
 * settles when every one is answered, each with its own outcome. A client without pipelining
 * (an older node-postgres) runs them one after the other instead, with the same outcomes.
 */
export async function pipelined(client: PoolClient, configs: QueryConfig[]): Promise<PromiseSettledResult<QueryResult>[]> {
  const pipelining = client as PoolClient & { pipeline?: boolean };
  if (typeof pipelining.pipeline !== 'boolean') {
    const out: PromiseSettledResult<QueryResult>[] = [];
    for (const config of configs) out.push(...(await Promise.allSettled([client.query(config)])));
    return out;
  }
  pipelining.pipeline = true;
  try {
    return await Promise.allSettled(configs.map((config) => client.query(config)));
  } finally {
    // Every query is answered by now (queues empty): the client is back to one query at a time.
    pipelining.pipeline = false;
  }
}

function outcome(settled: PromiseSettledResult<QueryResult> | undefined, statement: Statement): QueryResult {
  if (settled === undefined) throw new Error(`pipelinedTransaction: no answer to ${statement.text}`);
  if (settled.status === 'rejected') throw queryFailed(settled.reason, statement);
  return settled.value;
}

/**
 * The query runner's transaction state as TypeORM's own `startTransaction` leaves it, so code on
 * its manager behaves as in any transaction: it must not open one of its own (that would commit
 * ours); a nested `manager.transaction` becomes a savepoint.
 */
function enterTransaction(runner: QueryRunner): void {
  Object.assign(runner as TransactionState, { isTransactionActive: true, transactionDepth: 1 });
}

function leaveTransaction(runner: QueryRunner): void {
  Object.assign(runner as TransactionState, { isTransactionActive: false, transactionDepth: 0 });
}

/** The query runner's fields `startTransaction` and `commitTransaction` keep (TypeORM 0.3). */
type TransactionState = QueryRunner & { isTransactionActive: boolean; transactionDepth: number };
