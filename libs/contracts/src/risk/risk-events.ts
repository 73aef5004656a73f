import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { BORROWER_SIZES, type BorrowerSize } from '../loans/loan-events';
import { IsBusinessDate, IsMoneyString, IsRegionCode, USCC_PATTERN } from '../validation';

/**
 * Payloads of `ipfin.risk.v1`, keyed by the **fund region** (the 6-digit code of the region whose
 * risk-compensation fund the event concerns), so one fund's events stay in order. Money is a
 * decimal string, dates are `YYYY-MM-DD` business dates, percentages are decimal strings
 * (`"80"`, `"62.5"`) so no binary float ever carries a share.
 *
 * Register each entry of `RISK_EVENT_TYPES` as `ipfin.risk.<name>.v1`.
 */

/** A percentage 0–100 as a decimal string with at most four decimals: `"80"`, `"62.5"`, `"100"`. */
export const PERCENT_PATTERN = /^(?:100(?:\.0{1,4})?|[1-9]?\d(?:\.\d{1,4})?)$/;

/** How a claim window counts days: every calendar day, or Monday–Friday only (public holidays not excluded). */
export const CLAIM_WINDOW_UNITS = ['calendar', 'working'] as const;
export type ClaimWindowUnit = (typeof CLAIM_WINDOW_UNITS)[number];

/**
 * Why a loan is not covered. `no-policy`: no fund policy in force for the borrower's region on the
 * registration date; `bank-not-cooperating`: the bank is not on the policy's list; `borrower-size`:
 * the borrower's size is not eligible (usually: not an SME); `max-principal` / `max-term`: above
 * the policy's limits; `borrower-outside-region`: the bank cooperates with this fund, but the
 * borrower is not in the fund's region; `registration-reversed`: the loan's registration was
 * reversed, so the loan no longer exists.
 */
export const COVERAGE_RULES = [
  'no-policy',
  'bank-not-cooperating',
  'borrower-size',
  'max-principal',
  'max-term',
  'borrower-outside-region',
  'registration-reversed',
] as const;
export type CoverageRule = (typeof COVERAGE_RULES)[number];

/** What made risk-compensation (re)state a loan's coverage. */
export const COVERAGE_CAUSES = ['registered', 'registration-reversed', 'policy-changed'] as const;
export type CoverageCause = (typeof COVERAGE_CAUSES)[number];

export const POLICY_CHANGES = ['added', 'replaced'] as const;
export type PolicyChange = (typeof POLICY_CHANGES)[number];

const IsPercentString = (): PropertyDecorator =>
  Matches(PERCENT_PATTERN, {
    message: '$property must be a percentage 0-100 as a decimal string, e.g. "80" or "62.5"',
  });

export class RiskEventBase {
  /** The fund's region: the record key. */
  @IsRegionCode() region!: string;
}

/**
 * A version of a fund's policy was added or replaced. Versions are identified by `effectiveFrom`
 * within a region; a loan is judged by the version in force on its registration date.
 */
export class PolicySetV1 extends RiskEventBase {
  @IsBusinessDate() effectiveFrom!: string;
  /** Last day in force, inclusive; absent = open-ended. */
  @IsOptional() @IsBusinessDate() effectiveTo?: string;
  @IsPercentString() fundSharePercent!: string;
  /** `sub`s of the banks that signed the cooperation agreement with the fund. */
  @IsArray() @ArrayUnique() @IsString({ each: true }) @IsNotEmpty({ each: true }) cooperatingBanks!: string[];
  @IsArray() @ArrayUnique() @IsIn(BORROWER_SIZES, { each: true }) borrowerSizes!: BorrowerSize[];
  /** Largest contracted principal a covered loan may have. */
  @IsOptional() @IsMoneyString() maxPrincipal?: string;
  /** Longest term a covered loan may have. */
  @IsOptional() @IsInt() @Min(1) maxTermMonths?: number;
  /** The most the fund pays on one loan. */
  @IsOptional() @IsMoneyString() perLoanCap?: string;
  /** Days after the default within which a claim is accepted (counted to the filing day). */
  @IsOptional() @IsInt() @Min(1) claimWindowDays?: number;
  /** How `claimWindowDays` counts; present whenever `claimWindowDays` is. Default `calendar`. */
  @IsOptional() @IsIn(CLAIM_WINDOW_UNITS) claimWindowUnit?: ClaimWindowUnit;
  @IsIn(POLICY_CHANGES) change!: PolicyChange;
}

/** Capital arrived in the fund. */
export class CapitalContributedV1 extends RiskEventBase {
  @IsString() @IsNotEmpty() contributionId!: string;
  @IsMoneyString() amount!: string;
  @IsBusinessDate() receivedOn!: string;
}

export class CoverageReasonV1 {
  @IsIn(COVERAGE_RULES) rule!: CoverageRule;
  @IsString() detail!: string;
}

export class CoveredBorrowerV1 {
  @Matches(USCC_PATTERN) uscc!: string;
  @IsIn(BORROWER_SIZES) size!: BorrowerSize;
  @IsRegionCode() regionCode!: string;
}

/**
 * Whether a registered loan is covered by the fund of `region`. Published for every registered
 * loan that falls to a fund with a policy, covered or not; published again with `covered: false`
 * and the rule `registration-reversed` when the registration is reversed (the loan no longer
 * exists), and again with cause `policy-changed` when a corrected policy version changes the
 * outcome. The latest event per `{bank, loanRef, region}` is the loan's coverage by that fund:
 * events of different funds travel under different keys, so their relative order is not kept.
 */
