import { BusinessDate, Money, ValidationFailed } from '@ipfin/kernel';
import {
  ZHANGPU,
  jiulongOptics,
  minxinValves,
  thrownBy,
  zhangpuFoods,
} from '../../../products/domain/scenarios/zhangzhou.fixtures';
import {
  SEEDED_REWARD_POLICIES,
  ZHANGZHOU_2024_PRODUCT_REWARD,
  findRewardPolicy,
  policiesOverlap,
  rewardPolicy,
} from '../reward-policy';
import { RewardLedger, policyOf, productNo } from './reward-ledger.fixtures';

const on = (text: string): BusinessDate => BusinessDate.parse(text);

describe('reward policies are data per region, looked up from the enterprise region upwards', () => {
  it('seeds Zhangzhou 350600: ¥5 000 each, ¥100 000 a year, 2024-02-02 for five years', () => {
    expect(SEEDED_REWARD_POLICIES).toEqual([ZHANGZHOU_2024_PRODUCT_REWARD]);
    expect(ZHANGZHOU_2024_PRODUCT_REWARD).toMatchObject({ region: '350600', source: 'zhangzhou-2024 §9' });
    expect(ZHANGZHOU_2024_PRODUCT_REWARD.perProduct.equals(Money.parse('5000'))).toBe(true);
    expect(ZHANGZHOU_2024_PRODUCT_REWARD.annualCapPerEnterprise.equals(Money.parse('100000'))).toBe(true);
    expect(ZHANGZHOU_2024_PRODUCT_REWARD.effectiveFrom.toString()).toBe('2024-02-02');
    expect(ZHANGZHOU_2024_PRODUCT_REWARD.effectiveTo?.toString()).toBe('2029-02-01');
  });

  it("covers Zhangzhou's counties (Longhai 350681, Zhangpu 350623) through the prefecture", () => {
    for (const enterprise of [minxinValves, zhangpuFoods, jiulongOptics]) {
      expect(findRewardPolicy(SEEDED_REWARD_POLICIES, enterprise.regionCode, on('2024-06-01'))).toBe(
        ZHANGZHOU_2024_PRODUCT_REWARD,
      );
    }
    expect(findRewardPolicy(SEEDED_REWARD_POLICIES, '350583', on('2024-06-01'))).toBeNull(); // Nan'an, Quanzhou
    expect(findRewardPolicy(SEEDED_REWARD_POLICIES, '371002', on('2024-06-01'))).toBeNull(); // Huancui, Weihai
  });

  it('pays nothing for recognitions outside the period in force, without using the cap', () => {
    const ledger = new RewardLedger(SEEDED_REWARD_POLICIES);

    const [before] = ledger.recognise(productNo(1), '2024-02-01');
    const [first] = ledger.recognise(productNo(2), '2024-02-02');
    const [last] = ledger.recognise(productNo(3), '2029-02-01');
    const [after] = ledger.recognise(productNo(4), '2029-02-02');

    expect(
      [before, first, last, after].map((c) => [
        c.kind === 'award' ? c.basis : null,
        c.policyRegion,
        c.amount.toString(),
      ]),
    ).toEqual([
      ['no-policy', null, '0.00'],
      ['per-product', '350600', '5000.00'],
      ['per-product', '350600', '5000.00'],
      ['no-policy', null, '0.00'],
    ]);
  });

  it("prefers a county's own policy to its prefecture's", () => {
    const zhangpuOwn = policyOf('8000.00', '40000.00', ZHANGPU, '2024-01-01');
    const book = [ZHANGZHOU_2024_PRODUCT_REWARD, zhangpuOwn];

    expect(findRewardPolicy(book, ZHANGPU, on('2024-06-01'))).toBe(zhangpuOwn);
    expect(findRewardPolicy(book, minxinValves.regionCode, on('2024-06-01'))).toBe(ZHANGZHOU_2024_PRODUCT_REWARD);
    const ledger = new RewardLedger(book);
    const [award] = ledger.recognise(productNo(1), '2024-06-01', zhangpuFoods);
    expect(award).toMatchObject({ policyRegion: ZHANGPU });
    expect(award.amount.toString()).toBe('8000.00');
  });

  it('falls back to the prefecture when the county policy is not in force that day', () => {
    const expired = policyOf('8000.00', '40000.00', ZHANGPU, '2023-01-01', '2023-12-31');

    expect(findRewardPolicy([ZHANGZHOU_2024_PRODUCT_REWARD, expired], ZHANGPU, on('2024-06-01'))).toBe(
      ZHANGZHOU_2024_PRODUCT_REWARD,
    );
  });

  it('validates policy data and detects overlapping versions of one region', () => {
    expect(() =>
      rewardPolicy({ region: '3506', perProduct: '-1', annualCapPerEnterprise: '1.234', effectiveFrom: '2024-02-30' }),
    ).toThrow(ValidationFailed);
    const backwards = thrownBy(() =>
      rewardPolicy({
        region: '350600',
        perProduct: '5000',
        annualCapPerEnterprise: '100000',
        effectiveFrom: '2024-02-02',
        effectiveTo: '2024-01-01',
      }),
    );
    expect((backwards as ValidationFailed).errors).toEqual([
      { field: 'effectiveTo', message: expect.stringContaining('before effectiveFrom') },
    ]);
    const everyField = thrownBy(() =>
      rewardPolicy({ region: '3506', perProduct: '-1', annualCapPerEnterprise: '1.234', effectiveFrom: '2024-02-30' }),
    );
    expect((everyField as ValidationFailed).errors.map((e) => e.field)).toEqual([
      'region',
      'perProduct',
      'annualCapPerEnterprise',
      'effectiveFrom',
    ]);
    expect(policiesOverlap(ZHANGZHOU_2024_PRODUCT_REWARD, policyOf('6000', '100000', '350600', '2029-02-01'))).toBe(
      true,
    );
    expect(policiesOverlap(ZHANGZHOU_2024_PRODUCT_REWARD, policyOf('6000', '100000', '350600', '2029-02-02'))).toBe(
      false,
    );
  });
});
