import { ApiProperty } from '@nestjs/swagger';
import { IsMoneyString } from '@ipfin/contracts';
import { Money } from '@ipfin/kernel';
import type { ContributionInput } from '../domain/fund-ledger';
import { IsCalendarDate } from './field-validators';

/** `POST /v1/funds/{region}/contributions`: capital received by the fund. */
export class ContributionDto {
  @ApiProperty({ description: 'CNY, a positive decimal string', example: '20000000.00' })
  @IsMoneyString()
  amount!: string;

  @ApiProperty({ description: 'Day the money arrived (YYYY-MM-DD)', example: '2024-03-15' })
  @IsCalendarDate()
  receivedOn!: string;
}

export function contributionInput(contributionId: string, dto: ContributionDto): ContributionInput {
  return { contributionId, amount: Money.parse(dto.amount), receivedOn: dto.receivedOn };
}
