import {
  BORROWER_SIZES,
  CLAIM_WINDOW_UNITS,
  type BorrowerSize,
  type ClaimWindowUnit,
  type PolicyChange,
  type PolicySetV1,
} from '@ipfin/contracts';
import {
  BusinessDate,
  Money,
  PercentFormatError,
  RegionCode,
  addWorkingDays,
  isDomainError,
  parsePercent,
  type FieldError,
  type PercentInput,
} from '@ipfin/kernel';
import { fundProblem, type FundProblem } from './fund-problems';

/*
 * A fund's policy as versioned data per region. A version is identified by its region and
 * `effectiveFrom`, and is in force from `effectiveFrom` to `effectiveTo` (inclusive; open-ended
 * when absent). Versions of one region never overlap, so on any day at most one is in force.
 */

/**
 * How long after a default a claim is accepted. `calendar` counts every day; `working` counts
 * Monday–Friday (Weihai's "10 working days"). The kernel's working days ignore public holidays and
 * make-up weekends, so around Spring Festival or National Day a `working` deadline can fall a few
 * days earlier than the official calendar's; a fund that needs the official calendar would add it
 * to the policy.
 */
export interface ClaimWindow {
  readonly days: number;
  readonly unit: ClaimWindowUnit;
}

export interface FundPolicy {
  /** The fund's region (6-digit code): its policy covers borrowers in this region and the regions below it. */
  readonly region: string;
  readonly effectiveFrom: string;
  /** Last day in force, inclusive; absent = until a later version is set. */
  readonly effectiveTo?: string;
  /** The fund's share of a principal loss, 0–100, normalised decimal string (`"80"`, `"62.5"`). */
  readonly fundSharePercent: string;
  /** `sub`s of the cooperating banks, sorted. The fund manager maintains the list with the policy. */
  readonly cooperatingBanks: readonly string[];
  /** Eligible borrower sizes, in `BORROWER_SIZES` order. */
  readonly borrowerSizes: readonly BorrowerSize[];
  /** Largest contracted principal a covered loan may have. */
  readonly maxPrincipal?: Money;
  /** Longest term a covered loan may have. */
  readonly maxTermMonths?: number;
  /** The most the fund pays on one loan. */
  readonly perLoanCap?: Money;
  /** Absent: claims are accepted at any time after the default. */
  readonly claimWindow?: ClaimWindow;
}

/**
 * A policy as the fund manager sends it (`PUT /v1/funds/{region}/policy`). `claimWindowDays` is the
 * API's field; `claimWindowUnit` (default `calendar`) lets a policy count working days instead.
 */
export interface FundPolicyInput {
  readonly fundSharePercent: PercentInput;
  readonly effectiveFrom: string;
  readonly effectiveTo?: string;
  readonly cooperatingBanks: readonly string[];
  readonly borrowerSizes: readonly string[];
  readonly maxPrincipal?: string;
  readonly maxTermMonths?: number;
  readonly perLoanCap?: string;
  readonly claimWindowDays?: number;
  readonly claimWindowUnit?: string;
}

export type PolicyParse =
  { readonly ok: true; readonly policy: FundPolicy } | { readonly ok: false; readonly problem: FundProblem };

/** Longest claim window accepted: ten years of days is already far beyond any real policy. */
const MAX_WINDOW_DAYS = 3660;

/** At most four decimals, as `PolicySet` carries it (`"62.5"`, `"33.3333"`). */
const MAX_PERCENT_DECIMALS = 4;

function normalisePercent(input: PercentInput): string {
  parsePercent(input, 100);
  if (typeof input !== 'string') return input.toString();
  const text = input.includes('.') ? input.replace(/0+$/, '').replace(/\.$/, '') : input;
  const decimals = text.includes('.') ? text.length - text.indexOf('.') - 1 : 0;
  if (decimals > MAX_PERCENT_DECIMALS) {
    throw new PercentFormatError(`A fund share has at most ${MAX_PERCENT_DECIMALS} decimals, got "${input}".`, input);
  }
  return text;
}

function positiveMoney(text: string, field: string, errors: FieldError[]): Money | undefined {
  try {
    const amount = Money.parse(text);
    if (amount.isPositive()) return amount;
    errors.push({ field, message: `${field} must be a positive amount, got "${text}".` });
  } catch (error: unknown) {
    errors.push({ field, message: isDomainError(error) ? error.detail : `${field} is not an amount.` });
  }
  return undefined;
}

function businessDate(text: string, field: string, errors: FieldError[]): BusinessDate | undefined {
  const result = BusinessDate.validate(text);
  if (result.ok) return result.value;
  errors.push({ field, message: result.message });
  return undefined;
}

const isWindowUnit = (unit: string): unit is ClaimWindowUnit =>
  (CLAIM_WINDOW_UNITS as readonly string[]).includes(unit);
const isBorrowerSize = (size: string): size is BorrowerSize => (BORROWER_SIZES as readonly string[]).includes(size);

