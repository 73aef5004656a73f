import { BusinessDate, Money, type DateLike } from '@ipfin/kernel';
import { toBusinessDate } from '../../products/domain/calendar';
import { findRewardPolicy, type RewardPolicy } from './reward-policy';

/*
 * Rewards for recognised products, "never twice" (就高、从优、不重复): for every recognition of
 * an enterprise in a calendar year, in line order (recognition date, then the order the service
 * recorded them), the policy pays `perProduct` until the yearly cap; the product that crosses the
 * cap gets the remainder, later ones ¥0.
 *
 * The function is given what each product has already been awarded and answers with the changes
 * only, so the service emits exact deltas and a replayed or repeated computation emits nothing:
 * - an amount already awarded to a recognition still in force is never reduced (a late or
 *   back-dated recognition takes only what is left of the cap; nobody is asked to pay back);
 * - a withdrawn recognition gives its whole reward back (→ ¥0);
 * - freed cap goes to the products next in line that are below `perProduct` (a ¥0 product may
 *   now get the freed amount), earliest first.
 */

/** Why a product's first reward decision has its amount (mirrors the contracts' `basis`). */
export type RewardBasis = 'per-product' | 'cap-remainder' | 'cap-reached' | 'no-policy';

/** Why a product's reward changed after its first decision (mirrors the contracts' `reason`). */
export type RewardAdjustmentReason = 'recognition-withdrawn' | 'cap-freed';

export interface RecognitionForReward {
  readonly productId: string;
  readonly enterpriseUscc: string;
  /** The enterprise's region at filing: decides which region's policy applies. */
  readonly regionCode: string;
  /**
   * A business date (`YYYY-MM-DD`), or a timestamp placed in Asia/Shanghai: its calendar year is
   * the year whose cap the product counts against (`2024-12-31T23:30+08:00` is in 2024).
   */
  readonly recognisedOn: DateLike;
  /** Order in which the service recorded the recognitions: breaks ties between same-day recognitions. */
  readonly sequence: number | bigint;
  /** The regulator withdrew the recognition: the product keeps nothing. */
  readonly withdrawn: boolean;
  /** What the product has been awarded so far; `null` before its first decision. */
  readonly awarded: Money | null;
}

interface RewardChangeBase {
  readonly productId: string;
  readonly enterpriseUscc: string;
  readonly year: number;
  readonly recognisedOn: BusinessDate;
  /** Region whose policy applied; `null` when no policy covers the recognition. */
  readonly policyRegion: string | null;
  /** The product's reward from now on. */
  readonly amount: Money;
}

/** First decision for a product → `ProductRewarded`. `amount` may be zero. */
export interface RewardAward extends RewardChangeBase {
  readonly kind: 'award';
  readonly basis: RewardBasis;
}

/** A later change → `ProductRewardAdjusted`; `change = amount − previousAmount`, never zero. */
export interface RewardAdjustment extends RewardChangeBase {
  readonly kind: 'adjustment';
  readonly previousAmount: Money;
  readonly change: Money;
  readonly reason: RewardAdjustmentReason;
}

export type RewardChange = RewardAward | RewardAdjustment;

/** Where one recognition stands after the computation. */
export interface RewardLine {
  readonly productId: string;
  readonly enterpriseUscc: string;
  readonly year: number;
  readonly recognisedOn: BusinessDate;
  readonly withdrawn: boolean;
  readonly policyRegion: string | null;
  /** Awarded before this computation (`null`: never decided). */
  readonly previous: Money | null;
  /** The product's reward from now on. */
  readonly amount: Money;
  /** What to emit for it; `null` when nothing changes. */
  readonly change: RewardChange | null;
}

export interface RewardComputation {
  /** Every recognition, ordered by year, then line order. */
  readonly lines: readonly RewardLine[];
  /** The events to emit, in line order. Empty when everything is already as it should be. */
  readonly changes: readonly RewardChange[];
  /** Σ rewards per enterprise USCC and year after the computation. */
  total(enterpriseUscc: string, year: number): Money;
}

interface PlacedRecognition {
  readonly input: RecognitionForReward;
  readonly on: BusinessDate;
  readonly sequence: bigint;
}

function byLineOrder(a: PlacedRecognition, b: PlacedRecognition): number {
  return (
    a.on.compare(b.on) ||
    (a.sequence < b.sequence ? -1 : a.sequence > b.sequence ? 1 : 0) ||
    a.input.productId.localeCompare(b.input.productId)
  );
}

