import { TOPICS } from '@ipfin/contracts';

/** The consumer groups of metrics, one per projection (also the inbox names). */
export const PROJECTIONS = [
  { groupId: 'metrics.loans', topics: [TOPICS.loans] },
] as const;
