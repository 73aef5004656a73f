import { ApiProperty } from '@nestjs/swagger';
import { IsNotBlank } from '@ipfin/http';
import { MaxLength } from 'class-validator';
import { IsCalendarDate, Trim } from './identifier.validators';

/** `POST /v1/products/{id}/reject` (role `regulator`). */
export class RejectProductDto {
  @ApiProperty({ example: '核心专利与产品技术方案不对应' })
  @Trim()
  @IsNotBlank()
  @MaxLength(1000)
  reason!: string;

  @ApiProperty({ example: '2024-06-18' })
  @IsCalendarDate()
  rejectedOn!: string;
}
