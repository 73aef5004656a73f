/**
 * The messaging tables, created in each service's own schema by its first migration:
 *
 * ```ts
 * for (const sql of messagingTablesSql('pledge_loans')) await queryRunner.query(sql);
 * ```
 */

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,55}$/;

/** Schema names end up in SQL and in a NOTIFY channel name: keep them plain identifiers. */
export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`invalid schema name "${schema}": lower-case letters, digits and _ only, at most 56 characters`);
  }
  return schema;
}

/** The channel the outbox trigger notifies on commit; the relay LISTENs to it. */
export const outboxChannel = (schema: string): string => `${assertSchemaName(schema)}_outbox`;

export function messagingTablesSql(schema: string): string[] {
  const s = `"${assertSchemaName(schema)}"`;
  return [
    // Only when missing: `CREATE SCHEMA IF NOT EXISTS` needs CREATE on the database even when the
    // schema exists, and a service role owns its schema but may not create others.
    `DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = '${assertSchemaName(schema)}') THEN CREATE SCHEMA ${s}; END IF;
    END $$`,
    `CREATE TABLE IF NOT EXISTS ${s}.outbox (
      id bigserial PRIMARY KEY,
      ce_id uuid NOT NULL UNIQUE,
      topic text NOT NULL,
      key text NOT NULL,
      ce_type text NOT NULL,
      ce_source text NOT NULL,
      ce_subject text NULL,
      ce_time timestamptz NOT NULL,
      traceparent text NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz NULL
    )`,
    `CREATE INDEX IF NOT EXISTS outbox_unpublished_idx ON ${s}.outbox (id) WHERE published_at IS NULL`,
    `CREATE OR REPLACE FUNCTION ${s}.outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('${outboxChannel(schema)}', '');
      RETURN NULL;
    END
    $$`,
    `DROP TRIGGER IF EXISTS outbox_notify ON ${s}.outbox`,
    `CREATE TRIGGER outbox_notify AFTER INSERT ON ${s}.outbox FOR EACH STATEMENT EXECUTE FUNCTION ${s}.outbox_notify()`,
    `CREATE TABLE IF NOT EXISTS ${s}.inbox (
      consumer text NOT NULL,
      ce_id text NOT NULL,
      topic text NOT NULL,
      partition int NOT NULL,
      "offset" bigint NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, ce_id)
    )`,
  ];
}

/** The reverse of `messagingTablesSql`, for a migration's `down` (leaves the schema). */
export function dropMessagingTablesSql(schema: string): string[] {
  const s = `"${assertSchemaName(schema)}"`;
  return [
    `DROP TABLE IF EXISTS ${s}.inbox`,
    `DROP TABLE IF EXISTS ${s}.outbox`,
    `DROP FUNCTION IF EXISTS ${s}.outbox_notify()`,
  ];
}
