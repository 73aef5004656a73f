import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OwnershipLookup, PatentTimeline } from './domain/ownership-view';

/** SQL of the ownership view: one JSON timeline per patent, read and written a batch at a time. */
@Injectable()
export class OwnershipRepository {
  /** The stored timelines of these patents; `lock` holds them until the transaction ends (the consumer's fold). */
  async timelines(m: EntityManager, numbers: readonly string[], lock = false): Promise<Map<string, PatentTimeline>> {
    if (numbers.length === 0) return new Map();
    const rows: { number: string; timeline: PatentTimeline }[] = await m.query(
      `select number, timeline from patent_timelines where number = any($1::text[]) order by number${lock ? ' for update' : ''}`,
      [[...new Set(numbers)]],
    );
    return new Map(rows.map((r) => [r.number, r.timeline]));
  }

  /** What a filing check needs: the view of the filing's patents as committed now. */
  async lookup(m: EntityManager, numbers: readonly string[]): Promise<OwnershipLookup> {
    const timelines = await this.timelines(m, numbers);
    return { timeline: (number) => timelines.get(number) };
  }

  /** Writes the folded timelines in one statement. */
  async save(m: EntityManager, timelines: readonly PatentTimeline[], lastEventAt: Date): Promise<void> {
    if (timelines.length === 0) return;
    await m.query(
      `insert into patent_timelines (number, kind, timeline, last_event_at)
       select u.number, u.kind, u.timeline, $4 from unnest($1::text[], $2::text[], $3::jsonb[]) as u(number, kind, timeline)
       on conflict (number) do update
         set kind = excluded.kind, timeline = excluded.timeline,
             last_event_at = greatest(patent_timelines.last_event_at, excluded.last_event_at), updated_at = now()`,
      [
        timelines.map((t) => t.number),
        timelines.map((t) => t.kind),
        timelines.map((t) => JSON.stringify(t)),
        lastEventAt,
      ],
    );
  }
}
