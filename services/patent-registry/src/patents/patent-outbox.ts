import { TOPICS, patentCeType } from '@ipfin/contracts';
import type { OutboxMessage } from '@ipfin/messaging';
import type { PatentEvent } from './domain';

/** The domain's events as outbox rows on `ipfin.patents.v1`, keyed (and ordered) by patent number. */
export function outboxMessages(events: readonly PatentEvent[], time: Date): OutboxMessage[] {
  return events.map((e) => ({ topic: TOPICS.patents, key: e.key, type: patentCeType(e.type), subject: e.key, data: e.data, time }));
}
