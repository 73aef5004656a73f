import { CE_SPECVERSION, EventEnvelope, loanCeType, TOPICS } from '@ipfin/contracts';
import { decodeEnvelope, encodeEvent, encodeHeaders, headerText, readEvent } from './cloudevents';

const settled = {
  bank: 'bank-zhangzhou',
  loanRef: 'ZZ-2024-0001',
  eventId: 'evt-7',
  sequence: 7,
  occurredOn: '2024-06-30',
  recordedAt: '2024-06-30T10:15:00+08:00',
};

const envelope: EventEnvelope<unknown> = {
  id: '6f1c1d6e-93c4-4bb2-9a3b-0d6f2a1f8e11',
  type: loanCeType('LoanSettled'),
  source: '/ipfin/pledge-loans',
  subject: 'bank-zhangzhou:ZZ-2024-0001',
  time: '2024-06-30T02:15:00.000Z',
  specversion: CE_SPECVERSION,
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  data: settled,
};

/** As the consumer sees it: header values arrive as buffers. */
function asConsumed(headers: Record<string, unknown>, value: string | null) {
  const buffers = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(String(v))]));
  return { headers: buffers, value: value === null ? null : Buffer.from(value) };
}

describe('CloudEvents binary mode', () => {
  it('writes every attribute as a ce_ header and the data as JSON', () => {
    const record = encodeEvent({ topic: 'ipfin.loans.v1', key: 'bank-zhangzhou:ZZ-2024-0001', envelope });
    expect(record).toEqual({
      topic: 'ipfin.loans.v1',
      key: 'bank-zhangzhou:ZZ-2024-0001',
      value: JSON.stringify(settled),
      headers: {
        ce_id: envelope.id,
        ce_type: 'ipfin.loans.LoanSettled.v1',
        ce_source: '/ipfin/pledge-loans',
        ce_subject: 'bank-zhangzhou:ZZ-2024-0001',
        ce_time: '2024-06-30T02:15:00.000Z',
        ce_specversion: '1.0',
        traceparent: envelope.traceparent,
        'content-type': 'application/json',
      },
    });
  });

  it('leaves optional attributes out rather than sending empty headers', () => {
    const { subject: _s, traceparent: _t, ...bare } = envelope;
    const headers = encodeHeaders(bare);
    expect(Object.keys(headers)).not.toContain('ce_subject');
    expect(Object.keys(headers)).not.toContain('traceparent');
  });

  it('reads back what it wrote', () => {
    const record = encodeEvent({ topic: 't', key: 'k', envelope });
    const decoded = decodeEnvelope(asConsumed(record.headers!, record.value as string));
    expect(decoded).toEqual({ ok: true, envelope });
  });

  it('reads string, buffer and repeated header values', () => {
    expect(headerText('a')).toBe('a');
    expect(headerText(Buffer.from('b'))).toBe('b');
    expect(headerText([Buffer.from('c'), 'd'])).toBe('c');
    expect(headerText(undefined)).toBeUndefined();
  });

  it.each([
    ['ce_id', 'missing header ce_id'],
    ['ce_type', 'missing header ce_type'],
    ['ce_specversion', 'missing header ce_specversion'],
  ])('refuses a record without %s', (header, reason) => {
    const { [header]: _dropped, ...headers } = encodeHeaders(envelope);
    expect(decodeEnvelope(asConsumed(headers, '{}'))).toEqual({ ok: false, reason });
  });

  it('refuses another spec version, a bad time, an empty or non-JSON value', () => {
    const headers = encodeHeaders(envelope);
    expect(decodeEnvelope(asConsumed({ ...headers, ce_specversion: '0.3' }, '{}'))).toMatchObject({
      ok: false,
      reason: 'unsupported ce_specversion 0.3',
    });
    expect(decodeEnvelope(asConsumed({ ...headers, ce_time: 'yesterday' }, '{}'))).toMatchObject({ ok: false });
    expect(decodeEnvelope(asConsumed(headers, null))).toEqual({ ok: false, reason: 'empty value' });
    expect(decodeEnvelope(asConsumed(headers, '{"bank":'))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^value is not JSON/),
    });
  });

  it('validates data against the contracts catalogue', () => {
    const headers = encodeHeaders(envelope);
    expect(readEvent(asConsumed(headers, JSON.stringify(settled)))).toMatchObject({ ok: true });
    const bad = readEvent(asConsumed(headers, JSON.stringify({ ...settled, sequence: 0 })));
    expect(bad).toMatchObject({
      ok: false,
      reason: expect.stringContaining('invalid ipfin.loans.LoanSettled.v1: sequence'),
    });
    const unknown = readEvent(
      asConsumed({ ...headers, ce_type: 'ipfin.loans.LoanSettled.v9' }, JSON.stringify(settled)),
    );
    expect(unknown).toMatchObject({ ok: false, reason: expect.stringContaining('unknown event type') });
  });

  it("refuses an event read from another domain topic than its type's", () => {
    const record = asConsumed(encodeHeaders(envelope), JSON.stringify(settled));
    expect(readEvent(record, TOPICS.loans)).toMatchObject({ ok: true });
    expect(readEvent(record, TOPICS.patents)).toEqual({
      ok: false,
      reason: 'ipfin.loans.LoanSettled.v1 belongs on ipfin.loans.v1, not on ipfin.patents.v1',
    });
    // Topics outside the catalogue (a test's own, a dead-letter topic being re-read) are not judged.
    expect(readEvent(record, 'ipfin.loans.v1.dlq')).toMatchObject({ ok: true });
    expect(readEvent(record, 'test-topic-7f3a')).toMatchObject({ ok: true });
  });
});