/**
 * Checks and normalises a policy version for `region`: dates are real and ordered, the percent is
 * 0–100, amounts positive, banks and sizes de-duplicated into a canonical order (so an identical
 * re-submission compares equal). All field problems are reported at once.
 */
export function parseFundPolicy(region: string, input: FundPolicyInput): PolicyParse {
  const errors: FieldError[] = [];
  const regionCheck = RegionCode.validate(region);
  if (!regionCheck.ok) errors.push({ field: 'region', message: regionCheck.message });

  const from = businessDate(input.effectiveFrom, 'effectiveFrom', errors);
  const to = input.effectiveTo === undefined ? undefined : businessDate(input.effectiveTo, 'effectiveTo', errors);
  if (from !== undefined && to !== undefined && to.isBefore(from)) {
    errors.push({
      field: 'effectiveTo',
      message: `effectiveTo ${to.toString()} is before effectiveFrom ${from.toString()}.`,
    });
  }

  let fundSharePercent = '';
  try {
    fundSharePercent = normalisePercent(input.fundSharePercent);
  } catch (error: unknown) {
    if (!(error instanceof PercentFormatError)) throw error;
    errors.push({ field: 'fundSharePercent', message: error.detail });
  }

  const banks = new Set<string>();
  input.cooperatingBanks.forEach((bank, i) => {
    const sub = bank.trim();
    if (sub === '')
      errors.push({ field: `cooperatingBanks[${i}]`, message: 'A cooperating bank is named by its non-empty sub.' });
    else banks.add(sub);
  });

  const sizes = new Set<BorrowerSize>();
  input.borrowerSizes.forEach((size, i) => {
    if (isBorrowerSize(size)) sizes.add(size);
    else
      errors.push({
        field: `borrowerSizes[${i}]`,
        message: `A borrower size is one of ${BORROWER_SIZES.join(', ')}, got "${size}".`,
      });
  });
  if (input.borrowerSizes.length === 0)
    errors.push({ field: 'borrowerSizes', message: 'At least one borrower size must be eligible.' });

  const maxPrincipal =
    input.maxPrincipal === undefined ? undefined : positiveMoney(input.maxPrincipal, 'maxPrincipal', errors);
  const perLoanCap = input.perLoanCap === undefined ? undefined : positiveMoney(input.perLoanCap, 'perLoanCap', errors);

  if (input.maxTermMonths !== undefined && !(Number.isSafeInteger(input.maxTermMonths) && input.maxTermMonths >= 1)) {
    errors.push({
      field: 'maxTermMonths',
      message: `maxTermMonths must be a whole number of months ≥ 1, got ${input.maxTermMonths}.`,
    });
  }

  let claimWindow: ClaimWindow | undefined;
  const days = input.claimWindowDays;
  const unit = input.claimWindowUnit ?? 'calendar';
  if (!isWindowUnit(unit)) {
    errors.push({
      field: 'claimWindowUnit',
      message: `claimWindowUnit is one of ${CLAIM_WINDOW_UNITS.join(', ')}, got "${unit}".`,
    });
  } else if (days === undefined) {
    if (input.claimWindowUnit !== undefined)
      errors.push({ field: 'claimWindowUnit', message: 'claimWindowUnit needs claimWindowDays.' });
  } else if (!Number.isSafeInteger(days) || days < 1 || days > MAX_WINDOW_DAYS) {
    errors.push({
      field: 'claimWindowDays',
      message: `claimWindowDays must be a whole number of days from 1 to ${MAX_WINDOW_DAYS}, got ${days}.`,
    });
  } else {
    claimWindow = { days, unit };
  }

  if (errors.length > 0 || from === undefined || !regionCheck.ok) {
    return {
      ok: false,
      problem: fundProblem('invalid-policy', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors }),
    };
  }
  return {
    ok: true,
    policy: {
      region: regionCheck.value.code,
      effectiveFrom: from.toString(),
      ...(to === undefined ? {} : { effectiveTo: to.toString() }),
      fundSharePercent,
      cooperatingBanks: [...banks].sort(),
      borrowerSizes: BORROWER_SIZES.filter((s) => sizes.has(s)),
      ...(maxPrincipal === undefined ? {} : { maxPrincipal }),
      ...(input.maxTermMonths === undefined ? {} : { maxTermMonths: input.maxTermMonths }),
      ...(perLoanCap === undefined ? {} : { perLoanCap }),
      ...(claimWindow === undefined ? {} : { claimWindow }),
    },
  };
}

/** Whether `date` (`YYYY-MM-DD`) lies in the version's effective period (both ends inclusive). */
export function isInForce(policy: FundPolicy, date: string): boolean {
  return policy.effectiveFrom <= date && (policy.effectiveTo === undefined || date <= policy.effectiveTo);
}

/** The version of one region's policy in force on `date`, or null. Versions never overlap, so at most one matches. */
export function policyInForce(versions: readonly FundPolicy[], date: string | BusinessDate): FundPolicy | null {
  const day = typeof date === 'string' ? BusinessDate.parse(date).toString() : date.toString();
  return versions.find((v) => isInForce(v, day)) ?? null;
}

