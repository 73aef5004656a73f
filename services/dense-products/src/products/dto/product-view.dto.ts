import { BORROWER_SIZES, PRODUCT_EVENT_TYPES, REWARD_BASES } from '@ipfin/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PRODUCT_STATUSES, type EnterpriseSize, type ProductStatus } from '../domain/product';

/*
 * Response shapes of `/v1/products` (documentation and return types; nothing here validates).
 * Money is a decimal string with two decimals, dates are `YYYY-MM-DD`, timestamps RFC 3339.
 */

export const REWARD_STANDINGS = [...REWARD_BASES, 'recognition-withdrawn'] as const;
export type RewardStanding = (typeof REWARD_STANDINGS)[number];

export class ProductEnterpriseView {
  @ApiProperty({ example: '91350681MA31XK7Q5B' }) uscc!: string;
  @ApiProperty({ example: '福建闽新智能阀门有限公司' }) name!: string;
  @ApiProperty({ description: 'Region at filing: the region the product and its reward count in', example: '350681' })
  regionCode!: string;
  @ApiPropertyOptional({ enum: BORROWER_SIZES }) size?: EnterpriseSize;
}

export class PatentHoldingView {
  @ApiProperty({ example: '202110345678.1' }) number!: string;
  @ApiProperty({ enum: ['owner', 'licence'], description: 'How the enterprise held the patent on the filing date' })
  basis!: 'owner' | 'licence';
  @ApiPropertyOptional() licenceId?: string;
  @ApiPropertyOptional({ enum: ['exclusive', 'sole', 'ordinary'] }) licenceKind?: string;
  @ApiPropertyOptional({ enum: ['contract', 'open-licence'] }) source?: string;
}

export class RecognitionView {
  @ApiProperty({ example: '2024-06-18' }) recognisedOn!: string;
  @ApiProperty({ example: 'ZLMJ-2024-350600-0012' }) certificateNo!: string;
  @ApiProperty({ description: 'Calendar year of recognisedOn: the reward year', example: 2024 }) year!: number;
}

export class RejectionView {
  @ApiProperty({ example: '2024-06-18' }) rejectedOn!: string;
  @ApiProperty({ example: '核心专利与产品技术方案不对应' }) reason!: string;
}

export class WithdrawalView {
  @ApiProperty({ example: '2024-09-01' }) withdrawnOn!: string;
  @ApiProperty({ example: '认定证书被国家知识产权局撤销' }) reason!: string;
}

export class RewardView {
  @ApiProperty({ description: 'Calendar year (Asia/Shanghai) whose cap the reward counts against', example: 2024 })
  year!: number;
  @ApiProperty({ description: 'What the product is awarded now (CNY)', example: '5000.00' }) amount!: string;
  @ApiProperty({
    enum: REWARD_STANDINGS,
    description:
      'per-product: the full amount; cap-remainder: what was left of the yearly cap; cap-reached: the cap was used up; ' +
      'no-policy: no policy covers the region on the recognition date; recognition-withdrawn: given back',
  })
  basis!: RewardStanding;
  @ApiPropertyOptional({ description: 'Region whose policy applied', example: '350600' }) policyRegion?: string;
}

export class ProductHistoryEntryView {
  @ApiProperty({ example: 1 }) sequence!: number;
  @ApiProperty({ enum: PRODUCT_EVENT_TYPES.map((t) => t.name) }) type!: string;
  @ApiProperty({ example: '2024-06-18T02:00:00.000Z' }) recordedAt!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The event as published on ipfin.products.v1, without productId, enterprise, sequence and recordedAt',
  })
  data!: Record<string, unknown>;
}

export class ProductView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: PRODUCT_STATUSES }) status!: ProductStatus;
  @ApiProperty({ example: '智能水阀控制器' }) name!: string;
  @ApiPropertyOptional({ example: '高端装备制造' }) category?: string;
  @ApiProperty({ type: () => ProductEnterpriseView }) enterprise!: ProductEnterpriseView;
  @ApiPropertyOptional({ description: 'sub of the agency that filed on the enterprise’s behalf' }) agencyId?: string;
  @ApiProperty({ type: [String], example: ['202110345678.1'] }) patents!: string[];
  @ApiProperty({ type: () => [PatentHoldingView] }) holdings!: PatentHoldingView[];
  @ApiProperty({ example: '2024-03-15' }) filedOn!: string;
  @ApiPropertyOptional({ example: '12500000.00' }) annualRevenue?: string;
  @ApiPropertyOptional({ type: () => RecognitionView, description: 'Kept after a withdrawal' })
  recognition?: RecognitionView;
  @ApiPropertyOptional({ type: () => RejectionView }) rejection?: RejectionView;
  @ApiPropertyOptional({ type: () => WithdrawalView }) withdrawal?: WithdrawalView;
  @ApiPropertyOptional({ type: () => RewardView, description: 'Present from the first reward decision on' })
  reward?: RewardView;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class ProductDetailView extends ProductView {
  @ApiProperty({ type: () => [ProductHistoryEntryView], description: 'Every event of the product, in order' })
  history!: ProductHistoryEntryView[];
}

export class ProductPageView {
  @ApiProperty({ type: () => [ProductView] }) items!: ProductView[];
  @ApiProperty({ type: String, nullable: true, description: 'Opaque cursor of the next page; null on the last' })
  nextCursor!: string | null;
}