const groupKey = (uscc: string, year: number): string => `${uscc}/${year}`;

/**
 * Computes the rewards of the given recognitions under `policies` (one policy, or the region's
 * policy book: each recognition is judged by the policy in force for its region on its date, see
 * `findRewardPolicy`). Recognitions are grouped per enterprise and calendar year, so the cap
 * resets on 1 January (Asia/Shanghai). Pass every recognition of the enterprise in the year
 * (withdrawn ones too, with what they were awarded): the cap is shared by all of them.
 */
export function computeRewards(
  recognitions: readonly RecognitionForReward[],
  policies: RewardPolicy | readonly RewardPolicy[],
): RewardComputation {
  const book: readonly RewardPolicy[] = isPolicyList(policies) ? policies : [policies];
  const groups = new Map<string, PlacedRecognition[]>();
  const seen = new Set<string>();
  for (const input of recognitions) {
    if (seen.has(input.productId))
      throw new Error(`computeRewards: product ${input.productId} is listed twice; a product is rewarded once.`);
    seen.add(input.productId);
    const on = toBusinessDate(input.recognisedOn);
    const key = groupKey(input.enterpriseUscc, on.year);
    const group = groups.get(key) ?? [];
    group.push({ input, on, sequence: BigInt(input.sequence) });
    groups.set(key, group);
  }

  const lines: RewardLine[] = [];
  const totals = new Map<string, Money>();
  const orderedGroups = [...groups.entries()].sort(
    ([, a], [, b]) => a[0].on.year - b[0].on.year || a[0].input.enterpriseUscc.localeCompare(b[0].input.enterpriseUscc),
  );
  for (const [key, group] of orderedGroups) {
    const groupLines = rewardYear(group.sort(byLineOrder), book);
    lines.push(...groupLines);
    totals.set(key, Money.sum(groupLines.map((l) => l.amount)));
  }

  return {
    lines,
    changes: lines.flatMap((l) => (l.change === null ? [] : [l.change])),
    total: (enterpriseUscc, year) => totals.get(groupKey(enterpriseUscc, year)) ?? Money.ZERO,
  };
}

function isPolicyList(policies: RewardPolicy | readonly RewardPolicy[]): policies is readonly RewardPolicy[] {
  return Array.isArray(policies);
}

/** One enterprise's recognitions of one year, in line order. */
function rewardYear(group: readonly PlacedRecognition[], book: readonly RewardPolicy[]): RewardLine[] {
  // What stays paid whatever happens: the awards of recognitions still in force.
  let used = Money.sum(group.filter((r) => !r.input.withdrawn).map((r) => r.input.awarded ?? Money.ZERO));
  return group.map(({ input, on }) => {
    const previous = input.awarded;
    const policy = findRewardPolicy(book, input.regionCode, on);
    const policyRegion = policy?.region ?? null;
    if (input.withdrawn) return line(input, on, policyRegion, Money.ZERO, null);
    const kept = previous ?? Money.ZERO;
    if (policy === null) return line(input, on, policyRegion, kept, 'no-policy');
    const room = policy.annualCapPerEnterprise.subtract(used).max(Money.ZERO);
    const topUp = policy.perProduct.subtract(kept).max(Money.ZERO).min(room);
    used = used.add(topUp);
    const amount = kept.add(topUp);
    const basis: RewardBasis = amount.equals(policy.perProduct)
      ? 'per-product'
      : amount.isZero()
        ? 'cap-reached'
        : 'cap-remainder';
    return line(input, on, policyRegion, amount, basis);
  });
}

function line(
  input: RecognitionForReward,
  on: BusinessDate,
  policyRegion: string | null,
  amount: Money,
  basis: RewardBasis | null,
): RewardLine {
  const previous = input.awarded;
  const base = {
    productId: input.productId,
    enterpriseUscc: input.enterpriseUscc,
    year: on.year,
    recognisedOn: on,
    policyRegion,
    amount,
  };
  let change: RewardChange | null = null;
  if (previous === null) {
    // A withdrawn recognition that was never decided has nothing to give back and gets no award.
    if (!input.withdrawn) change = { ...base, kind: 'award', basis: basis ?? 'no-policy' };
  } else if (!previous.equals(amount)) {
    change = {
      ...base,
      kind: 'adjustment',
      previousAmount: previous,
      change: amount.subtract(previous),
      reason: input.withdrawn ? 'recognition-withdrawn' : 'cap-freed',
    };
  }
  return { ...base, withdrawn: input.withdrawn, previous, change };
}
