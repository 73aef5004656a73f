import { CE_HEADERS, CE_SPECVERSION, EventEnvelope, eventTypeSpec, TOPICS, validateEventData } from '@ipfin/contracts';
import { BusHeaders, HeaderValue, IncomingRecord, OutgoingRecord } from './bus';

/**
 * CloudEvents 1.0 in Kafka's binary mode: attributes in `ce_*` headers, `data` as the JSON
 * value, the record key chosen by the producer (the aggregate).
 */
export interface EventToPublish {
  topic: string;
  key: string;
  envelope: EventEnvelope<unknown>;
}

/** Everything of the envelope but `data`: what rides in the headers. */
export type EnvelopeAttributes = Omit<EventEnvelope<unknown>, 'data'>;

export function encodeHeaders(envelope: EnvelopeAttributes): BusHeaders {
  const headers: BusHeaders = {
    [CE_HEADERS.id]: envelope.id,
    [CE_HEADERS.type]: envelope.type,
    [CE_HEADERS.source]: envelope.source,
    [CE_HEADERS.time]: envelope.time,
    [CE_HEADERS.specversion]: CE_SPECVERSION,
    [CE_HEADERS.contentType]: 'application/json',
  };
  if (envelope.subject !== undefined) headers[CE_HEADERS.subject] = envelope.subject;
  if (envelope.traceparent !== undefined) headers[CE_HEADERS.traceparent] = envelope.traceparent;
  return headers;
}

export function encodeEvent(event: EventToPublish): OutgoingRecord {
  return {
    topic: event.topic,
    key: event.key,
    value: JSON.stringify(event.envelope.data),
    headers: encodeHeaders(event.envelope),
  };
}

export function headerText(value: HeaderValue): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return typeof first === 'string' ? first : first.toString('utf8');
}

export type DecodeResult = { ok: true; envelope: EventEnvelope<unknown> } | { ok: false; reason: string };

const REQUIRED = [CE_HEADERS.id, CE_HEADERS.type, CE_HEADERS.source, CE_HEADERS.time, CE_HEADERS.specversion] as const;

/** Reads the envelope from headers and value; says why not if it cannot. Does not validate `data`. */
export function decodeEnvelope(record: Pick<IncomingRecord, 'headers' | 'value'>): DecodeResult {
  const h = (name: string): string | undefined => headerText(record.headers[name]);
  const missing = REQUIRED.filter((name) => !h(name));
  if (missing.length > 0) return { ok: false, reason: `missing header ${missing.join(', ')}` };
  const specversion = h(CE_HEADERS.specversion);
  if (specversion !== CE_SPECVERSION) return { ok: false, reason: `unsupported ce_specversion ${specversion}` };
  const time = h(CE_HEADERS.time)!;
  if (Number.isNaN(Date.parse(time))) return { ok: false, reason: `ce_time is not a time: ${time}` };
  if (record.value === null || record.value.length === 0) return { ok: false, reason: 'empty value' };
  let data: unknown;
  try {
    data = JSON.parse(record.value.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `value is not JSON: ${(error as Error).message}` };
  }
  const envelope: EventEnvelope<unknown> = {
    id: h(CE_HEADERS.id)!,
    type: h(CE_HEADERS.type)!,
    source: h(CE_HEADERS.source)!,
    time,
    specversion: CE_SPECVERSION,
    data,
  };
  const subject = h(CE_HEADERS.subject);
  if (subject !== undefined) envelope.subject = subject;
  const traceparent = h(CE_HEADERS.traceparent);
  if (traceparent !== undefined) envelope.traceparent = traceparent;
  return { ok: true, envelope };
}

const DOMAIN_TOPICS: ReadonlySet<string> = new Set(Object.values(TOPICS));

/**
 * Decodes and validates `data` against the contracts catalogue: what every consumer does first.
 * Read from `topic`, one of the platform's domain topics, the type must be one that topic carries
 * (events.md's table): a loan event on the patents topic is refused, not folded as "nothing to do".
 */
export function readEvent(record: Pick<IncomingRecord, 'headers' | 'value'>, topic?: string): DecodeResult {
  const decoded = decodeEnvelope(record);
  if (!decoded.ok) return decoded;
  const home = eventTypeSpec(decoded.envelope.type)?.topic;
  if (topic !== undefined && home !== undefined && DOMAIN_TOPICS.has(topic) && home !== topic) {
    return { ok: false, reason: `${decoded.envelope.type} belongs on ${home}, not on ${topic}` };
  }
  const validation = validateEventData(decoded.envelope.type, decoded.envelope.data);
  if (!validation.ok) return { ok: false, reason: `invalid ${decoded.envelope.type}: ${validation.errors.join('; ')}` };
  return decoded;
}
