import { IsNotBlank } from '@ipfin/http';
import { BusinessDate, Money } from '@ipfin/kernel';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, MaxLength, ValidateNested } from 'class-validator';
import type { TransferCommand } from '../domain';
import { CounterpartyDto, toCounterparty } from './counterparty.dto';
import { IsCalendarDate, IsMoneyAmount, IsStrictBoolean } from './field-validators';

/** `POST /v1/patents/{number}/transfers` — by the owner. */
export class TransferPatentDto {
  @ApiProperty({ type: () => CounterpartyDto })
  @IsObject()
  @ValidateNested()
  @Type(() => CounterpartyDto)
  assignee!: CounterpartyDto;

  @ApiProperty({ description: 'CNY, decimal string', example: '300000.00' })
  @IsMoneyAmount()
  price!: string;

  @ApiProperty({
    description: "Not before the contract date of the patent's latest transfer (else 422 transfer-out-of-order)",
    example: '2024-06-18',
  })
  @IsCalendarDate()
  contractDate!: string;

  @ApiPropertyOptional({ description: 'Day the national IP office recorded the transfer', example: '2024-07-02' })
  @IsOptional()
  @IsCalendarDate()
  recordedOn?: string;

  @ApiPropertyOptional({ description: 'The pledgee consents (needed while the patent is pledged)' })
  @IsOptional()
  @IsStrictBoolean()
  pledgeeConsent?: boolean;

  @ApiPropertyOptional({ description: '`sub` of the service agency that handled it', example: 'agency-zz-ipservice' })
  @IsOptional()
  @IsNotBlank()
  @MaxLength(100)
  agencyId?: string;
}

export function toTransferCommand(dto: TransferPatentDto, transferId: string): TransferCommand {
  return {
    transferId,
    assignee: toCounterparty(dto.assignee),
    price: Money.parse(dto.price),
    contractDate: BusinessDate.parse(dto.contractDate),
    ...(dto.recordedOn !== undefined && { recordedOn: BusinessDate.parse(dto.recordedOn) }),
    ...(dto.pledgeeConsent !== undefined && { pledgeeConsent: dto.pledgeeConsent }),
    ...(dto.agencyId !== undefined && { agencyId: dto.agencyId }),
  };
}
