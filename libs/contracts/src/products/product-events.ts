import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { BORROWER_SIZES, type BorrowerSize } from '../loans/loan-events';
import { IsBusinessDate, IsMoneyString, IsRegionCode, USCC_PATTERN } from '../validation';

/*
 * Payloads of `ipfin.products.v1`, keyed by the enterprise's USCC, so that every event of one
 * enterprise (its filings, recognitions and the rewards that depend on each other under the
 * yearly cap) stays in order. Every payload names its product and its enterprise (USCC and
 * region), so the metrics service can fold figures per region and year without state.
 *
 * Rewards ("never twice"): the first decision on a recognised product is one `ProductRewarded`
 * (possibly `"0.00"`, e.g. when the enterprise's yearly cap is used up). Any later change of that
 * product's reward is a `ProductRewardAdjusted` carrying the amount before and after and the
 * signed change, so a consumer can either replace the product's amount (`amount`) or add
 * `change`; both give the same totals. A withdrawn recognition gives its money back with an
 * adjustment to `"0.00"`; the products next in line that the freed cap now reaches get an
 * adjustment up.
 */

/** Nationally unique patent number in the normalised `YYYYTNNNNNNN.C` form. */
export const NORMALISED_PATENT_NUMBER_PATTERN = /^\d{4}[12389]\d{7}\.[0-9X]$/;
/** A CNY amount that may be negative (a give-back), at most two decimals: `"-5000.00"`. */
export const SIGNED_MONEY_PATTERN = /^-?(0|[1-9]\d{0,15})(\.\d{1,2})?$/;

