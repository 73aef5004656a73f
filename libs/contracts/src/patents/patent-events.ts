import { Type } from 'class-transformer';
import {
  Equals,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsBusinessDate, IsMoneyString, IsRegionCode, USCC_PATTERN } from '../validation';

/**
 * Payloads of `ipfin.patents.v1`, keyed by the normalised patent number (`YYYYTNNNNNNN.C`), so one
 * patent's listing, transfers, licences and open-licence events stay in order. Each is registered
 * as `ipfin.patents.<Name>.v1` (see `PATENT_EVENT_TYPES`).
 *
 * Consumers: metrics (transfers, licences by kind, recorded contracts, open licences, university
 * rewards: hence every counterparty carries its `regionCode` and every owner its `sub` and
 * `region`), dense-products (who owns or is licensed an invention patent), the provincial warehouse.
 * Money is a decimal string, dates are `YYYY-MM-DD` business dates.
 */

/** Normalised Chinese patent application number: 12 digits, a dot, the check character. */
export const PATENT_NUMBER_PATTERN = /^\d{12}\.[0-9X]$/;
/** Percentage of sales as a decimal string, 0-100 with at most four decimals: `"3"`, `"2.5"`. */
export const ROYALTY_PERCENT_PATTERN = /^(?:100(?:\.0{1,4})?|(?:0|[1-9]\d?)(?:\.\d{1,4})?)$/;

export const PATENT_KIND_VALUES = ['invention', 'utility_model', 'design'] as const;
export type PatentKindV1 = (typeof PATENT_KIND_VALUES)[number];

export const PATENT_STATUS_VALUES = ['valid', 'lapsed'] as const;
export type PatentStatusV1 = (typeof PATENT_STATUS_VALUES)[number];

export const PATENT_GRADE_VALUES = ['A', 'B', 'C'] as const;
export type PatentGradeV1 = (typeof PATENT_GRADE_VALUES)[number];

export const LICENCE_KIND_VALUES = ['exclusive', 'sole', 'ordinary'] as const;
export type LicenceKindV1 = (typeof LICENCE_KIND_VALUES)[number];

export const ROYALTY_KIND_VALUES = ['lump_sum', 'percent_of_sales'] as const;
export type RoyaltyKindV1 = (typeof ROYALTY_KIND_VALUES)[number];

const IsPatentNumber = (): PropertyDecorator =>
  Matches(PATENT_NUMBER_PATTERN, { message: '$property must be a normalised patent number such as 202310123456.6' });

/**
 * The patent's owner when the event happened. For an act of the owner (listing, transfer, licence,
 * declaration, withdrawal) `sub`, `role` and `region` are those of the acting token, so metrics can
 * attribute rewards and open-licence figures to the institution and its region. `sub` and `role`
 * are absent only when the owner is an assignee that has not yet used the platform (e.g. on an
 * `OpenLicenceTaken` after a transfer); `region` is then the assignee's `regionCode`.
 */
export class PatentOwnerV1 {
  @IsOptional() @IsString() @IsNotEmpty() sub?: string;
  /** Token role of the owner (`university`, `enterprise`, …). */
  @IsOptional() @IsString() @IsNotEmpty() role?: string;
  @IsOptional() @Matches(USCC_PATTERN) uscc?: string;
  @IsOptional() @IsString() name?: string;
  /** 6-digit region code of the owner (the owner token's `region`). */
  @IsRegionCode() region!: string;
}

/** An assignee or licensee, as the owner named it: an enterprise identified by its USCC. */
export class PatentCounterpartyV1 {
  @Matches(USCC_PATTERN) uscc!: string;
  @IsString() @IsNotEmpty() name!: string;
  /** Where the counterparty is: metrics counts transfers "to local enterprises" with it. */
  @IsRegionCode() regionCode!: string;
}

