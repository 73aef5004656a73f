import { MEASURES } from '../counters/deltas';
import { foldProductEvents } from './products-fold';

const enterprise = { uscc: '91350602MA0000001X', regionCode: '350602' };
const ev = (name: string, data: Record<string, unknown>) => ({ ceType: `ipfin.products.${name}.v1`, data: { productId: 'p1', sequence: 1, recordedAt: '2024-01-01T00:00:00Z', enterprise, ...data } });
const figures = (bag: ReturnType<typeof foldProductEvents>) =>
  Object.fromEntries(bag.counterDeltas().map((d) => [`${d.measure}|${d.dim}@${d.day}`, d.amountFen === 0n ? d.n : [d.n, d.amountFen]]));

describe('folding product events', () => {
  it('dates filings, recognitions, rejections and rewards by their own dates, per enterprise and agency', () => {
    const bag = foldProductEvents([
      ev('ProductFiled', { enterprise: { ...enterprise, name: 'e' }, agencyId: 'agency-a', name: 'n', patents: ['202310123456.6'], filedOn: '2024-02-01' }),
      ev('ProductRecognised', { recognisedOn: '2024-06-01', certificateNo: 'C1', recognitionYear: 2024 }),
      ev('ProductRewarded', { year: 2024, recognisedOn: '2024-06-01', amount: '5000.00', basis: 'per-product' }),
      ev('ProductRejected', { productId: 'p2', reason: 'r', rejectedOn: '2024-07-01' }),
    ]);
    expect(figures(bag)).toEqual({
      [`${MEASURES.agencyProductFilings}|agency-a@2024-02-01`]: 1,
      [`${MEASURES.productsFiled}|${enterprise.uscc}@2024-02-01`]: 1,
      [`${MEASURES.productsRecognised}|${enterprise.uscc}@2024-06-01`]: 1,
      [`${MEASURES.productsRejected}|${enterprise.uscc}@2024-07-01`]: 1,
      [`${MEASURES.productRewards}|${enterprise.uscc}@2024-06-01`]: [1, 500000n],
    });
  });

  it('restates a withdrawn recognition and its reward adjustments', () => {
    const bag = foldProductEvents([
      ev('ProductRecognised', { recognisedOn: '2024-06-01', certificateNo: 'C1', recognitionYear: 2024 }),
      ev('ProductRewarded', { year: 2024, recognisedOn: '2024-06-01', amount: '5000.00', basis: 'per-product' }),
      ev('ProductRecognitionWithdrawn', { withdrawnOn: '2024-08-01', reason: 'r', recognisedOn: '2024-06-01', certificateNo: 'C1', recognitionYear: 2024 }),
      ev('ProductRewardAdjusted', { year: 2024, recognisedOn: '2024-06-01', previousAmount: '5000.00', amount: '0.00', change: '-5000.00', reason: 'recognition-withdrawn' }),
    ]);
    expect(figures(bag)).toEqual({ [`${MEASURES.productRewards}|${enterprise.uscc}@2024-06-01`]: 1 });
  });
});
