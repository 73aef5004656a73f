import { Type } from 'class-transformer';
import {
  ArrayMinSize, IsBoolean, IsIn, IsInt, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, Matches, Min,
  ValidateNested,
} from 'class-validator';
import { IsBusinessDate, IsMoneyString, IsRegionCode, USCC_PATTERN } from '../validation';

/**
 * Payloads of `ipfin.loans.v1`, keyed `{bank}:{loanRef}`. Every payload names its loan and the
 * bank's own event id, so a consumer can fold it without asking pledge-loans anything.
 */
export const LOAN_EVENT_TYPES = [
  'LoanRegistered', 'LoanDisbursed', 'RepaymentReceived', 'LoanOverdue', 'LoanDefaulted', 'LoanSettled', 'EventReversed',
] as const;
export type LoanEventType = (typeof LOAN_EVENT_TYPES)[number];

export const BORROWER_SIZES = ['micro', 'small', 'medium', 'large'] as const;
export type BorrowerSize = (typeof BORROWER_SIZES)[number];
export const isSme = (size: BorrowerSize): boolean => size !== 'large';

export const RIGHT_KINDS = ['patent', 'trademark'] as const;
export type RightKind = (typeof RIGHT_KINDS)[number];

export class LoanEventBase {
  /** `sub` of the reporting bank. */
  @IsString() @IsNotEmpty() bank!: string;
  @IsString() @IsNotEmpty() loanRef!: string;
  /** The bank's own id of this event (unique per bank). */
  @IsString() @IsNotEmpty() eventId!: string;
  /** 1-based position of this event in the loan's accepted history. */
  @IsInt() @Min(1) sequence!: number;
  @IsBusinessDate() occurredOn!: string;
  /** When pledge-loans accepted it (RFC 3339). */
  @IsISO8601() recordedAt!: string;
}

export class BorrowerV1 {
  @Matches(USCC_PATTERN) uscc!: string;
  @IsString() @IsNotEmpty() name!: string;
  @IsIn(BORROWER_SIZES) size!: BorrowerSize;
  @IsRegionCode() regionCode!: string;
}

export class PledgedRightV1 {
  @IsIn(RIGHT_KINDS) kind!: RightKind;
  /** Normalised: patents `YYYYTNNNNNNN.C`, trademarks digits. */
  @IsString() @IsNotEmpty() number!: string;
  @IsOptional() @IsString() title?: string;
}

export class PledgeV1 {
  @IsString() @IsNotEmpty() registrationNo!: string;
  @IsBusinessDate() registeredOn!: string;
  @IsMoneyString() appraisedValue!: string;
  @ValidateNested({ each: true }) @Type(() => PledgedRightV1) @ArrayMinSize(1) rights!: PledgedRightV1[];
}

export class LoanRegisteredV1 extends LoanEventBase {
  @ValidateNested() @Type(() => BorrowerV1) borrower!: BorrowerV1;
  @IsMoneyString() principal!: string;
  @Matches(/^\d(\.\d{1,6})?$/) annualRate!: string;
  @IsInt() @Min(1) termMonths!: number;
  @IsBoolean() inclusive!: boolean;
  @ValidateNested() @Type(() => PledgeV1) pledge!: PledgeV1;
  @IsOptional() @IsString() agencyId?: string;
}

export class LoanDisbursedV1 extends LoanEventBase {
  @IsMoneyString() amount!: string;
}

export class RepaymentReceivedV1 extends LoanEventBase {
  @IsMoneyString() principal!: string;
  @IsMoneyString() interest!: string;
}

export class LoanOverdueV1 extends LoanEventBase {
  @IsInt() @Min(1) overdueDays!: number;
}

export class LoanDefaultedV1 extends LoanEventBase {
  @IsMoneyString() principalLoss!: string;
}

export class LoanSettledV1 extends LoanEventBase {}

/**
 * Undoes one earlier event of the same loan. It carries the reversed event's type and payload so
 * that every consumer can undo its own effects without having kept the original.
 */
export class EventReversedV1 extends LoanEventBase {
  @IsString() @IsNotEmpty() reversedEventId!: string;
  @IsIn(LOAN_EVENT_TYPES.filter((t) => t !== 'EventReversed')) reversedType!: Exclude<LoanEventType, 'EventReversed'>;
  @IsObject() reversed!: Record<string, unknown>;
}

export type LoanEventPayload =
  | LoanRegisteredV1 | LoanDisbursedV1 | RepaymentReceivedV1 | LoanOverdueV1 | LoanDefaultedV1 | LoanSettledV1
  | EventReversedV1;
