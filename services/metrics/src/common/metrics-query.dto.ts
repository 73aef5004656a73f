import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { IsBusinessDate, IsRegionCodeField } from '@ipfin/http';

/** A calendar year a business date can have: 0001 … 9999 (`0000` is no year). */
export const YEAR_PATTERN = /^(?!0000)\d{4}$/;
export const YEAR_MESSAGE = 'year must be a 4-digit year from 0001 to 9999';

/** `region` and the period filters every metrics endpoint accepts. */
export class RegionQueryDto {
  @ApiPropertyOptional({ description: "6-digit region code; defaults to the caller's region. A prefecture includes its counties, a province its prefectures.", example: '350600' })
  @IsOptional() @IsRegionCodeField()
  region?: string;
}

export class YearQueryDto extends RegionQueryDto {
  @ApiPropertyOptional({ description: 'Calendar year (Asia/Shanghai): 2024 means 2024-01-01 … 2024-12-31; when given, from and to are ignored', example: '2024' })
  @IsOptional() @Matches(YEAR_PATTERN, { message: YEAR_MESSAGE })
  year?: string;
}

export class PeriodQueryDto extends YearQueryDto {
  @ApiPropertyOptional({ description: 'First business date included (YYYY-MM-DD); ignored when year is given', example: '2024-01-01' })
  @IsOptional() @IsBusinessDate()
  from?: string;

  @ApiPropertyOptional({ description: 'Last business date included (YYYY-MM-DD); defaults to today (Asia/Shanghai); ignored when year is given' })
  @IsOptional() @IsBusinessDate()
  to?: string;
}
