import { ApiProperty } from '@nestjs/swagger';
import { MaxLength } from 'class-validator';
import { IsNotBlank } from '@ipfin/http';

/** `POST /v1/claims/{id}/reject` (role `fund`). The bank may file a new claim after a rejection. */
export class RejectClaimDto {
  @ApiProperty({
    description: 'Why the claim is rejected, so the bank can act on it',
    example: '缺少法院判决书,请补充处置证明',
    maxLength: 2000,
  })
  @IsNotBlank()
  @MaxLength(2000)
  reason!: string;
}