export const PRODUCT_STATUSES = ['filed', 'recognised', 'rejected', 'withdrawn'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

/** Why a first reward decision has its amount. */
export const REWARD_BASES = [
  /** The policy's full amount per product. */
  'per-product',
  /** The product crossed the yearly cap and got what was left of it. */
  'cap-remainder',
  /** The enterprise's yearly cap was already used up: `"0.00"`. */
  'cap-reached',
  /** No reward policy covers the enterprise's region on the recognition date: `"0.00"`. */
  'no-policy',
] as const;
export type RewardBasis = (typeof REWARD_BASES)[number];

/** Why a product's reward changed after its first decision. */
export const REWARD_ADJUSTMENT_REASONS = [
  /** The product's own recognition was withdrawn: its whole reward goes back. */
  'recognition-withdrawn',
  /** Another recognition of the same enterprise and year was withdrawn and freed part of the cap. */
  'cap-freed',
] as const;
export type RewardAdjustmentReason = (typeof REWARD_ADJUSTMENT_REASONS)[number];

/** The filing enterprise as every product event names it; `uscc` is the record key. */
export class ProductEnterpriseRefV1 {
  @Matches(USCC_PATTERN) uscc!: string;
  /** The enterprise's region (GB/T 2260) at filing: the region the product counts in. */
  @IsRegionCode() regionCode!: string;
}

/** The enterprise in full, as filed. */
export class ProductEnterpriseV1 extends ProductEnterpriseRefV1 {
  @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @IsOptional() @IsIn(BORROWER_SIZES) size?: BorrowerSize;
}

export class ProductEventBaseV1 {
  @IsString() @IsNotEmpty() productId!: string;
  /** 1-based position of this event in the product's history (reward events included). */
  @IsInt() @Min(1) sequence!: number;
  /** When dense-products committed it (RFC 3339). */
  @IsISO8601() recordedAt!: string;
}

/** Base of every event after the filing: the enterprise by key and region only. */
export class ProductFollowUpEventBaseV1 extends ProductEventBaseV1 {
  @ValidateNested() @Type(() => ProductEnterpriseRefV1) enterprise!: ProductEnterpriseRefV1;
}

/** An enterprise (or an agency on its behalf) filed a patent-intensive product. */
export class ProductFiledV1 extends ProductEventBaseV1 {
  @ValidateNested() @Type(() => ProductEnterpriseV1) enterprise!: ProductEnterpriseV1;
  /** `sub` of the service agency that filed on the enterprise's behalf. */
  @IsOptional() @IsString() @IsNotEmpty() agencyId?: string;
  @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @IsOptional() @IsString() @MaxLength(100) category?: string;
  /** Invention patents owned by or licensed to the enterprise on `filedOn`, normalised. */
  @ArrayMinSize(1) @Matches(NORMALISED_PATENT_NUMBER_PATTERN, { each: true }) patents!: string[];
  @IsBusinessDate() filedOn!: string;
  @IsOptional() @IsMoneyString() annualRevenue?: string;
}

/** The national IP office recognised the product (a regulator recorded it). */
export class ProductRecognisedV1 extends ProductFollowUpEventBaseV1 {
  @IsBusinessDate() recognisedOn!: string;
  @IsString() @IsNotEmpty() certificateNo!: string;
  /** Calendar year of `recognisedOn`: the year whose reward cap the product counts against. */
  @IsInt() @Min(1985) @Max(9999) recognitionYear!: number;
}

export class ProductRejectedV1 extends ProductFollowUpEventBaseV1 {
  @IsString() @IsNotEmpty() reason!: string;
  @IsBusinessDate() rejectedOn!: string;
}

/**
 * The regulator withdrew a recognition. It repeats the recognition it undoes, so a consumer can
 * take the product out of that year's `recognised` count without having kept it.
 */
export class ProductRecognitionWithdrawnV1 extends ProductFollowUpEventBaseV1 {
  @IsBusinessDate() withdrawnOn!: string;
  @IsString() @IsNotEmpty() reason!: string;
  @IsBusinessDate() recognisedOn!: string;
  @IsString() @IsNotEmpty() certificateNo!: string;
  @IsInt() @Min(1985) @Max(9999) recognitionYear!: number;
}

/** Reward fields shared by the first decision and its adjustments. */
export class ProductRewardEventBaseV1 extends ProductFollowUpEventBaseV1 {
  /** Calendar year of the recognition: rewards count in it (metrics: by `recognisedOn`). */
  @IsInt() @Min(1985) @Max(9999) year!: number;
  @IsBusinessDate() recognisedOn!: string;
  /** Region whose reward policy applied (the enterprise's region or an ancestor); absent if none did. */
  @IsOptional() @IsRegionCode() policyRegion?: string;
}

/** The first, and only, reward decision for a recognised product. `amount` may be `"0.00"`. */
export class ProductRewardedV1 extends ProductRewardEventBaseV1 {
  @IsMoneyString() amount!: string;
  @IsIn(REWARD_BASES) basis!: RewardBasis;
}

/**
 * A change of a product's reward after its `ProductRewarded`: `amount` replaces `previousAmount`,
 * `change = amount − previousAmount` (negative for a give-back).
 */
export class ProductRewardAdjustedV1 extends ProductRewardEventBaseV1 {
  @IsMoneyString() previousAmount!: string;
  @IsMoneyString() amount!: string;
  @Matches(SIGNED_MONEY_PATTERN, {
    message: '$property must be a signed decimal string with at most two decimals, e.g. "-5000.00"',
  })
  change!: string;
  @IsIn(REWARD_ADJUSTMENT_REASONS) reason!: RewardAdjustmentReason;
}

export type ProductEventPayload =
  | ProductFiledV1
  | ProductRecognisedV1
  | ProductRejectedV1
  | ProductRecognitionWithdrawnV1
  | ProductRewardedV1
  | ProductRewardAdjustedV1;

/**
 * Every event type of `ipfin.products.v1`, registered as `ipfin.products.<name>.v1`.
 * `satisfies` keeps each name literal, so `ProductEventName` is the exact union.
 */
export const PRODUCT_EVENT_TYPES = [
  { name: 'ProductFiled', payload: ProductFiledV1 },
  { name: 'ProductRecognised', payload: ProductRecognisedV1 },
  { name: 'ProductRejected', payload: ProductRejectedV1 },
  { name: 'ProductRecognitionWithdrawn', payload: ProductRecognitionWithdrawnV1 },
  { name: 'ProductRewarded', payload: ProductRewardedV1 },
  { name: 'ProductRewardAdjusted', payload: ProductRewardAdjustedV1 },
] as const satisfies readonly { name: string; payload: new () => ProductEventPayload }[];

export type ProductEventName = (typeof PRODUCT_EVENT_TYPES)[number]['name'];

export const productCeType = (name: ProductEventName): string => `ipfin.products.${name}.v1`;

/** Record key on `ipfin.products.v1`: the enterprise's USCC. */
export const productEventKey = (event: { readonly enterprise: { readonly uscc: string } }): string =>
  event.enterprise.uscc;
