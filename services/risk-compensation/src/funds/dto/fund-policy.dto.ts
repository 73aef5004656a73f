import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BORROWER_SIZES, CLAIM_WINDOW_UNITS, type BorrowerSize, type ClaimWindowUnit } from '@ipfin/contracts';
import type { FundPolicy } from '../domain/fund-policy';

/** A stored policy version, as `GET`/`PUT /v1/funds/{region}/policy` return it. */
export class FundPolicyDto {
  @ApiProperty({ example: '350600' }) region!: string;
  @ApiProperty({ example: '2024-02-02' }) effectiveFrom!: string;
  @ApiPropertyOptional({ example: '2029-02-01' }) effectiveTo?: string;
  @ApiProperty({ description: 'Decimal string', example: '80' }) fundSharePercent!: string;
  @ApiProperty({ example: ['bank-icbc-zz'] }) cooperatingBanks!: string[];
  @ApiProperty({ enum: BORROWER_SIZES, isArray: true }) borrowerSizes!: BorrowerSize[];
  @ApiPropertyOptional({ example: '10000000.00' }) maxPrincipal?: string;
  @ApiPropertyOptional({ example: 36 }) maxTermMonths?: number;
  @ApiPropertyOptional({ example: '1000000.00' }) perLoanCap?: string;
  @ApiPropertyOptional({ example: 10 }) claimWindowDays?: number;
  @ApiPropertyOptional({ enum: CLAIM_WINDOW_UNITS }) claimWindowUnit?: ClaimWindowUnit;

  static from(policy: FundPolicy): FundPolicyDto {
    return Object.assign(new FundPolicyDto(), {
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
    });
  }
}
