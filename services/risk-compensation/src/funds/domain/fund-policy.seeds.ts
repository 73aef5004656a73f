import { BusinessDate } from '@ipfin/kernel';
import { parseFundPolicy, type FundPolicy, type FundPolicyInput } from './fund-policy';

/*
 * Policies seeded at first start. Everything else is set by the fund managers through
 * `PUT /v1/funds/{region}/policy`.
 */

export const ZHANGZHOU_REGION = '350600';

/** zhangzhou-2024: "本措施自印发之日起实施,有效期五年", issued 2024-02-02 → in force through 2029-02-01. */
const ZHANGZHOU_FROM = BusinessDate.of(2024, 2, 2);
const ZHANGZHOU_TO = ZHANGZHOU_FROM.addYears(5).addDays(-1);

/**
 * Zhangzhou's inclusive-finance risk compensation fund (¥100 m): the fund bears 80 % of a
 * qualifying loan's principal loss, the cooperating bank 20 % (8 : 2), for micro, small and medium
 * borrowers in Zhangzhou and its counties.
 *
 * The document names no banks, principal cap or claim deadline. The cooperating banks below are a
 * plausible starting list of the banks active in Zhangzhou's IP pledge lending; the list is the
 * fund manager's to maintain (a PUT of this version, `effectiveFrom` 2024-02-02, replaces it; a bank
 * joining from a later date is a new version from that date). No `maxPrincipal`, `perLoanCap` or
 * claim window is seeded, so none applies until the fund manager sets one.
 */
export const ZHANGZHOU_POLICY_INPUT: FundPolicyInput = {
  effectiveFrom: ZHANGZHOU_FROM.toString(),
  effectiveTo: ZHANGZHOU_TO.toString(),
  fundSharePercent: 80,
  borrowerSizes: ['micro', 'small', 'medium'],
  cooperatingBanks: [
    'bank-icbc-zz', // 工商银行漳州分行
    'bank-abc-zz', // 农业银行漳州分行
    'bank-boc-zz', // 中国银行漳州分行
    'bank-ccb-zz', // 建设银行漳州分行
    'bank-bocom-zz', // 交通银行漳州分行
    'bank-psbc-zz', // 邮储银行漳州分行
    'bank-cib-zz', // 兴业银行漳州分行
    'bank-xmbank-zz', // 厦门银行漳州分行
    'bank-zzrcb', // 漳州农商银行
  ],
};

function seed(region: string, input: FundPolicyInput): FundPolicy {
  const parsed = parseFundPolicy(region, input);
  if (!parsed.ok) throw new Error(`Seeded policy of ${region} is invalid: ${parsed.problem.detail}`);
  return parsed.policy;
}

export const ZHANGZHOU_POLICY: FundPolicy = seed(ZHANGZHOU_REGION, ZHANGZHOU_POLICY_INPUT);

/** Every seeded version. */
export const SEEDED_POLICIES: readonly FundPolicy[] = [ZHANGZHOU_POLICY];

/**
 * The seeds still to write: those whose region has no version with the same `effectiveFrom`. A
 * seed never overwrites what a fund manager has since put in its place.
 */
export function policiesToSeed(existing: readonly FundPolicy[]): FundPolicy[] {
  return SEEDED_POLICIES.filter(
    (s) => !existing.some((v) => v.region === s.region && v.effectiveFrom === s.effectiveFrom),
  );
}
