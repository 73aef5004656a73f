import { ApiProperty } from '@nestjs/swagger';
import { FundSummaryDto } from './fund-summary.dto';

/** `POST /v1/funds/{region}/contributions` → 201: the contribution, the claims it paid, the fund after it. */
export class ContributionResultDto {
  @ApiProperty({ description: 'Id of the contribution (the ledger reference)' }) id!: string;
  @ApiProperty({ example: '350600' }) region!: string;
  @ApiProperty({ example: '20000000.00' }) amount!: string;
  @ApiProperty({ example: '2024-03-15' }) receivedOn!: string;
  @ApiProperty({
    type: [String],
    description: 'Waiting claims the new capital paid, in approval order',
  })
  paidClaims!: string[];
  @ApiProperty({ type: FundSummaryDto, description: 'The fund after the contribution and the payouts' })
  fund!: FundSummaryDto;
}