export class LoanCoveredV1 extends RiskEventBase {
  @IsString() @IsNotEmpty() bank!: string;
  @IsString() @IsNotEmpty() loanRef!: string;
  /** `eventId` of the `LoanRegistered` judged. */
  @IsString() @IsNotEmpty() registrationEventId!: string;
  @IsBoolean() covered!: boolean;
  /** Empty when covered; otherwise every rule the loan fails. */
  @IsArray() @ValidateNested({ each: true }) @Type(() => CoverageReasonV1) reasons!: CoverageReasonV1[];
  /** `effectiveFrom` of the policy version that judged the loan; absent under `no-policy`. */
  @IsOptional() @IsBusinessDate() policyVersion?: string;
  @ValidateNested() @Type(() => CoveredBorrowerV1) borrower!: CoveredBorrowerV1;
  @IsMoneyString() principal!: string;
  /** The loan's registration (contract) date, on which the policy is judged. */
  @IsBusinessDate() registeredOn!: string;
  @IsIn(COVERAGE_CAUSES) cause!: CoverageCause;
}

export class ClaimEventBase extends RiskEventBase {
  @IsString() @IsNotEmpty() claimId!: string;
  /** `sub` of the claiming bank. */
  @IsString() @IsNotEmpty() bank!: string;
  @IsString() @IsNotEmpty() loanRef!: string;
}

/** A bank filed a claim for a covered loan's principal loss. */
export class ClaimFiledV1 extends ClaimEventBase {
  @IsMoneyString() principalLoss!: string;
  @IsBusinessDate() defaultedOn!: string;
  @IsBusinessDate() filedOn!: string;
  /** `effectiveFrom` of the policy version the loan is covered under. */
  @IsBusinessDate() policyVersion!: string;
  @IsOptional() @IsArray() @IsString({ each: true }) evidence?: string[];
}

/**
 * The fund approved a claim and fixed the split: `fundShare = min(half-up(principalLoss ×
 * fundSharePercent / 100), perLoanCap)`, `bankShare = principalLoss − fundShare`. The claim now
 * waits for payout; claims are paid strictly in `approvalSequence` order.
 */
export class ClaimApprovedV1 extends ClaimEventBase {
  @IsMoneyString() principalLoss!: string;
  @IsPercentString() fundSharePercent!: string;
  @IsOptional() @IsMoneyString() perLoanCap?: string;
  /** Whether `perLoanCap` cut the fund's share. */
  @IsBoolean() capped!: boolean;
  @IsMoneyString() fundShare!: string;
  @IsMoneyString() bankShare!: string;
  @IsBusinessDate() approvedOn!: string;
  /** 1-based, gap-free per fund region: the payout queue's order. */
  @IsInt() @Min(1) approvalSequence!: number;
}

export class ClaimRejectedV1 extends ClaimEventBase {
  @IsString() @IsNotEmpty() reason!: string;
  @IsBusinessDate() rejectedOn!: string;
}

/** The fund paid an approved claim's fund share out of its balance. */
export class ClaimPaidV1 extends ClaimEventBase {
  @IsMoneyString() fundShare!: string;
  @IsBusinessDate() paidOn!: string;
  @IsInt() @Min(1) approvalSequence!: number;
}

/**
 * Money recovered by disposing of the pledged IP after a payout, shared between fund and bank:
 * `fundPart` returns to the fund's balance, `bankPart` stays with the bank; they add up to `amount`.
 */
export class RecoverySharedV1 extends ClaimEventBase {
  @IsString() @IsNotEmpty() recoveryId!: string;
  @IsMoneyString() amount!: string;
  @IsMoneyString() fundPart!: string;
  @IsMoneyString() bankPart!: string;
  @IsBusinessDate() recoveredOn!: string;
}

/** Payload type of each risk event, by name. */
export interface RiskEventPayloads {
  PolicySet: PolicySetV1;
  CapitalContributed: CapitalContributedV1;
  LoanCovered: LoanCoveredV1;
  ClaimFiled: ClaimFiledV1;
  ClaimApproved: ClaimApprovedV1;
  ClaimRejected: ClaimRejectedV1;
  ClaimPaid: ClaimPaidV1;
  RecoveryShared: RecoverySharedV1;
}

export type RiskEventName = keyof RiskEventPayloads;

/** Every event of `ipfin.risk.v1`; the catalogue registers each as `ipfin.risk.<name>.v1`. */
export const RISK_EVENT_TYPES = [
  { name: 'PolicySet', payload: PolicySetV1 },
  { name: 'CapitalContributed', payload: CapitalContributedV1 },
  { name: 'LoanCovered', payload: LoanCoveredV1 },
  { name: 'ClaimFiled', payload: ClaimFiledV1 },
  { name: 'ClaimApproved', payload: ClaimApprovedV1 },
  { name: 'ClaimRejected', payload: ClaimRejectedV1 },
  { name: 'ClaimPaid', payload: ClaimPaidV1 },
  { name: 'RecoveryShared', payload: RecoverySharedV1 },
] as const satisfies readonly { name: RiskEventName; payload: new () => object }[];

export const riskCeType = (name: RiskEventName): string => `ipfin.risk.${name}.v1`;

/** The record key of every risk event: the fund region. */
export const riskKey = (region: string): string => region;

export type RiskEventPayload = RiskEventPayloads[RiskEventName];
