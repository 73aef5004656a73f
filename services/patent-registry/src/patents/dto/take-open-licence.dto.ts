import { BusinessDate } from '@ipfin/kernel';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';
import type { OpenLicenceTaking } from '../domain';
import { CounterpartyDto, toCounterparty } from './counterparty.dto';
import { IsCalendarDate } from './field-validators';

/** `POST /v1/patents/{number}/open-licence/takers` — role `enterprise`, for itself. */
export class TakeOpenLicenceDto {
  @ApiProperty({
    type: () => CounterpartyDto,
    description: "The taking enterprise itself: its USCC must be the token's `uscc` claim (a token without one is refused)",
  })
  @IsObject()
  @ValidateNested()
  @Type(() => CounterpartyDto)
  licensee!: CounterpartyDto;

  @ApiProperty({
    description: 'Day the licence is taken (written notice given); the licence runs to the declaration’s expiry',
    example: '2024-10-08',
  })
  @IsCalendarDate()
  takenOn!: string;
}

export function toOpenLicenceTaking(dto: TakeOpenLicenceDto, licenceId: string): OpenLicenceTaking {
  return { licenceId, licensee: toCounterparty(dto.licensee), takenOn: BusinessDate.parse(dto.takenOn) };
}
