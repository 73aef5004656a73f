import { IsNotBlank } from '@ipfin/http';
import { BusinessDate, Money } from '@ipfin/kernel';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ROYALTY_KINDS, type OpenLicenceDeclaration, type Royalty, type RoyaltyKind } from '../domain';
import { IsCalendarDate, IsMoneyAmount, IsStrictBoolean, IsStrictInt, OnlyWhen } from './field-validators';

/** Percentage of sales, 0-100, decimal string with at most four decimals: `"3"`, `"2.5"`. */
export const ROYALTY_PERCENT_PATTERN = /^(?:100(?:\.0{1,4})?|(?:0|[1-9]\d?)(?:\.\d{1,4})?)$/;

/** `{ kind: lump_sum, amount }` or `{ kind: percent_of_sales, percent }`. */
export class OpenLicenceRoyaltyDto {
  @ApiProperty({ enum: ROYALTY_KINDS })
  @IsIn(ROYALTY_KINDS)
  kind!: RoyaltyKind;

  @ApiPropertyOptional({ description: 'For lump_sum: CNY, decimal string', example: '20000.00' })
  @ValidateIf((r: OpenLicenceRoyaltyDto) => r.kind === 'lump_sum' || r.amount !== undefined)
  @IsDefined({ message: '$property is required when kind is lump_sum' })
  @IsMoneyAmount()
  @OnlyWhen('kind', 'lump_sum')
  amount?: string;

  @ApiPropertyOptional({ description: 'For percent_of_sales: percentage 0-100 as a decimal string', example: '3.5' })
  @ValidateIf((r: OpenLicenceRoyaltyDto) => r.kind === 'percent_of_sales' || r.percent !== undefined)
  @IsDefined({ message: '$property is required when kind is percent_of_sales' })
  @IsString({ message: '$property must be a decimal string such as "3.5", not a number' })
  @Matches(ROYALTY_PERCENT_PATTERN, {
    message: '$property must be a percentage from 0 to 100 with at most four decimals, e.g. "3.5"',
  })
  @OnlyWhen('kind', 'percent_of_sales')
  percent?: string;
}

/**
 * `PUT /v1/patents/{number}/open-licence` — by the owner. Beyond api.md's body: optional
 * `evaluationReportNo` (required by the domain for utility models and designs) and
 * `pledgeeConsent` (a pledged patent may be declared open only with it).
 */
export class DeclareOpenLicenceDto {
  @ApiProperty({ type: () => OpenLicenceRoyaltyDto })
  @IsObject()
  @ValidateNested()
  @Type(() => OpenLicenceRoyaltyDto)
  royalty!: OpenLicenceRoyaltyDto;

  @ApiProperty({
    description: 'Years the declaration stays in force; at least 1 (else 422 open-licence-term-too-short)',
    example: 3,
  })
  @IsStrictInt()
  @Min(0)
  @Max(99)
  termYears!: number;

  @ApiProperty({ example: '2024-09-01' })
  @IsCalendarDate()
  declaredOn!: string;

  @ApiPropertyOptional({
    description: 'Number of the patent evaluation report (专利权评价报告); required for utility models and designs; not blank, stored trimmed',
  })
  @IsOptional()
  @IsNotBlank()
  @MaxLength(64)
  evaluationReportNo?: string;

  @ApiPropertyOptional({ description: 'The pledgee consents (needed while the patent is pledged)' })
  @IsOptional()
  @IsStrictBoolean()
  pledgeeConsent?: boolean;
}

export function toRoyalty(dto: OpenLicenceRoyaltyDto): Royalty {
  switch (dto.kind) {
    case 'lump_sum':
      return { kind: 'lump_sum', amount: Money.parse(dto.amount ?? '') };
    case 'percent_of_sales':
      return { kind: 'percent_of_sales', percent: canonicalPercent(dto.percent ?? '') };
  }
}

/** `"03.50"` cannot pass the pattern; `"3.50"` → `"3.5"`, `"100.0"` → `"100"`. */
export function canonicalPercent(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

export function toOpenLicenceDeclaration(dto: DeclareOpenLicenceDto): OpenLicenceDeclaration {
  return {
    royalty: toRoyalty(dto.royalty),
    termYears: dto.termYears,
    declaredOn: BusinessDate.parse(dto.declaredOn),
    ...(dto.evaluationReportNo !== undefined && { evaluationReportNo: dto.evaluationReportNo }),
    ...(dto.pledgeeConsent !== undefined && { pledgeeConsent: dto.pledgeeConsent }),
  };
}
