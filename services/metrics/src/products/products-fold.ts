import type {
  ProductFiledV1, ProductRecognisedV1, ProductRecognitionWithdrawnV1, ProductRejectedV1, ProductRewardAdjustedV1, ProductRewardedV1,
} from '@ipfin/contracts';
import { Money } from '@ipfin/kernel';
import { DeltaBag, MEASURES } from '../counters/deltas';

/**
 * Folds `ipfin.products.v1` into the product facts, per enterprise (dim = USCC) in the
 * enterprise's region: filed by `filedOn`, recognised and rewards by `recognisedOn`, rejected by
 * `rejectedOn`; products an agency filed also per agency. Stateless: every event names its
 * enterprise, region and dates. A withdrawn recognition leaves the year's `recognised` count
 * (dated by the recognition it undoes); reward adjustments add their signed `change`.
 */

export type ProductEventForFold = { ceType: string; data: unknown };

const typeName = (ceType: string): string => ceType.split('.')[2] ?? '';

export function foldProductEvents(events: readonly ProductEventForFold[]): DeltaBag {
  const bag = new DeltaBag();
  for (const event of events) {
    switch (typeName(event.ceType)) {
      case 'ProductFiled': {
        const e = event.data as ProductFiledV1;
        const region = e.enterprise.regionCode;
        bag.count({ measure: MEASURES.productsFiled, region, dim: e.enterprise.uscc, day: e.filedOn }, 1);
        if (e.agencyId) bag.count({ measure: MEASURES.agencyProductFilings, region, dim: e.agencyId, day: e.filedOn }, 1);
        break;
      }
      case 'ProductRecognised': {
        const e = event.data as ProductRecognisedV1;
        bag.count({ measure: MEASURES.productsRecognised, region: e.enterprise.regionCode, dim: e.enterprise.uscc, day: e.recognisedOn }, 1);
        break;
      }
      case 'ProductRecognitionWithdrawn': {
        const e = event.data as ProductRecognitionWithdrawnV1;
        bag.count({ measure: MEASURES.productsRecognised, region: e.enterprise.regionCode, dim: e.enterprise.uscc, day: e.recognisedOn }, -1);
        break;
      }
      case 'ProductRejected': {
        const e = event.data as ProductRejectedV1;
        bag.count({ measure: MEASURES.productsRejected, region: e.enterprise.regionCode, dim: e.enterprise.uscc, day: e.rejectedOn }, 1);
        break;
      }
      case 'ProductRewarded': {
        const e = event.data as ProductRewardedV1;
        bag.count({ measure: MEASURES.productRewards, region: e.enterprise.regionCode, dim: e.enterprise.uscc, day: e.recognisedOn }, 1, Money.parse(e.amount).fen);
        break;
      }
      case 'ProductRewardAdjusted': {
        const e = event.data as ProductRewardAdjustedV1;
        bag.count({ measure: MEASURES.productRewards, region: e.enterprise.regionCode, dim: e.enterprise.uscc, day: e.recognisedOn }, 0, Money.parseSigned(e.change).fen);
        break;
      }
      default:
        break;
    }
  }
  return bag;
}
