import { Injectable } from '@nestjs/common';
import { preparedQuery, type ConsumedEvent } from '@ipfin/messaging';
import type { DataSource } from 'typeorm';
import type { ProjectionName } from '../projections';
import type { WriteBatch } from './write-batch';

/**
 * `asOf` of each projection: the newest `ce_time` folded in, advanced in each batch's transaction
 * on the row of the batch's partition (a batch is always one partition's). Reports read it in
 * their own statement (`asOfSql`), so an answer's `asOf` is that of the very snapshot its figures
 * come from.
 */
@Injectable()
export class ProjectionStateRepository {
  /** Adds to the fold's `batch`: the partition's row moves to the batch's newest event. */
  advance(batch: WriteBatch, name: ProjectionName, events: readonly ConsumedEvent[]): void {
    if (events.length === 0) return;
    const newest = events.reduce((max, e) => (Date.parse(e.envelope.time) > Date.parse(max) ? e.envelope.time : max), events[0].envelope.time);
    const p = (v: unknown): string => batch.param(v);
    batch.add(
      `insert into projection_state (name, part, as_of, events)
       values (${p(name)}::text, ${p(events[0].partition)}::int, ${p(new Date(newest))}::timestamptz, ${p(events.length)}::bigint)
       on conflict (name, part) do update set as_of = greatest(projection_state.as_of, excluded.as_of),
                                        events = projection_state.events + excluded.events`,
    );
  }
}

/**
 * The newest event folded into any of `names` as a scalar subquery, in whole epoch milliseconds
 * (null before the first), for a report to select beside its figures: one statement, one snapshot.
 */
export function asOfSql(names: readonly ProjectionName[], params: unknown[]): string {
  return `(select floor(extract(epoch from max(as_of)) * 1000)::bigint from projection_state where name = any($${params.push([...names])}::text[]))`;
}

/**
 * The version of the projections `names` as a scalar subquery: each of their partition rows with
 * the transaction that last wrote it (`xmin`) and its event count, and the last migration applied.
 * Every batch folded into them writes its partition's row in its own transaction (`advance`), a
 * rebuild empties the table, and a migration restating figures commits with its row in
 * `migrations`, so two reads see the same version only when none of those committed in between
 * (`AnswerCache`).
 */
export function versionSql(names: readonly ProjectionName[], params: unknown[]): string {
  return `(select coalesce(string_agg(name || '/' || part || '/' || xmin::text || '/' || events, ',' order by name, part), '')
                  || ';' || (select coalesce(max(id), 0) from migrations)
             from projection_state where name = any($${params.push([...names])}::text[]))`;
}

/**
 * A condition that holds unless the projections `names` are at `keptVersion` (always without one):
 * a report's figures parts filtered on it are not read at all when a kept answer is current.
 * PostgreSQL evaluates it once, before the parts (a `One-Time Filter` over them, "never executed").
 */
export function versionGate(names: readonly ProjectionName[], params: unknown[], keptVersion: string | undefined): string {
  return keptVersion === undefined ? 'true' : `${versionSql(names, params)} is distinct from $${params.push(keptVersion)}::text`;
}

/** The last migration applied as of a `versionSql` version: its id, after the version's last `;`. */
export function migrationOf(version: string): string {
  return version.slice(version.lastIndexOf(';') + 1);
}

/** The version (`versionSql`) and `asOf` of the projections `names`, in one snapshot. */
export async function projectionVersion(dataSource: DataSource, names: readonly ProjectionName[]): Promise<{ version: string; asOf: string | null }> {
  const params: unknown[] = [];
  const [row] = await preparedQuery<{ version: string; as_of: string | null }>(dataSource,
    `select ${versionSql(names, params)} as version, ${asOfSql(names, params)}::text as as_of`, params);
  return { version: row.version, asOf: asOfFromMillis(row.as_of) };
}

/** `asOf` of an answer from what `asOfSql` selected (PostgreSQL's bigint arrives as text). */
export function asOfFromMillis(millis: string | number | null | undefined): string | null {
  return millis === null || millis === undefined ? null : new Date(Number(millis)).toISOString();
}
