import { ApiProperty } from '@nestjs/swagger';
import type { FundSummary } from '../domain/fund-ledger';

/** `GET /v1/funds/{region}`: `balance = capital − paidOut + recoveredToFund`. */
export class FundSummaryDto {
  @ApiProperty({ example: '350600' }) region!: string;
  @ApiProperty({ description: 'Σ contributions', example: '100000000.00' }) capital!: string;
  @ApiProperty({ description: 'Σ fund shares paid', example: '98765.43' }) paidOut!: string;
  @ApiProperty({ description: "Σ the fund's parts of recoveries", example: '0.00' }) recoveredToFund!: string;
  @ApiProperty({ description: 'Cash the fund holds; never negative', example: '99901234.57' }) balance!: string;
  @ApiProperty({ description: 'Σ fund shares approved and waiting for capital', example: '0.00' })
  pendingPayouts!: string;

  static from(summary: FundSummary): FundSummaryDto {
    return Object.assign(new FundSummaryDto(), {
      region: summary.region,
      capital: summary.capital.toString(),
      paidOut: summary.paidOut.toString(),
      recoveredToFund: summary.recoveredToFund.toString(),
      balance: summary.balance.toString(),
      pendingPayouts: summary.pendingPayouts.toString(),
    });
  }
}
