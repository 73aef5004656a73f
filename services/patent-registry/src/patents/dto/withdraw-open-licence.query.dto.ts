import { BusinessDate } from '@ipfin/kernel';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsCalendarDate } from './field-validators';

/** `DELETE /v1/patents/{number}/open-licence?withdrawnOn=YYYY-MM-DD`. */
export class WithdrawOpenLicenceQueryDto {
  @ApiPropertyOptional({
    description: 'First day the declaration is no longer in force; defaults to today (Asia/Shanghai)',
    example: '2025-03-01',
  })
  @IsOptional()
  @IsCalendarDate()
  withdrawnOn?: string;
}

/** The withdrawal date: the query's, or `today` (the service's clock, Asia/Shanghai). */
export function withdrawalDate(dto: WithdrawOpenLicenceQueryDto, today: BusinessDate): { withdrawnOn: BusinessDate } {
  return { withdrawnOn: dto.withdrawnOn === undefined ? today : BusinessDate.parse(dto.withdrawnOn) };
}
