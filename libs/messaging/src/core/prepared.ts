import { createHash } from 'node:crypto';
import type { Pool, PoolClient, QueryConfig, QueryResult } from 'pg';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';

/**
 * At most this many distinct statement texts get a server-side prepared statement (per process,
 * and so per connection); texts beyond it run unnamed. Hot paths use a few dozen shapes.
 */
export const MAX_PREPARED_STATEMENTS = 256;

const names = new Map<string, string>();

/** The prepared statement's name for `text`, or undefined once the budget is spent. */
export function preparedName(text: string): string | undefined {
  const known = names.get(text);
  if (known !== undefined || names.size >= MAX_PREPARED_STATEMENTS) return known;
  const name = `ipfin_${createHash('sha1').update(text).digest('base64url')}`;
  names.set(text, name);
  return name;
}

/** A statement with its values, as one part of the code hands it to another to run. */
export interface Statement {
  text: string;
  values?: unknown[];
}

/** `statement` as node-postgres runs it: named (prepared) while the budget lasts, else unnamed. */
export function preparedConfig({ text, values = [] }: Statement): QueryConfig {
  const name = preparedName(text);
  return name === undefined ? { text, values } : { name, text, values };
}

/** A driver error as TypeORM's `QueryFailedError` (its `code` and the rest kept), as `manager.query` throws it. */
export function queryFailed(error: unknown, { text, values = [] }: Statement): QueryFailedError {
  return error instanceof QueryFailedError ? (error as QueryFailedError) : new QueryFailedError(text, values, error as Error);
}

/**
 * Runs `text` as a named prepared statement on the connection behind `on` (the transaction's
 * connection for a transactional manager, else one from the pool) and returns its rows.
 *
 * The first run on a connection parses it; later runs only bind and execute, and PostgreSQL
 * plans it once it has seen that a generic plan costs no more than a custom one. For the
 * metrics reports and folds, whose statements are long but cheap to execute, that is half or
 * more of their time (docs/benchmarks.md). The statement text must not embed values: they go in
 * `values`, so one shape is one statement. Failures are TypeORM's `QueryFailedError`, as from
 * `manager.query`.
 */
export async function preparedQuery<T = Record<string, unknown>>(on: EntityManager | DataSource, text: string, values: unknown[] = []): Promise<T[]> {
  let result: QueryResult;
  try {
    result = await (await connectionOf(on)).query(preparedConfig({ text, values }));
  } catch (error: unknown) {
    throw queryFailed(error, { text, values });
  }
  return result.rows as T[];
}

async function connectionOf(on: EntityManager | DataSource): Promise<Pick<PoolClient, 'query'>> {
  if (on instanceof DataSource) return poolOf(on);
  const runner = on.queryRunner;
  if (runner === undefined) return poolOf(on.connection);
  if (runner.isReleased) throw new Error('preparedQuery: the query runner is released');
  return (await runner.connect()) as PoolClient;
}

function poolOf(dataSource: DataSource): Pool {
  if (dataSource.driver.options.type !== 'postgres') throw new Error('preparedQuery needs a PostgreSQL data source');
  return (dataSource.driver as unknown as { master: Pool }).master;
}
