import { DLQ_GROUP_HEADER, DLQ_ORIGIN_HEADER, DLQ_REASON_HEADER, dlqTopic } from '@ipfin/contracts';
import { IncomingRecord, OutgoingRecord } from './bus';

const MAX_REASON = 2000;

/** `topic/partition/offset` of the record a dead letter came from. */
export const dlqOrigin = (topic: string, partition: number, offset: string): string =>
  `${topic}/${partition}/${offset}`;

/**
 * The original key, value and headers, plus why, where from and — several consumer groups read
 * each topic, each dead-letters on its own — which group gave it up, on `<topic>.dlq`.
 */
export function deadLetter(topic: string, partition: number, record: IncomingRecord, reason: string, group: string): OutgoingRecord {
  return {
    topic: dlqTopic(topic),
    key: record.key,
    value: record.value,
    headers: {
      ...record.headers,
      [DLQ_REASON_HEADER]: reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason,
      [DLQ_ORIGIN_HEADER]: dlqOrigin(topic, partition, record.offset),
      [DLQ_GROUP_HEADER]: group,
    },
  };
}
