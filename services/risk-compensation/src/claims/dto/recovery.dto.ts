import { ApiProperty } from '@nestjs/swagger';
import { IsMoneyString } from '@ipfin/contracts';
import { Money } from '@ipfin/kernel';
import { IsCalendarDate } from '../../funds/dto/field-validators';
import type { RecoveryInput } from '../domain/recovery';

/** `POST /v1/claims/{id}/recoveries` (role `bank`): money recovered by disposing of the pledged IP after payout. */
export class RecoveryDto {
  @ApiProperty({ description: 'CNY recovered, a positive decimal string', example: '50000.01' })
  @IsMoneyString()
  amount!: string;

  @ApiProperty({
    description: 'Day the money was recovered (YYYY-MM-DD), not before the payout',
    example: '2025-06-30',
  })
  @IsCalendarDate()
  recoveredOn!: string;
}

export function recoveryInput(recoveryId: string, dto: RecoveryDto): RecoveryInput {
  return { recoveryId, amount: Money.parse(dto.amount), recoveredOn: dto.recoveredOn };
}