/** Royalty of an open licence: a lump sum (`amount`) or a share of sales (`percent`), never both. */
export class OpenLicenceRoyaltyV1 {
  @IsIn(ROYALTY_KIND_VALUES) kind!: RoyaltyKindV1;
  @ValidateIf((r: OpenLicenceRoyaltyV1) => r.kind === 'lump_sum') @IsMoneyString() amount?: string;
  @ValidateIf((r: OpenLicenceRoyaltyV1) => r.kind === 'percent_of_sales')
  @Matches(ROYALTY_PERCENT_PATTERN, { message: '$property must be a percentage 0-100 as a decimal string, e.g. "3.5"' })
  percent?: string;
}

class PatentEventBase {
  @IsPatentNumber() number!: string;
  /** Kind of the patent (from the number's type digit). */
  @IsIn(PATENT_KIND_VALUES) kind!: PatentKindV1;
}

/** A patent was listed in the catalogue, or its owner updated the listing (re-listing). */
export class PatentListedV1 extends PatentEventBase {
  @IsString() @IsNotEmpty() title!: string;
  @ValidateNested() @Type(() => PatentOwnerV1) @IsObject() owner!: PatentOwnerV1;
  @IsIn(PATENT_STATUS_VALUES) status!: PatentStatusV1;
  /** Application year encoded in the number (the exact filing date is not in the number). */
  @IsInt() @Min(1985) @Max(9999) filedYear!: number;
  /** The filing date, when known from another source. */
  @IsOptional() @IsBusinessDate() filingDate?: string;
  /** Entered China through the PCT (type digit 8 or 9). */
  @IsBoolean() pct!: boolean;
  @IsOptional() @IsString() ipc?: string;
  @IsOptional() @IsBusinessDate() grantedOn?: string;
  @IsOptional() @IsIn(PATENT_GRADE_VALUES) grade?: PatentGradeV1;
  @IsOptional() @IsString() category?: string;
  /** Business date the listing (or its update) was accepted. */
  @IsBusinessDate() listedOn!: string;
}

/** Ownership moved to the assignee (a recorded transfer contract when `recordedOn` is set). */
export class PatentTransferredV1 extends PatentEventBase {
  @IsString() @IsNotEmpty() transferId!: string;
  @ValidateNested() @Type(() => PatentOwnerV1) @IsObject() from!: PatentOwnerV1;
  @ValidateNested() @Type(() => PatentCounterpartyV1) @IsObject() assignee!: PatentCounterpartyV1;
  @IsMoneyString() price!: string;
  @IsBusinessDate() contractDate!: string;
  @IsOptional() @IsBusinessDate() recordedOn?: string;
  /** `sub` of the service agency that handled it. */
  @IsOptional() @IsString() @IsNotEmpty() agencyId?: string;
  /** The pledgee consented to transferring a pledged patent. */
  @IsOptional() @IsBoolean() pledgeeConsent?: boolean;
}

/** A licence contract between the owner and a licensee (never an open-licence taking). */
export class LicenceRecordedV1 extends PatentEventBase {
  @IsString() @IsNotEmpty() licenceId!: string;
  @ValidateNested() @Type(() => PatentOwnerV1) @IsObject() licensor!: PatentOwnerV1;
  @ValidateNested() @Type(() => PatentCounterpartyV1) @IsObject() licensee!: PatentCounterpartyV1;
  @IsIn(LICENCE_KIND_VALUES) licenceKind!: LicenceKindV1;
  /** `"0.00"` is a valid royalty (free licences to staff and student start-ups). */
  @IsMoneyString() royalty!: string;
  @IsBusinessDate() contractDate!: string;
  @IsBusinessDate() startsOn!: string;
  @IsBusinessDate() endsOn!: string;
  @IsOptional() @IsBusinessDate() recordedOn?: string;
  @IsOptional() @IsString() @IsNotEmpty() agencyId?: string;
  @IsOptional() @IsBoolean() pledgeeConsent?: boolean;
  /** Always false: licences taken under an open licence are `OpenLicenceTaken`. */
  @Equals(false) viaOpenLicence!: false;
}

