import {
  TOPICS,
  productCeType,
  type ProductEnterpriseRefV1,
  type ProductEventName,
  type ProductEventPayload,
  type ProductFiledV1,
  type ProductRecognisedV1,
  type ProductRecognitionWithdrawnV1,
  type ProductRejectedV1,
  type ProductRewardAdjustedV1,
  type ProductRewardedV1,
} from '@ipfin/contracts';
import type { OutboxMessage } from '@ipfin/messaging';
import type { RewardChange } from '../rewards/domain/reward-computation';
import type { Product } from './domain/product';

/*
 * The events of `ipfin.products.v1` as the service writes them: one per step of a product's
 * history, numbered by `sequence` (1 = the filing; reward decisions and adjustments count too),
 * keyed by the enterprise's USCC.
 */

export interface ProductMessage {
  readonly name: ProductEventName;
  readonly productId: string;
  readonly sequence: number;
  readonly enterpriseUscc: string;
  readonly data: ProductEventPayload;
}

const enterpriseRef = (product: Product): ProductEnterpriseRefV1 => ({
  uscc: product.enterprise.uscc,
  regionCode: product.enterprise.regionCode,
});

const base = (productId: string, sequence: number, recordedAt: Date) => ({
  productId,
  sequence,
  recordedAt: recordedAt.toISOString(),
});

export function filedMessage(product: Product, recordedAt: Date): ProductMessage {
  const data: ProductFiledV1 = {
    ...base(product.id, 1, recordedAt),
    enterprise: {
      uscc: product.enterprise.uscc,
      regionCode: product.enterprise.regionCode,
      name: product.enterprise.name,
      ...(product.enterprise.size === undefined ? {} : { size: product.enterprise.size }),
    },
    ...(product.agencyId === undefined ? {} : { agencyId: product.agencyId }),
    name: product.name,
    ...(product.category === undefined ? {} : { category: product.category }),
    patents: [...product.patents],
    filedOn: product.filedOn.toString(),
    ...(product.annualRevenue === undefined ? {} : { annualRevenue: product.annualRevenue.toString() }),
  };
  return { name: 'ProductFiled', productId: product.id, sequence: 1, enterpriseUscc: product.enterprise.uscc, data };
}

export function recognisedMessage(product: Product, sequence: number, recordedAt: Date): ProductMessage {
  const recognition = required(product.recognition, product.id, 'recognition');
  const data: ProductRecognisedV1 = {
    ...base(product.id, sequence, recordedAt),
    enterprise: enterpriseRef(product),
    recognisedOn: recognition.recognisedOn.toString(),
    certificateNo: recognition.certificateNo,
    recognitionYear: recognition.year,
  };
  return { name: 'ProductRecognised', productId: product.id, sequence, enterpriseUscc: product.enterprise.uscc, data };
}

export function rejectedMessage(product: Product, sequence: number, recordedAt: Date): ProductMessage {
  const rejection = required(product.rejection, product.id, 'rejection');
  const data: ProductRejectedV1 = {
    ...base(product.id, sequence, recordedAt),
    enterprise: enterpriseRef(product),
    reason: rejection.reason,
    rejectedOn: rejection.rejectedOn.toString(),
  };
  return { name: 'ProductRejected', productId: product.id, sequence, enterpriseUscc: product.enterprise.uscc, data };
}

export function recognitionWithdrawnMessage(product: Product, sequence: number, recordedAt: Date): ProductMessage {
  const recognition = required(product.recognition, product.id, 'recognition');
  const withdrawal = required(product.withdrawal, product.id, 'withdrawal');
  const data: ProductRecognitionWithdrawnV1 = {
    ...base(product.id, sequence, recordedAt),
    enterprise: enterpriseRef(product),
    withdrawnOn: withdrawal.withdrawnOn.toString(),
    reason: withdrawal.reason,
    recognisedOn: recognition.recognisedOn.toString(),
    certificateNo: recognition.certificateNo,
    recognitionYear: recognition.year,
  };
  return {
    name: 'ProductRecognitionWithdrawn',
    productId: product.id,
    sequence,
    enterpriseUscc: product.enterprise.uscc,
    data,
  };
}

/** `ProductRewarded` for a first decision, `ProductRewardAdjusted` for a later change. */
export function rewardMessage(
  change: RewardChange,
  enterprise: ProductEnterpriseRefV1,
  sequence: number,
  recordedAt: Date,
): ProductMessage {
  const common = {
    ...base(change.productId, sequence, recordedAt),
    enterprise,
    year: change.year,
    recognisedOn: change.recognisedOn.toString(),
    ...(change.policyRegion === null ? {} : { policyRegion: change.policyRegion }),
  };
  const envelope = { productId: change.productId, sequence, enterpriseUscc: enterprise.uscc };
  if (change.kind === 'award') {
    const data: ProductRewardedV1 = { ...common, amount: change.amount.toString(), basis: change.basis };
    return { ...envelope, name: 'ProductRewarded', data };
  }
  const data: ProductRewardAdjustedV1 = {
    ...common,
    previousAmount: change.previousAmount.toString(),
    amount: change.amount.toString(),
    change: change.change.toString(),
    reason: change.reason,
  };
  return { ...envelope, name: 'ProductRewardAdjusted', data };
}

/** The outbox rows of the messages, in order: topic `ipfin.products.v1`, key the enterprise's USCC. */
export function toOutboxMessages(messages: readonly ProductMessage[], time: Date): OutboxMessage[] {
  return messages.map((msg) => ({
    topic: TOPICS.products,
    key: msg.enterpriseUscc,
    type: productCeType(msg.name),
    subject: msg.productId,
    data: msg.data,
    time,
  }));
}

function required<T>(value: T | undefined, productId: string, what: string): T {
  if (value === undefined) throw new Error(`product ${productId} has no ${what} to announce`);
  return value;
}
