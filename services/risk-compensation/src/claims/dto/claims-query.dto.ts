import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '@ipfin/http';
import { CLAIM_STATUSES, type ClaimStatus } from '../domain/claim';

/** `GET /v1/claims?status=&limit=&cursor=`: a bank sees its own claims, a fund its region's. */
export class ClaimsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CLAIM_STATUSES })
  @IsOptional()
  @IsIn(CLAIM_STATUSES)
  status?: ClaimStatus;
}
