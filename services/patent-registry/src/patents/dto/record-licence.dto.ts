import { IsNotBlank } from '@ipfin/http';
import { BusinessDate, Money } from '@ipfin/kernel';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, MaxLength, ValidateNested } from 'class-validator';
import { LICENCE_KINDS, type LicenceCommand, type LicenceKind } from '../domain';
import { CounterpartyDto, toCounterparty } from './counterparty.dto';
import { IsCalendarDate, IsMoneyAmount, IsStrictBoolean } from './field-validators';

/**
 * `POST /v1/patents/{number}/licences` — by the owner. `pledgeeConsent` is an optional addition to
 * the api.md body, as on transfers: without it a pledged patent could never be licensed.
 */
export class RecordLicenceDto {
  @ApiProperty({ type: () => CounterpartyDto })
  @IsObject()
  @ValidateNested()
  @Type(() => CounterpartyDto)
  licensee!: CounterpartyDto;

  @ApiProperty({ enum: LICENCE_KINDS, description: 'exclusive 独占, sole 排他, ordinary 普通' })
  @IsIn(LICENCE_KINDS)
  kind!: LicenceKind;

  @ApiProperty({ description: 'CNY, decimal string; "0.00" is a valid (free) licence', example: '50000.00' })
  @IsMoneyAmount()
  royalty!: string;

  @ApiProperty({ example: '2024-03-01' })
  @IsCalendarDate()
  contractDate!: string;

  @ApiProperty({ description: 'First day of the licence', example: '2024-03-15' })
  @IsCalendarDate()
  startsOn!: string;

  @ApiProperty({
    description: "Last day of the licence (inclusive); not after the end of the patent's term",
    example: '2029-03-14',
  })
  @IsCalendarDate()
  endsOn!: string;

  @ApiPropertyOptional({ description: 'Day the licence contract was recorded (备案)', example: '2024-04-10' })
  @IsOptional()
  @IsCalendarDate()
  recordedOn?: string;

  @ApiPropertyOptional({ description: 'The pledgee consents (needed while the patent is pledged)' })
  @IsOptional()
  @IsStrictBoolean()
  pledgeeConsent?: boolean;

  @ApiPropertyOptional({ description: '`sub` of the service agency that handled it' })
  @IsOptional()
  @IsNotBlank()
  @MaxLength(100)
  agencyId?: string;
}

export function toLicenceCommand(dto: RecordLicenceDto, licenceId: string): LicenceCommand {
  return {
    licenceId,
    licensee: toCounterparty(dto.licensee),
    kind: dto.kind,
    royalty: Money.parse(dto.royalty),
    contractDate: BusinessDate.parse(dto.contractDate),
    startsOn: BusinessDate.parse(dto.startsOn),
    endsOn: BusinessDate.parse(dto.endsOn),
    ...(dto.recordedOn !== undefined && { recordedOn: BusinessDate.parse(dto.recordedOn) }),
    ...(dto.pledgeeConsent !== undefined && { pledgeeConsent: dto.pledgeeConsent }),
    ...(dto.agencyId !== undefined && { agencyId: dto.agencyId }),
  };
}
