import { EntityManager } from 'typeorm';
import type { Statement } from './prepared';
import { assertSchemaName } from './schema';

export interface InboxEntry {
  ceId: string;
  offset: string;
}

/**
 * The statement that records the events as applied by `consumer` and returns (`ce_id`) those
 * that were not there yet: only those may take effect. It must run in the transaction of the
 * effect, so the record and the effect commit (or vanish) together.
 */
export function inboxStatement(
  schema: string,
  consumer: string,
  source: { topic: string; partition: number },
  entries: readonly InboxEntry[],
): Statement {
  return {
    text: `INSERT INTO "${assertSchemaName(schema)}".inbox (consumer, ce_id, topic, partition, "offset")
     SELECT $1, u.ce_id, $2, $3, u.off FROM unnest($4::text[], $5::bigint[]) AS u(ce_id, off)
     ON CONFLICT DO NOTHING
     RETURNING ce_id`,
    values: [consumer, source.topic, source.partition, entries.map((e) => e.ceId), entries.map((e) => e.offset)],
  };
}

/**
 * Forgets what `consumer` applied, for a projection rebuild: drop the projection's rows, clear
 * its inbox in the same transaction, then reset the group's offsets to the earliest.
 */
export async function clearInbox(manager: EntityManager, schema: string, consumer: string): Promise<number> {
  // Counted in a CTE: TypeORM returns DELETE results as [rows, count], a SELECT as rows.
  const [row] = await manager.query<{ n: number }[]>(
    `WITH forgotten AS (DELETE FROM "${assertSchemaName(schema)}".inbox WHERE consumer = $1 RETURNING 1)
     SELECT count(*)::int AS n FROM forgotten`,
    [consumer],
  );
  return row?.n ?? 0;
}
