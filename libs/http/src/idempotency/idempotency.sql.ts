const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Quotes a schema name, refusing anything but a plain lower-case identifier. */
export function quoteSchema(schema: string): string {
  if (!IDENTIFIER.test(schema)) throw new Error(`Invalid schema name ${JSON.stringify(schema)}: use lower-case letters, digits and _.`);
  return `"${schema}"`;
}

export const IDEMPOTENCY_TABLE = 'idempotency_keys';

/**
 * DDL of the idempotency table for a service's migration (`up`): one row per (caller, key), a
 * pending row (`response_status` null) while the first request runs.
 */
export function idempotencyTableSql(schema: string): string[] {
  const table = `${quoteSchema(schema)}.${IDEMPOTENCY_TABLE}`;
  return [
    `CREATE TABLE IF NOT EXISTS ${table} (
      principal_sub text NOT NULL,
      idempotency_key text NOT NULL,
      request_hash text NOT NULL,
      response_status integer,
      response_body jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz,
      PRIMARY KEY (principal_sub, idempotency_key)
    )`,
    `CREATE INDEX IF NOT EXISTS ${IDEMPOTENCY_TABLE}_created_at_idx ON ${table} (created_at)`,
  ];
}

/** The matching `down`. */
export function dropIdempotencyTableSql(schema: string): string[] {
  return [`DROP TABLE IF EXISTS ${quoteSchema(schema)}.${IDEMPOTENCY_TABLE}`];
}
