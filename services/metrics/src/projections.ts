import { TOPICS } from '@ipfin/contracts';

/**
 * The consumer groups of metrics, one per projection (also the inbox names and the
 * `projection_state` rows). `lagEvents` sums the lag of the groups an answer reads.
 */
export const PROJECTIONS = [
  { name: 'loans', groupId: 'metrics.loans', topics: [TOPICS.loans] },
  { name: 'risk', groupId: 'metrics.risk', topics: [TOPICS.risk] },
  { name: 'patents', groupId: 'metrics.patents', topics: [TOPICS.patents] },
  { name: 'products', groupId: 'metrics.products', topics: [TOPICS.products] },
] as const;

export type ProjectionName = (typeof PROJECTIONS)[number]['name'];
export type ProjectionSpec = (typeof PROJECTIONS)[number];

export function projection(name: ProjectionName): ProjectionSpec {
  return PROJECTIONS.find((p) => p.name === name)!;
}
