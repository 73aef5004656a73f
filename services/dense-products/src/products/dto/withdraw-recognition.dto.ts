import { ApiProperty } from '@nestjs/swagger';
import { IsNotBlank } from '@ipfin/http';
import { MaxLength } from 'class-validator';
import { IsCalendarDate, Trim } from './identifier.validators';

/**
 * Withdrawal of a recognition by the regulator (`POST /v1/products/{id}/recognition-withdrawals`):
 * the product's reward is given back and the freed cap goes to the enterprise's next products in line.
 */
export class WithdrawRecognitionDto {
  @ApiProperty({ example: '2024-09-01' })
  @IsCalendarDate()
  withdrawnOn!: string;

  @ApiProperty({ example: '认定证书被国家知识产权局撤销' })
  @Trim()
  @IsNotBlank()
  @MaxLength(1000)
  reason!: string;
}