/** The version identified by `effectiveFrom` (a loan's `policyVersion`), or null. */
export function policyVersion(
  versions: readonly FundPolicy[],
  region: string,
  effectiveFrom: string,
): FundPolicy | null {
  return versions.find((v) => v.region === region && v.effectiveFrom === effectiveFrom) ?? null;
}

function periodsOverlap(a: FundPolicy, b: FundPolicy): boolean {
  const aEndsBeforeB = a.effectiveTo !== undefined && a.effectiveTo < b.effectiveFrom;
  const bEndsBeforeA = b.effectiveTo !== undefined && b.effectiveTo < a.effectiveFrom;
  return !aEndsBeforeB && !bEndsBeforeA;
}

const describePeriod = (p: FundPolicy): string => `${p.effectiveFrom} … ${p.effectiveTo ?? 'open-ended'}`;

/** The wire form of a version, as `PolicySet` carries it. */
export function policySetPayload(policy: FundPolicy, change: PolicyChange): PolicySetV1 {
  return {
    region: policy.region,
    effectiveFrom: policy.effectiveFrom,
    ...(policy.effectiveTo === undefined ? {} : { effectiveTo: policy.effectiveTo }),
    fundSharePercent: policy.fundSharePercent,
    cooperatingBanks: [...policy.cooperatingBanks],
    borrowerSizes: [...policy.borrowerSizes],
    ...(policy.maxPrincipal === undefined ? {} : { maxPrincipal: policy.maxPrincipal.toString() }),
    ...(policy.maxTermMonths === undefined ? {} : { maxTermMonths: policy.maxTermMonths }),
    ...(policy.perLoanCap === undefined ? {} : { perLoanCap: policy.perLoanCap.toString() }),
    ...(policy.claimWindow === undefined
      ? {}
      : { claimWindowDays: policy.claimWindow.days, claimWindowUnit: policy.claimWindow.unit }),
    change,
  };
}

/** Two versions say the same thing (same fields, canonical form). */
export function samePolicy(a: FundPolicy, b: FundPolicy): boolean {
  return JSON.stringify(policySetPayload(a, 'added')) === JSON.stringify(policySetPayload(b, 'added'));
}

export type PolicyUpsert =
  | {
      readonly outcome: 'added' | 'replaced';
      /** The region's versions after the change, by `effectiveFrom`. */
      readonly versions: readonly FundPolicy[];
      readonly policy: FundPolicy;
      /** The version replaced (same `effectiveFrom`), for `replaced`. */
      readonly previous?: FundPolicy;
      readonly event: PolicySetV1;
    }
  | { readonly outcome: 'unchanged'; readonly versions: readonly FundPolicy[]; readonly policy: FundPolicy }
  | { readonly outcome: 'conflict'; readonly problem: FundProblem };

/**
 * Adds or replaces a version of a region's policy (`PUT /v1/funds/{region}/policy`):
 * - the `effectiveFrom` of an existing version replaces it (a correction), or is `unchanged` when
 *   the content is identical (a retried PUT publishes nothing);
 * - any other `effectiveFrom` adds a version;
 * - either way the new period may not overlap another version's: `policy-period-overlap` (409).
 *   To follow an open-ended version, first PUT it again with an `effectiveTo`, then add the new one.
 * `existing` may hold other regions' versions; only `incoming.region`'s are considered and returned.
 */
export function upsertPolicyVersion(existing: readonly FundPolicy[], incoming: FundPolicy): PolicyUpsert {
  const own = existing.filter((v) => v.region === incoming.region);
  const previous = own.find((v) => v.effectiveFrom === incoming.effectiveFrom);
  const others = own.filter((v) => v !== previous);
  const clash = others.find((v) => periodsOverlap(v, incoming));
  if (clash !== undefined) {
    return {
      outcome: 'conflict',
      problem: fundProblem(
        'policy-period-overlap',
        `The period ${describePeriod(incoming)} overlaps the version in force ${describePeriod(clash)} of region ${incoming.region}; end that version first (PUT it with an effectiveTo) or choose another period.`,
        { context: { region: incoming.region, conflictingVersion: clash.effectiveFrom } },
      ),
    };
  }
  const versions = [...others, incoming].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  if (previous === undefined)
    return { outcome: 'added', versions, policy: incoming, event: policySetPayload(incoming, 'added') };
  if (samePolicy(previous, incoming)) return { outcome: 'unchanged', versions: own, policy: previous };
  return { outcome: 'replaced', versions, policy: incoming, previous, event: policySetPayload(incoming, 'replaced') };
}

/**
 * The last day a claim for a default on `defaultedOn` is accepted: `days` calendar days later, or
 * the `days`-th working day after it (the default day itself never counts; a default on a Saturday
 * starts counting on Monday). A claim filed on the deadline is in time.
 */
export function claimDeadline(defaultedOn: BusinessDate, window: ClaimWindow): BusinessDate {
  switch (window.unit) {
    case 'calendar':
      return defaultedOn.addDays(window.days);
    case 'working':
      return addWorkingDays(defaultedOn, window.days);
  }
}
