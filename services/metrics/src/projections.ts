import { TOPIC_CATALOGUE, TOPICS } from '@ipfin/contracts';
import type { ConsumerTuning } from '@ipfin/messaging';

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

/**
 * How the service runs a projection's consumer: one group member per partition of its topics.
 * A member fetches again only once every batch of its last fetch is folded, so with one member a
 * slow fold of one partition — a large reversal, a batch retried with backoff — held back the
 * events of all the others. Several replicas of the service share the partitions the same way.
 */
export function consumerTuning(spec: ProjectionSpec): ConsumerTuning {
  const members = spec.topics.reduce((n, t) => n + (TOPIC_CATALOGUE.find((c) => c.name === t)?.partitions ?? 1), 0);
  return { members };
}
