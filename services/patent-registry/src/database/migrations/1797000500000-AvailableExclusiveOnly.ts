import { MigrationInterface, QueryRunner } from 'typeorm';

/** `exclusive_days` of every patent holding a sole licence, restated to the days of its licences of `kinds`. */
const restate = (kinds: readonly string[]): string => `
  update patents p set exclusive_days = coalesce((
      select range_agg(daterange((l->>'startsOn')::date, (l->>'endsOn')::date, '[]'))
        from jsonb_array_elements(p.state->'licences') l
       where l->>'kind' in (${kinds.map((k) => `'${k}'`).join(', ')}) and (l->>'endsOn')::date >= (l->>'startsOn')::date), '{}')
   where exists (select 1 from jsonb_array_elements(p.state->'licences') l where l->>'kind' = 'sole')`;

/**
 * `available=true` means what api.md says — valid, not pledged, no exclusive licence — and no
 * longer also excludes patents under a sole licence. `exclusive_days`, the days the search's
 * `available` filter excludes, now holds only the exclusive licences' days (`rowFromState`); this
 * restates it for the rows holding a sole licence from the licences in their stored state.
 */
export class AvailableExclusiveOnly1797000500000 implements MigrationInterface {
  name = 'AvailableExclusiveOnly1797000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(restate(['exclusive']));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(restate(['exclusive', 'sole']));
  }
}
