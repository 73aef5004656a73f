import { randomUUID } from 'node:crypto';
import { validateEventData } from '@ipfin/contracts';
import { EntityManager } from 'typeorm';
import { preparedQuery } from './prepared';
import { assertSchemaName } from './schema';
import { childTraceparent, currentTraceparent } from './trace-context';

/** One event to publish, written in the transaction of the state change it announces. */
export interface OutboxMessage {
  topic: string;
  /** The aggregate (`{bank}:{loanRef}`, a patent number, …): orders events per key. */
  key: string;
  /** Full versioned CloudEvents type, e.g. `ipfin.loans.LoanRegistered.v1`. */
  type: string;
  subject?: string;
  data: object;
  /** When the state change happened; defaults to the transaction's `now()`. */
  time?: Date;
  /** `ce_id`, a UUID; defaults to a fresh v4. Stable across the relay's retries. */
  id?: string;
  /** W3C `traceparent`; defaults to the current request's (`runWithTraceparent`), else a new trace. */
  traceparent?: string;
}

/** Where a service's events are written and who they say they are from. */
export interface OutboxTarget {
  /** The service's PostgreSQL schema, holding its `outbox` table. */
  schema: string;
  /** `ce_source`, e.g. `/ipfin/pledge-loans`. */
  source: string;
  /** Check `data` against the contracts catalogue before writing (default true). */
  validate?: boolean;
}

/** Rows per INSERT: one statement takes the whole chunk as a single JSON parameter. */
export const OUTBOX_INSERT_CHUNK = 1000;

/**
 * Writes the messages to the outbox in one multi-row INSERT per 1000 messages, in array order,
 * inside the caller's transaction (`manager` must come from `dataSource.transaction`). Returns
 * the `ce_id`s.
 *
 * Ordering: the relay publishes in outbox id order, and ids are taken at INSERT time. Hold the
 * aggregate's row lock (`SELECT … FOR UPDATE`, or the UPDATE of that row) before enqueuing, so
 * that two transactions on the same aggregate cannot interleave and per-key id order equals
 * commit order. A newly created aggregate is serialised by its primary/unique key instead.
 */
export async function enqueue(
  manager: EntityManager,
  target: OutboxTarget,
  messages: readonly OutboxMessage[],
): Promise<string[]> {
  const schema = assertSchemaName(target.schema);
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error(
      'outbox enqueue needs the transaction of the state change: use the manager of dataSource.transaction()',
    );
  }
  const trace = currentTraceparent() ?? childTraceparent();
  const rows = messages.map((m) => toRow(m, target, trace));
  for (let i = 0; i < rows.length; i += OUTBOX_INSERT_CHUNK) {
    await preparedQuery(
      manager,
      `INSERT INTO "${schema}".outbox (ce_id, topic, key, ce_type, ce_source, ce_subject, ce_time, traceparent, payload)
       SELECT (e->>'id')::uuid, e->>'topic', e->>'key', e->>'type', e->>'source', e->>'subject',
              coalesce((e->>'time')::timestamptz, now()), e->>'traceparent', e->'data'
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(e, n)
       ORDER BY n`,
      [JSON.stringify(rows.slice(i, i + OUTBOX_INSERT_CHUNK))],
    );
  }
  return rows.map((r) => r.id);
}

interface OutboxRowInput {
  id: string;
  topic: string;
  key: string;
  type: string;
  source: string;
  subject: string | null;
  time: string | null;
  traceparent: string;
  data: object;
}

function toRow(m: OutboxMessage, target: OutboxTarget, trace: string): OutboxRowInput {
  if (!m.topic || !m.key || !m.type) throw new Error('outbox message needs a topic, a key and a type');
  if (typeof m.data !== 'object' || m.data === null || Array.isArray(m.data)) {
    throw new Error(`outbox message ${m.type}: data must be a JSON object`);
  }
  if (target.validate !== false) {
    const result = validateEventData(m.type, m.data);
    if (!result.ok) throw new Error(`outbox message ${m.type} for ${m.key} is invalid: ${result.errors.join('; ')}`);
  }
  return {
    id: m.id ?? randomUUID(),
    topic: m.topic,
    key: m.key,
    type: m.type,
    source: target.source,
    subject: m.subject ?? null,
    time: m.time ? m.time.toISOString() : null,
    traceparent: m.traceparent ?? trace,
    data: m.data,
  };
}
