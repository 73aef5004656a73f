import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { IsBusinessDate, IsRegionCodeField, PageQueryDto } from '@ipfin/http';
import { LOAN_STATUSES, type LoanStatus } from '../domain';

export class ListLoansQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: LOAN_STATUSES }) @IsOptional() @IsIn(LOAN_STATUSES) status?: LoanStatus;
  @ApiPropertyOptional({ description: 'Registered on or after (YYYY-MM-DD)' })
  @IsOptional()
  @IsBusinessDate()
  from?: string;
  @ApiPropertyOptional({ description: 'Registered on or before (YYYY-MM-DD)' })
  @IsOptional()
  @IsBusinessDate()
  to?: string;
  @ApiPropertyOptional({ description: 'Regulators: a region inside their own (default: their region)' })
  @IsOptional()
  @IsRegionCodeField()
  region?: string;
  @ApiPropertyOptional({ description: 'Regulators: only this bank' }) @IsOptional() @IsString() bank?: string;
}

export class GetLoanQueryDto {
  @ApiPropertyOptional({ description: 'Regulators: the bank whose loanRef this is (loanRefs are unique per bank)' })
  @IsOptional()
  @IsString()
  bank?: string;
}
