/** Topics per aggregate, so that one aggregate's events stay in order on one partition. */
export const TOPICS = {
  loans: 'ipfin.loans.v1',
  risk: 'ipfin.risk.v1',
  patents: 'ipfin.patents.v1',
  products: 'ipfin.products.v1',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

export const DLQ_SUFFIX = '.dlq';
export const dlqTopic = (topic: string): string => `${topic}${DLQ_SUFFIX}`;

export interface TopicSpec {
  name: string;
  partitions: number;
  /** What the record key is; records with the same key keep their order. */
  key: string;
  producer: string;
}

const domainTopics: TopicSpec[] = [
  { name: TOPICS.loans, partitions: 6, key: '{bank}:{loanRef}', producer: 'pledge-loans' },
  { name: TOPICS.risk, partitions: 3, key: 'fund region', producer: 'risk-compensation' },
  { name: TOPICS.patents, partitions: 6, key: 'patent number', producer: 'patent-registry' },
  { name: TOPICS.products, partitions: 3, key: 'enterprise USCC', producer: 'dense-products' },
];

/** Every topic the platform needs, dead-letter topics included. */
export const TOPIC_CATALOGUE: readonly TopicSpec[] = [
  ...domainTopics,
  ...domainTopics.map((t) => ({ name: dlqTopic(t.name), partitions: 1, key: t.key, producer: `${t.producer} consumers` })),
];

export const loanKey = (bank: string, loanRef: string): string => `${bank}:${loanRef}`;
