import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { IsBusinessDate, IsRegionCodeField } from '@ipfin/http';
import { YEAR_MESSAGE, YEAR_PATTERN } from '../../common/metrics-query.dto';
import { FINANCING_GROUPS, type FinancingGroup } from '../financing.service';

export class FinancingQueryDto {
  @ApiPropertyOptional({ description: "6-digit region code; defaults to the caller's region", example: '350600' })
  @IsOptional() @IsRegionCodeField()
  region?: string;

  @ApiPropertyOptional({ description: 'First business date included (YYYY-MM-DD)', example: '2024-01-01' })
  @IsOptional() @IsBusinessDate()
  from?: string;

  @ApiPropertyOptional({ description: 'Last business date included (YYYY-MM-DD); defaults to today in Asia/Shanghai' })
  @IsOptional() @IsBusinessDate()
  to?: string;

  @ApiPropertyOptional({ description: 'Calendar year in Asia/Shanghai; the same as from=YYYY-01-01&to=YYYY-12-31', example: '2024' })
  @IsOptional() @Matches(YEAR_PATTERN, { message: YEAR_MESSAGE })
  year?: string;

  @ApiPropertyOptional({ enum: FINANCING_GROUPS })
  @IsOptional() @IsIn(FINANCING_GROUPS)
  groupBy?: FinancingGroup;
}
