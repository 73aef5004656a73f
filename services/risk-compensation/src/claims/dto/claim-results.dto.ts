import { ApiProperty } from '@nestjs/swagger';
import { ClaimDto } from './claim.dto';

/** `GET /v1/claims`: a page in filing order. */
export class ClaimPageDto {
  @ApiProperty({ type: [ClaimDto] }) items!: ClaimDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last' })
  nextCursor!: string | null;
}

/** `POST /v1/claims/{id}/recoveries` → 201: how the recovery was shared, and the claim after it. */
export class RecoveryResultDto {
  @ApiProperty({ description: 'Id of the recovery (the ledger reference)' }) id!: string;
  @ApiProperty() claimId!: string;
  @ApiProperty({ example: '50000.01' }) amount!: string;
  @ApiProperty({ description: "Returned to the fund: half-up(amount × the claim's percent), at most what the fund still has at stake", example: '40000.01' })
  fundPart!: string;
  @ApiProperty({ description: 'Stays with the bank: amount − fundPart', example: '10000.00' }) bankPart!: string;
  @ApiProperty({ description: "Whether fundPart was cut to the fund's remaining stake on the claim" }) capped!: boolean;
  @ApiProperty({ example: '2025-06-30' }) recoveredOn!: string;
  @ApiProperty({ type: [String], description: 'Waiting claims the returned money paid, in approval order' })
  paidClaims!: string[];
  @ApiProperty({ type: ClaimDto }) claim!: ClaimDto;
}
