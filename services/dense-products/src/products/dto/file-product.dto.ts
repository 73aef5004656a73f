import { BORROWER_SIZES, IsMoneyString } from '@ipfin/contracts';
import { IsNotBlank, IsRegionCodeField, IsUsccField } from '@ipfin/http';
import { BusinessDate, Money } from '@ipfin/kernel';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, MaxLength, ValidateNested } from 'class-validator';
import type { EnterpriseSize, FilingEnterprise, ProductFiling } from '../domain/product';
import { ArePatentNumbers, IsCalendarDate, NormalisePatentNumbers, Trim } from './identifier.validators';

/** A product is covered by a handful of patents; the bound keeps one filing's registry lookups small. */
export const MAX_PATENTS_PER_PRODUCT = 100;

/** The enterprise an agency files for. */
export class FilingEnterpriseDto {
  @ApiProperty({
    description:
      "Unified social credit code, check character verified (or on the operator's USCC_ALLOW_LIST of early codes); normalised to upper case",
    example: '91350600MA2YBC1234',
  })
  @IsUsccField()
  uscc!: string;

  @ApiProperty({ description: 'Trimmed; must not be blank', example: '漳州市某某智能装备有限公司' })
  @Trim()
  @IsNotBlank()
  @MaxLength(200)
  name!: string;

  @ApiProperty({
    description: '6-digit GB/T 2260 region code of the enterprise, with a real province and prefecture',
    example: '350681',
  })
  @IsRegionCodeField()
  regionCode!: string;

  @ApiProperty({ enum: BORROWER_SIZES })
  @IsIn(BORROWER_SIZES)
  size!: EnterpriseSize;
}

/** `POST /v1/products`: file a patent-intensive product (专利密集型产品备案). */
export class FileProductDto {
  @ApiProperty({
    description: 'Product name; compared case- and space-insensitively for duplicates within a year',
    example: '智能水阀控制器',
  })
  @Trim()
  @IsNotBlank()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ description: 'Trimmed; when sent, must not be blank', example: '高端装备制造' })
  @IsOptional()
  @Trim()
  @IsNotBlank()
  @MaxLength(100)
  category?: string;

  @ApiProperty({
    description:
      'Invention patents covering the product, owned by or licensed to the enterprise on filedOn; normalised to YYYYTNNNNNNN.C',
    type: [String],
    example: ['202310123456.6'],
  })
  @NormalisePatentNumbers()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PATENTS_PER_PRODUCT)
  @ArePatentNumbers()
  patents!: string[];

  @ApiProperty({
    description: 'Filing date (YYYY-MM-DD); its calendar year is the year of the duplicate check',
    example: '2024-03-15',
  })
  @IsCalendarDate()
  filedOn!: string;

  @ApiPropertyOptional({ description: 'CNY, decimal string with at most two decimals', example: '12500000.00' })
  @IsOptional()
  @IsMoneyString()
  annualRevenue?: string;

  @ApiPropertyOptional({
    description: 'Required when an agency files on behalf of the enterprise',
    type: () => FilingEnterpriseDto,
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => FilingEnterpriseDto)
  enterprise?: FilingEnterpriseDto;
}

export function toFilingEnterprise(dto: FilingEnterpriseDto): FilingEnterprise {
  return { uscc: dto.uscc, name: dto.name, regionCode: dto.regionCode, size: dto.size };
}

/** The validated body as the domain takes it; `enterprise` comes from `resolveFiler`. */
export function toProductFiling(
  dto: FileProductDto,
  filer: { readonly enterprise: FilingEnterprise; readonly agencyId?: string },
): ProductFiling {
  return {
    enterprise: filer.enterprise,
    ...(filer.agencyId === undefined ? {} : { agencyId: filer.agencyId }),
    name: dto.name,
    ...(dto.category === undefined ? {} : { category: dto.category }),
    patents: dto.patents,
    filedOn: BusinessDate.parse(dto.filedOn),
    ...(dto.annualRevenue === undefined ? {} : { annualRevenue: Money.parse(dto.annualRevenue) }),
  };
}
