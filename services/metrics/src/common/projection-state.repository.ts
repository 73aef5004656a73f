import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { preparedQuery, type ConsumedEvent } from '@ipfin/messaging';
import { DataSource } from 'typeorm';
import type { ProjectionName } from '../projections';
import type { WriteBatch } from './write-batch';

/**
 * `asOf` of each projection: the newest `ce_time` folded in, advanced in each batch's transaction
 * on the row of the batch's partition (a batch is always one partition's).
 */
@Injectable()
export class ProjectionStateRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The newest event folded into any of the projections, or null before the first. */
  async asOf(names: readonly ProjectionName[]): Promise<string | null> {
    const rows: { as_of: Date | null }[] = await preparedQuery(this.dataSource,
      'select max(as_of) as as_of from projection_state where name = any($1::text[])',
      [names],
    );
    return rows[0]?.as_of ? new Date(rows[0].as_of).toISOString() : null;
  }

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
