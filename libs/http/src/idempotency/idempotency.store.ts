import type { DataSource, QueryResult } from 'typeorm';
import { IDEMPOTENCY_TABLE, quoteSchema } from './idempotency.sql';

export type IdempotencyBegin =
  /** First use (or a takeover of an abandoned pending row): run the request, then `complete` or `release`. */
  | { readonly outcome: 'started' }
  /** Same key, same request, finished before: answer with what was answered then. */
  | { readonly outcome: 'replay'; readonly status: number; readonly body: unknown }
  /** Same key, different request. */
  | { readonly outcome: 'mismatch' }
  /** Same key, same request, still running elsewhere. */
  | { readonly outcome: 'in-flight' };

export interface IdempotencyStoreOptions {
  /** A pending row older than this is treated as abandoned (its process died) and may be taken over. */
  pendingTimeoutMs?: number;
}

interface KeyRow {
  request_hash: string;
  response_status: number | null;
  response_body: unknown;
  stale: boolean;
}

/**
 * `(caller, Idempotency-Key) → request hash, response` in the service's own schema. A pending row
 * is inserted first, so of two concurrent first uses exactly one runs.
 */
export class IdempotencyStore {
  private readonly table: string;
  private readonly pendingTimeoutSeconds: number;

  constructor(
    private readonly dataSource: DataSource,
    schema: string,
    options: IdempotencyStoreOptions = {},
  ) {
    this.table = `${quoteSchema(schema)}.${IDEMPOTENCY_TABLE}`;
    this.pendingTimeoutSeconds = (options.pendingTimeoutMs ?? 60_000) / 1000;
  }

  async begin(owner: string, key: string, hash: string): Promise<IdempotencyBegin> {
    // A row can vanish between the insert and the read (released by a failing first request): retry.
    for (let attempt = 0; attempt < 3; attempt++) {
      const inserted = await this.run(
        `INSERT INTO ${this.table} (principal_sub, idempotency_key, request_hash) VALUES ($1, $2, $3)
         ON CONFLICT (principal_sub, idempotency_key) DO NOTHING RETURNING 1`,
        [owner, key, hash],
      );
      if (inserted.affected > 0) return { outcome: 'started' };

      const existing = await this.run<KeyRow>(
        `SELECT request_hash, response_status, response_body, created_at < now() - make_interval(secs => $3) AS stale
         FROM ${this.table} WHERE principal_sub = $1 AND idempotency_key = $2`,
        [owner, key, this.pendingTimeoutSeconds],
      );
      const row = existing.rows[0];
      if (row === undefined) continue;
      if (row.response_status === null) {
        if (row.stale && (await this.takeOver(owner, key, hash))) return { outcome: 'started' };
        return row.request_hash === hash ? { outcome: 'in-flight' } : { outcome: 'mismatch' };
      }
      if (row.request_hash !== hash) return { outcome: 'mismatch' };
      return { outcome: 'replay', status: row.response_status, body: row.response_body };
    }
    return { outcome: 'in-flight' };
  }

  /** Records the outcome of a started request; later replays answer with it. */
  async complete(owner: string, key: string, status: number, body: unknown): Promise<void> {
    await this.run(
      `UPDATE ${this.table} SET response_status = $3, response_body = $4::jsonb, completed_at = now()
       WHERE principal_sub = $1 AND idempotency_key = $2`,
      [owner, key, status, body === undefined ? null : JSON.stringify(body)],
    );
  }

  /** Forgets a started request that produced nothing worth replaying (5xx, invalid input). */
  async release(owner: string, key: string): Promise<void> {
    await this.run(`DELETE FROM ${this.table} WHERE principal_sub = $1 AND idempotency_key = $2 AND response_status IS NULL`, [owner, key]);
  }

  /** Housekeeping: drops keys older than `maxAgeMs` (e.g. 24 h); returns how many. */
  async purgeOlderThan(maxAgeMs: number): Promise<number> {
    const result = await this.run(`DELETE FROM ${this.table} WHERE created_at < now() - make_interval(secs => $1)`, [maxAgeMs / 1000]);
    return result.affected;
  }

  private async takeOver(owner: string, key: string, hash: string): Promise<boolean> {
    const result = await this.run(
      `UPDATE ${this.table} SET request_hash = $3, created_at = now()
       WHERE principal_sub = $1 AND idempotency_key = $2 AND response_status IS NULL
         AND created_at < now() - make_interval(secs => $4)`,
      [owner, key, hash, this.pendingTimeoutSeconds],
    );
    return result.affected > 0;
  }

  private async run<Row = unknown>(sql: string, params: unknown[]): Promise<{ rows: Row[]; affected: number }> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const result = (await runner.query(sql, params, true)) as QueryResult<Row>;
      const rows = result.records;
      return { rows, affected: result.affected ?? rows.length };
    } finally {
      await runner.release();
    }
  }
}
