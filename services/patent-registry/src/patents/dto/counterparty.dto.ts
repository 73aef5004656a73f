import { ApiProperty } from '@nestjs/swagger';
import { IsNotBlank } from '@ipfin/http';
import { MaxLength } from 'class-validator';
import type { Counterparty } from '../domain';
import { IsRegionCodeText, IsUsccCode } from './field-validators';

/** An assignee or licensee: `{ uscc, name, regionCode }`. */
export class CounterpartyDto {
  @ApiProperty({ description: 'Unified social credit code, check character verified', example: '91350600MA2Y7K8Q37' })
  @IsUsccCode()
  uscc!: string;

  @ApiProperty({ description: 'Not blank; stored trimmed', example: '漳州市光电科技有限公司' })
  @IsNotBlank()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ description: "6-digit region code of the enterprise's location", example: '350602' })
  @IsRegionCodeText()
  regionCode!: string;
}

export function toCounterparty(dto: CounterpartyDto): Counterparty {
  return { uscc: dto.uscc.trim().toUpperCase(), name: dto.name.trim(), regionCode: dto.regionCode.trim() };
}