/** The owner declared an open licence (开放许可): anyone may take an ordinary licence on these terms. */
export class OpenLicenceDeclaredV1 extends PatentEventBase {
  @ValidateNested() @Type(() => PatentOwnerV1) @IsObject() owner!: PatentOwnerV1;
  @ValidateNested() @Type(() => OpenLicenceRoyaltyV1) @IsObject() royalty!: OpenLicenceRoyaltyV1;
  @IsInt() @Min(1) termYears!: number;
  @IsBusinessDate() declaredOn!: string;
  /** Last day the declaration is in force (declaredOn + termYears − 1 day). */
  @IsBusinessDate() expiresOn!: string;
  /** Patent evaluation report (专利权评价报告); present for utility models and designs. */
  @IsOptional() @IsString() @IsNotEmpty() evaluationReportNo?: string;
  @IsOptional() @IsBoolean() pledgeeConsent?: boolean;
}

/** The open licence declared on `declaredOn` was withdrawn; licences already taken stay. */
export class OpenLicenceWithdrawnV1 extends PatentEventBase {
  @ValidateNested() @Type(() => PatentOwnerV1) @IsObject() owner!: PatentOwnerV1;
  /** Identifies the declaration withdrawn. */
  @IsBusinessDate() declaredOn!: string;
  /** First day the declaration is no longer in force. */
  @IsBusinessDate() withdrawnOn!: string;
}

/** An enterprise took an ordinary licence under the open licence declared on `declaredOn`. */
export class OpenLicenceTakenV1 extends PatentEventBase {
  @IsString() @IsNotEmpty() licenceId!: string;
  /** The owner when the licence was taken; open-licence figures count in its `region`. */
  @ValidateNested() @Type(() => PatentOwnerV1) @IsObject() owner!: PatentOwnerV1;
  @ValidateNested() @Type(() => PatentCounterpartyV1) @IsObject() licensee!: PatentCounterpartyV1;
  @IsBusinessDate() takenOn!: string;
  /** Last day of the licence: the declaration's `expiresOn`. */
  @IsBusinessDate() endsOn!: string;
  @IsBusinessDate() declaredOn!: string;
  @ValidateNested() @Type(() => OpenLicenceRoyaltyV1) @IsObject() royalty!: OpenLicenceRoyaltyV1;
}

/** Registration list for the catalogue: each becomes `ipfin.patents.<name>.v1` on `ipfin.patents.v1`. */
export const PATENT_EVENT_TYPES = [
  { name: 'PatentListed', payload: PatentListedV1 },
  { name: 'PatentTransferred', payload: PatentTransferredV1 },
  { name: 'LicenceRecorded', payload: LicenceRecordedV1 },
  { name: 'OpenLicenceDeclared', payload: OpenLicenceDeclaredV1 },
  { name: 'OpenLicenceWithdrawn', payload: OpenLicenceWithdrawnV1 },
  { name: 'OpenLicenceTaken', payload: OpenLicenceTakenV1 },
] as const;

export type PatentEventName = (typeof PATENT_EVENT_TYPES)[number]['name'];

export interface PatentEventPayloads {
  PatentListed: PatentListedV1;
  PatentTransferred: PatentTransferredV1;
  LicenceRecorded: LicenceRecordedV1;
  OpenLicenceDeclared: OpenLicenceDeclaredV1;
  OpenLicenceWithdrawn: OpenLicenceWithdrawnV1;
  OpenLicenceTaken: OpenLicenceTakenV1;
}

export type PatentEventPayload = PatentEventPayloads[PatentEventName];

export const patentCeType = (name: PatentEventName): string => `ipfin.patents.${name}.v1`;

/** Record key on `ipfin.patents.v1`: the normalised patent number. */
export const patentKey = (number: string): string => number;
