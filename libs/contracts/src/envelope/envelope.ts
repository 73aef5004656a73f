/** CloudEvents 1.0, Kafka binary mode: attributes ride in headers, `data` is the JSON value. */
export const CE_HEADERS = {
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  subject: 'ce_subject',
  time: 'ce_time',
  specversion: 'ce_specversion',
  traceparent: 'traceparent',
  contentType: 'content-type',
} as const;

export const CE_SPECVERSION = '1.0';

/** Header set on dead letters: why the message could not be applied. */
export const DLQ_REASON_HEADER = 'ipfin_dlq_reason';
export const DLQ_ORIGIN_HEADER = 'ipfin_dlq_origin';
/** The consumer group that gave the event up (several groups read each topic). */
export const DLQ_GROUP_HEADER = 'ipfin_dlq_group';

export interface EventEnvelope<T = unknown> {
  /** Globally unique, stable across retries. */
  id: string;
  /** Versioned type, e.g. `ipfin.loans.LoanRegistered.v1`. */
  type: string;
  source: string;
  subject?: string;
  /** RFC 3339 time the state change committed. */
  time: string;
  specversion: typeof CE_SPECVERSION;
  traceparent?: string;
  data: T;
}
