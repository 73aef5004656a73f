/**
 * Data the Aggregates migration seeds (idempotently). Changing a seed needs a new migration:
 * databases that ran the old one keep the old rows.
 */

export interface RewardPolicySeed {
  region: string;
  kind: 'university-transfer-reward' | 'agency-service-subsidy';
  effectiveFrom: string;
  effectiveTo: string | null;
  params: Record<string, unknown>;
}

/** zhangzhou-2024 §7 (university transfers) and §13 (service agencies), valid five years from 2024-02-02. */
export const REWARD_POLICY_SEEDS: readonly RewardPolicySeed[] = [
  {
    region: '350600', kind: 'university-transfer-reward', effectiveFrom: '2024-02-02', effectiveTo: '2029-02-01',
    params: { minTransfers: 6, base: '30000.00', perExtra: '5000.00', cap: '300000.00' },
  },
  {
    region: '350600', kind: 'agency-service-subsidy', effectiveFrom: '2024-02-02', effectiveTo: '2029-02-01',
    params: { minEnterprises: 5, minTransfersAndLicences: 50, minProductFilings: 50, amount: '150000.00' },
  },
];

export interface TargetSeed {
  id: string;
  region: string;
  indicator: string;
  unit: 'CNY' | 'count';
  /** Fen for CNY, a count otherwise. */
  baseline: bigint | null;
  target: bigint;
  dueOn: string;
  /** Where the figure comes from. */
  source: string;
}

const yuan = (n: number): bigint => BigInt(n) * 100n;

/** The measurable indicators of the five documents in /policies. */
export const TARGET_SEEDS: readonly TargetSeed[] = [
  {
    id: 'quanzhou-2016-patent-pledge', region: '350500', indicator: 'patent-pledge-cumulative', unit: 'CNY',
    baseline: null, target: yuan(1_000_000_000), dueOn: '2018-12-31',
    source: 'quanzhou-2016 三(二)5: 累计专利权质押贷款额10亿元 (到2018年12月)',
  },
  {
    id: 'quanzhou-2016-trademark-pledge', region: '350500', indicator: 'trademark-pledge-cumulative', unit: 'CNY',
    baseline: null, target: yuan(1_500_000_000), dueOn: '2018-12-31',
    source: 'quanzhou-2016 三(二)5: 商标质押贷款额15亿元 (到2018年12月)',
  },
  {
    id: 'nanan-2022-pledge-financing', region: '350583', indicator: 'pledge-financing-cumulative', unit: 'CNY',
    baseline: null, target: yuan(500_000_000), dueOn: '2024-12-31',
    source: 'nanan-2022 三(二)3: 到2024年全市累计知识产权质押融资总额达到5亿元',
  },
  {
    id: 'shaoyang-2021-pledge-financing', region: '430500', indicator: 'pledge-financing-annual', unit: 'CNY',
    baseline: yuan(35_000_000), target: yuan(150_000_000), dueOn: '2025-12-31',
    source: 'shaoyang-2021 二(三) 主要指标6: 年度知识产权质押融资金额 0.35亿元 (2020) → 1.5亿元 (2025)',
  },
  {
    id: 'shaoyang-2021-recorded-contracts', region: '430500', indicator: 'recorded-contracts-annual', unit: 'count',
    baseline: null, target: 10n, dueOn: '2025-12-31',
    source: 'shaoyang-2021 二(三) 知识产权运用水平: 专利转让及许可合同备案数量达到年均10件',
  },
  {
    id: 'shaoyang-2021-patent-operation-pledge', region: '430500', indicator: 'patent-operation-and-pledge-annual', unit: 'CNY',
    baseline: null, target: yuan(40_000_000), dueOn: '2025-12-31',
    source: 'shaoyang-2021 二(三) 知识产权运用水平: 专利运营及质押融资额度年均达到0.4亿元',
  },
  {
    id: 'shaoyang-2021-risk-fund', region: '430500', indicator: 'risk-fund-capital-annual', unit: 'CNY',
    baseline: null, target: yuan(60_000_000), dueOn: '2025-12-31',
    source: 'shaoyang-2021 二(三) 知识产权运用水平: 成立风险基金年均达0.6亿元',
  },
  {
    id: 'weihai-huancui-2024-open-licences', region: '371002', indicator: 'open-licences-declared-cumulative', unit: 'count',
    baseline: null, target: 50n, dueOn: '2026-12-31',
    source: 'weihai-huancui-2024 三(二): 截至2026年底专利开放许可不少于50件',
  },
];
