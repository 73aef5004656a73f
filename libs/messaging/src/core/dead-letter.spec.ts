import { DLQ_GROUP_HEADER, DLQ_ORIGIN_HEADER, DLQ_REASON_HEADER } from '@ipfin/contracts';
import { deadLetter } from './dead-letter';

describe('dead letters', () => {
  const record = {
    key: Buffer.from('bank-weihai:WH-9'),
    value: Buffer.from('{"broken":'),
    headers: { ce_id: Buffer.from('x'), ce_type: Buffer.from('ipfin.loans.LoanSettled.v1') },
    offset: '41',
    timestamp: '0',
  };

  it('keeps key, value and headers, and says why, where from and which consumer group gave it up', () => {
    const letter = deadLetter('ipfin.loans.v1', 2, record, 'value is not JSON', 'metrics.loans');
    expect(letter.topic).toBe('ipfin.loans.v1.dlq');
    expect(letter.key).toBe(record.key);
    expect(letter.value).toBe(record.value);
    expect(letter.headers).toEqual({
      ...record.headers,
      [DLQ_REASON_HEADER]: 'value is not JSON',
      [DLQ_ORIGIN_HEADER]: 'ipfin.loans.v1/2/41',
      [DLQ_GROUP_HEADER]: 'metrics.loans',
    });
  });

  it('caps a long reason', () => {
    const letter = deadLetter('t', 0, record, 'x'.repeat(10000), 'g');
    expect(String(letter.headers![DLQ_REASON_HEADER]).length).toBe(2000);
  });
});
