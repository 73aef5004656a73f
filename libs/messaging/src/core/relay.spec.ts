import { outboxRowToRecord } from './relay';

describe('outbox row to record', () => {
  it('publishes the stored JSON as is, keyed by the aggregate, with the envelope in headers', () => {
    const record = outboxRowToRecord({
      id: '12',
      ce_id: '0b7e4a52-4f7e-4c1a-9d51-0fa3a8f6a001',
      topic: 'ipfin.loans.v1',
      key: 'bank-quanzhou:QZ-77',
      ce_type: 'ipfin.loans.LoanDisbursed.v1',
      ce_source: '/ipfin/pledge-loans',
      ce_subject: null,
      ce_time: new Date('2024-03-01T01:00:00Z'),
      traceparent: null,
      payload: '{"amount": "5000000.00"}',
    });
    expect(record).toEqual({
      topic: 'ipfin.loans.v1',
      key: 'bank-quanzhou:QZ-77',
      value: '{"amount": "5000000.00"}',
      headers: {
        ce_id: '0b7e4a52-4f7e-4c1a-9d51-0fa3a8f6a001',
        ce_type: 'ipfin.loans.LoanDisbursed.v1',
        ce_source: '/ipfin/pledge-loans',
        ce_time: '2024-03-01T01:00:00.000Z',
        ce_specversion: '1.0',
        'content-type': 'application/json',
      },
    });
  });
});
