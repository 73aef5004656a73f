import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  BORROWER_SIZES,
  CLAIM_WINDOW_UNITS,
  IsMoneyString,
  type BorrowerSize,
  type ClaimWindowUnit,
} from '@ipfin/contracts';
import type { FundPolicyInput } from '../domain/fund-policy';
import { IsCalendarDate, IsSharePercent } from './field-validators';

/**
 * The longest token `sub` @ipfin/http's token verifier accepts (`principalFromClaims`): every bank
 * that can sign in can be named as cooperating.
 */
export const BANK_SUB_MAX_LENGTH = 200;

/**
 * `PUT /v1/funds/{region}/policy`: one version of the fund's policy, identified by `effectiveFrom`.
 * The same `effectiveFrom` replaces that version; another adds one; overlapping periods are 409.
 */
export class PutFundPolicyDto {
  @ApiProperty({
    description: "The fund's share of a principal loss, 0–100: an integer or a decimal string",
    oneOf: [{ type: 'integer' }, { type: 'string' }],
    example: 80,
  })
  @IsSharePercent()
  fundSharePercent!: number | string;

  @ApiProperty({ description: 'First day in force (YYYY-MM-DD); identifies the version', example: '2024-02-02' })
  @IsCalendarDate()
  effectiveFrom!: string;

  @ApiPropertyOptional({ description: 'Last day in force, inclusive; absent = open-ended', example: '2029-02-01' })
  @IsOptional()
  @IsCalendarDate()
  effectiveTo?: string;

  @ApiProperty({
    description: "`sub`s of the cooperating banks (each as in the bank's token, at most 200 characters); the fund manager maintains this list",
    example: ['bank-icbc-zz', 'bank-cib-zz'],
    maxItems: 500,
  })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(BANK_SUB_MAX_LENGTH, { each: true })
  cooperatingBanks!: string[];

  @ApiProperty({
    description: 'Eligible borrower sizes',
    enum: BORROWER_SIZES,
    isArray: true,
    example: ['micro', 'small', 'medium'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(BORROWER_SIZES, { each: true })
  borrowerSizes!: BorrowerSize[];

  @ApiPropertyOptional({ description: 'Largest contracted principal a covered loan may have', example: '10000000.00' })
  @IsOptional()
  @IsMoneyString()
  maxPrincipal?: string;

  @ApiPropertyOptional({ description: 'Longest term (months) a covered loan may have', example: 36 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(600)
  maxTermMonths?: number;

  @ApiPropertyOptional({ description: 'The most the fund pays on one loan', example: '1000000.00' })
  @IsOptional()
  @IsMoneyString()
  perLoanCap?: string;

  @ApiPropertyOptional({
    description: 'Days after the default within which a claim is accepted, counted to the day the claim is filed',
    example: 10,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3660)
  claimWindowDays?: number;

  @ApiPropertyOptional({
    description:
      '`calendar` (default) counts every day; `working` counts Monday–Friday (public holidays are not excluded). Needs claimWindowDays.',
    enum: CLAIM_WINDOW_UNITS,
    example: 'working',
  })
  @IsOptional()
  @IsIn(CLAIM_WINDOW_UNITS)
  claimWindowUnit?: ClaimWindowUnit;
}

export function fundPolicyInput(dto: PutFundPolicyDto): FundPolicyInput {
  return {
    fundSharePercent: dto.fundSharePercent,
    effectiveFrom: dto.effectiveFrom,
    cooperatingBanks: dto.cooperatingBanks,
    borrowerSizes: dto.borrowerSizes,
    ...(dto.effectiveTo === undefined ? {} : { effectiveTo: dto.effectiveTo }),
    ...(dto.maxPrincipal === undefined ? {} : { maxPrincipal: dto.maxPrincipal }),
    ...(dto.maxTermMonths === undefined ? {} : { maxTermMonths: dto.maxTermMonths }),
    ...(dto.perLoanCap === undefined ? {} : { perLoanCap: dto.perLoanCap }),
    ...(dto.claimWindowDays === undefined ? {} : { claimWindowDays: dto.claimWindowDays }),
    ...(dto.claimWindowUnit === undefined ? {} : { claimWindowUnit: dto.claimWindowUnit }),
  };
}
