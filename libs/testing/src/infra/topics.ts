// The topics every environment needs (domain topics and their dead-letter topics), from the one
// catalogue in @ipfin/contracts. The local stack and the external-cluster path create them.
import 'reflect-metadata';
import { TOPIC_CATALOGUE } from '@ipfin/contracts';

export interface InfraTopic {
  name: string;
  partitions: number;
}

export function infraTopics(): InfraTopic[] {
  return TOPIC_CATALOGUE.map((t) => ({ name: t.name, partitions: t.partitions }));
}
