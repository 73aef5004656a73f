import { preparedQuery, type SendWithCommit, type Statement } from '@ipfin/messaging';
import type { EntityManager } from 'typeorm';

/**
 * The writes of one fold, sent as ONE statement of data-modifying CTEs
 * (`with w0 as (insert …), w1 as (…) select`), and then the few deletes that must see those
 * writes, each on its own. A fold's time from its first statement to its commit is mostly round
 * trips between two busy processes, not SQL, so the number of statements is what to keep small.
 *
 * Rules for the parts: each writes a table no other part of the batch writes (a statement must
 * not change a row twice, and its parts all see the snapshot of its start); values go in as
 * parameters (`param`), so a batch's text depends only on which parts it has and stays one
 * prepared statement per shape; parts come in the order the folds add them, so concurrent
 * batches take their row locks alike.
 */
export class WriteBatch {
  private readonly params: unknown[] = [];
  private readonly parts: string[] = [];
  private readonly afterwards: { sql: string; params: unknown[] }[] = [];

  /** The placeholder of `value` in the batch's statement. */
  param(value: unknown): string {
    return `$${this.params.push(value)}`;
  }

  /** Adds a CTE (a write, or rows later parts read) and returns its name. */
  add(sql: string): string {
    const name = `w${this.parts.length}`;
    this.parts.push(`${name} as (${sql})`);
    return name;
  }

  /**
   * A statement of its own, run after the batch's (a delete of rows the batch moved to zero).
   * (Not named `then`: that would make a batch a thenable, which `await` would call.)
   */
  runAfter(sql: string, params: unknown[]): void {
    this.afterwards.push({ sql, params });
  }

  /**
   * Runs the batch's statements in `manager`'s transaction. With `withCommit` (the consumer's), the
   * last one is handed to it instead, to go out together with the COMMIT.
   */
  async run(manager: EntityManager, withCommit?: SendWithCommit): Promise<void> {
    const statements: Statement[] = [
      ...(this.parts.length > 0 ? [{ text: `with ${this.parts.join(',\n')}\nselect 1`, values: this.params }] : []),
      ...this.afterwards.map(({ sql, params }) => ({ text: sql, values: params })),
    ];
    const last = withCommit === undefined ? undefined : statements.pop();
    for (const { text, values } of statements) await preparedQuery(manager, text, values);
    if (last !== undefined) withCommit?.(last);
  }
}
