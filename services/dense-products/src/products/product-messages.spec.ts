import { productCeType, validateEventData } from '@ipfin/contracts';
import { BusinessDate, Money } from '@ipfin/kernel';
import { computeRewards } from '../rewards/domain/reward-computation';
import { ZHANGZHOU_2024_PRODUCT_REWARD } from '../rewards/domain/reward-policy';
import { recogniseProduct, rejectProduct, withdrawRecognition } from './domain/product';
import {
  PATENTS,
  TODAY,
  file,
  filing,
  listed,
  minnanUniversity,
  minxinValves,
  registry,
  transferred,
} from './domain/scenarios/zhangzhou.fixtures';
import {
  filedMessage,
  recognisedMessage,
  recognitionWithdrawnMessage,
  rejectedMessage,
  rewardMessage,
  toOutboxMessages,
  type ProductMessage,
} from './product-messages';

const at = new Date('2024-06-18T02:00:00Z');
const view = registry(
  listed(PATENTS.valveControl, minnanUniversity, '2022-11-01'),
  transferred(PATENTS.valveControl, minnanUniversity, minxinValves, '2023-02-01'),
);

function expectValid(message: ProductMessage): void {
  const result = validateEventData(productCeType(message.name), message.data);
  expect(result).toEqual({ ok: true, value: message.data });
}

describe('product events as the service writes them', () => {
  const filed = file(view, filing(minxinValves, { agencyId: 'agency-zz-kwzx' }));
  const recognised = recogniseProduct(
    filed,
    { recognisedOn: BusinessDate.parse('2024-06-18'), certificateNo: 'ZLMJ-1' },
    { today: TODAY },
  );

  it('match their contract, name the product and its enterprise, and are keyed by the USCC', () => {
    const withdrawn = withdrawRecognition(
      recognised,
      { withdrawnOn: BusinessDate.parse('2024-09-01'), reason: '撤销' },
      { today: TODAY },
    );
    const rejected = rejectProduct(
      file(view, filing(minxinValves, { name: '另一产品' })),
      { rejectedOn: BusinessDate.parse('2024-06-18'), reason: '不符合' },
      { today: TODAY },
    );
    const messages = [
      filedMessage(filed, at),
      recognisedMessage(recognised, 2, at),
      rejectedMessage(rejected, 2, at),
      recognitionWithdrawnMessage(withdrawn, 4, at),
    ];

    messages.forEach(expectValid);
    expect(messages[0].data).toMatchObject({
      productId: filed.id,
      sequence: 1,
      agencyId: 'agency-zz-kwzx',
      annualRevenue: '12500000.00',
      enterprise: { name: minxinValves.name },
    });
    expect(messages[3].data).toMatchObject({
      recognisedOn: '2024-06-18',
      certificateNo: 'ZLMJ-1',
      recognitionYear: 2024,
    });
    expect(toOutboxMessages(messages, at).map((m) => [m.topic, m.key, m.type, m.subject])).toEqual([
      ['ipfin.products.v1', minxinValves.uscc, 'ipfin.products.ProductFiled.v1', filed.id],
      ['ipfin.products.v1', minxinValves.uscc, 'ipfin.products.ProductRecognised.v1', recognised.id],
      ['ipfin.products.v1', minxinValves.uscc, 'ipfin.products.ProductRejected.v1', rejected.id],
      ['ipfin.products.v1', minxinValves.uscc, 'ipfin.products.ProductRecognitionWithdrawn.v1', withdrawn.id],
    ]);
  });

  it('carry a first reward decision and a signed give-back as their contract says', () => {
    const recognition = {
      productId: recognised.id,
      enterpriseUscc: minxinValves.uscc,
      regionCode: minxinValves.regionCode,
      recognisedOn: '2024-06-18',
      sequence: 1,
      withdrawn: false,
      awarded: null,
    };
    const [award] = computeRewards([recognition], ZHANGZHOU_2024_PRODUCT_REWARD).changes;
    const [giveBack] = computeRewards(
      [{ ...recognition, withdrawn: true, awarded: Money.parse('5000') }],
      ZHANGZHOU_2024_PRODUCT_REWARD,
    ).changes;
    const ref = { uscc: minxinValves.uscc, regionCode: minxinValves.regionCode };

    const rewarded = rewardMessage(award, ref, 3, at);
    const adjusted = rewardMessage(giveBack, ref, 5, at);

    [rewarded, adjusted].forEach(expectValid);
    expect(rewarded).toMatchObject({
      name: 'ProductRewarded',
      data: { amount: '5000.00', basis: 'per-product', year: 2024, policyRegion: '350600' },
    });
    expect(adjusted).toMatchObject({
      name: 'ProductRewardAdjusted',
      data: {
        previousAmount: '5000.00',
        amount: '0.00',
        change: '-5000.00',
        reason: 'recognition-withdrawn',
        sequence: 5,
      },
    });
  });
});
