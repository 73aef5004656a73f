import { replayFromBeginning, type EventBatchHandler, type ReplayOptions } from '@ipfin/messaging';

/** Every table the projections write (reward policies and targets are reference data and stay). */
export const PROJECTION_TABLES = [
  'loan_dim', 'financing_daily', 'financing_monthly', 'financing_yearly', 'financing_yearly_sums', 'financing_borrowers', 'financing_smes', 'financing_sme_gaps',
  'counter_daily', 'counter_monthly', 'counter_yearly', 'member_daily', 'member_monthly', 'member_yearly',
  'member_count_monthly', 'member_count_yearly',
  'loan_coverage', 'loan_loss', 'claim_state', 'open_licence_declaration', 'projection_state',
] as const;

export interface ProjectionToRebuild {
  name: string;
  groupId: string;
  topics: readonly string[];
  handler: Pick<EventBatchHandler, 'handle' | 'readAhead'>;
}

export interface RebuildOptions extends Omit<ReplayOptions, 'groups' | 'empty'> {
  /** The metrics schema (holding the projections and the inbox). */
  schema: string;
  projections: readonly ProjectionToRebuild[];
}

export interface RebuildReport {
  events: number;
  seconds: number;
  perProjection: Record<string, { applied: number; deadLettered: number }>;
}

/**
 * Drops every projection and folds the topics again from their first offset, with the service's
 * own handlers, until the consumer groups have caught up (`replayFromBeginning`).
 *
 * The metrics service must be stopped: the offsets of its consumer groups can only be reset when
 * the groups have no members, so a running service makes the rebuild fail before anything is
 * deleted; members still leaving (a service stopped a moment ago) are waited for, up to
 * `membersWaitMs`. A topic that no longer starts at offset 0 is refused too: figures rebuilt
 * without its first events would not be the ones before. Then, in one transaction, the projection
 * tables and the groups' inbox rows are emptied, and the groups consume from the beginning. Start
 * the service again afterwards: it continues from the offsets the rebuild committed.
 */
export async function rebuildProjections(opts: RebuildOptions): Promise<RebuildReport> {
  const { schema, projections, log } = opts;
  const report = await replayFromBeginning({
    ...opts,
    groups: projections.map((p) => ({ name: p.name, groupId: p.groupId, topics: p.topics, handler: p.handler })),
    empty: async (manager) => {
      await manager.query(`truncate ${PROJECTION_TABLES.map((t) => `"${schema}".${t}`).join(', ')}`);
      log(`rebuild: projections emptied (${PROJECTION_TABLES.length} tables)`);
    },
  });
  const perProjection = Object.fromEntries(Object.entries(report.groups).map(([name, s]) => [name, { applied: s.applied, deadLettered: s.deadLettered }]));
  const events = Object.values(report.groups).reduce((n, s) => n + s.applied, 0);
  log(`rebuild: done, ${events} events folded in ${report.seconds.toFixed(1)} s`);
  return { events, seconds: report.seconds, perProjection };
}
