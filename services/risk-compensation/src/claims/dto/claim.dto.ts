import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CLAIM_STATUSES, type Claim, type ClaimStatus } from '../domain/claim';

/** A claim as the API shows it: money as two-decimal strings, shares once approved. */
export class ClaimDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'Fund region', example: '350600' }) region!: string;
  @ApiProperty({ example: 'bank-icbc-zz' }) bank!: string;
  @ApiProperty({ example: 'ZZ-2024-000123' }) loanRef!: string;
  @ApiProperty({
    enum: CLAIM_STATUSES,
    description:
      '`filed` → `waiting` (approved, queued for payout in approval order) → `paid`; `filed` → `rejected` by the fund manager; ' +
      '`waiting` → `rejected` when the loan events withdraw the loss it was approved for (its default or registration reversed, ' +
      'or the reported loss now below `principalLoss`): it is never paid, and its approval fields are dropped. A `paid` claim stays paid.',
  })
  status!: ClaimStatus;
  @ApiProperty({ example: '123456.79' }) principalLoss!: string;
  @ApiProperty({ example: '2025-04-10' }) defaultedOn!: string;
  @ApiProperty({ example: '2025-04-15' }) filedOn!: string;
  @ApiProperty({ description: 'effectiveFrom of the policy version covering the loan', example: '2024-02-02' })
  policyVersion!: string;
  @ApiProperty({ type: [String] }) evidence!: string[];
  @ApiPropertyOptional({ example: '80' }) fundSharePercent?: string;
  @ApiPropertyOptional({ example: '1000000.00' }) perLoanCap?: string;
  @ApiPropertyOptional() capped?: boolean;
  @ApiPropertyOptional({ example: '98765.43' }) fundShare?: string;
  @ApiPropertyOptional({ example: '24691.36' }) bankShare?: string;
  @ApiPropertyOptional({ example: '2025-04-20' }) approvedOn?: string;
  @ApiPropertyOptional({ description: 'Position in the payout queue of the fund region', example: 1 })
  approvalSequence?: number;
  @ApiPropertyOptional({ example: '2025-04-20' }) paidOn?: string;
  @ApiPropertyOptional({ description: "Σ the fund's parts of recoveries", example: '0.00' }) recoveredToFund?: string;
  @ApiPropertyOptional({ description: "Σ the bank's parts of recoveries", example: '0.00' }) recoveredToBank?: string;
  @ApiPropertyOptional({ description: 'Business date of the rejection (Asia/Shanghai)', example: '2025-04-20' }) rejectedOn?: string;
  @ApiPropertyOptional({
    description:
      "The fund manager's reason; for a waiting claim the loan events withdrew, `<code>: <detail>` with code " +
      '`default-reversed`, `claim-exceeds-reported-loss` or `registration-reversed`. The bank may file again.',
    example: 'default-reversed: The loan events of ZZ-2024-000123 no longer report a principal loss: its default was reversed. …',
  })
  rejectionReason?: string;

  static from(claim: Claim): ClaimDto {
    const base = {
      id: claim.id,
      region: claim.region,
      bank: claim.bank,
      loanRef: claim.loanRef,
      status: claim.status,
      principalLoss: claim.principalLoss.toString(),
      defaultedOn: claim.defaultedOn,
      filedOn: claim.filedOn,
      policyVersion: claim.policyVersion,
      evidence: [...claim.evidence],
    };
    switch (claim.status) {
      case 'filed':
        return Object.assign(new ClaimDto(), base);
      case 'rejected':
        return Object.assign(new ClaimDto(), base, {
          rejectedOn: claim.rejectedOn,
          rejectionReason: claim.rejectionReason,
        });
      case 'waiting':
      case 'paid': {
        const approved = {
          fundSharePercent: claim.fundSharePercent,
          ...(claim.perLoanCap === undefined ? {} : { perLoanCap: claim.perLoanCap.toString() }),
          capped: claim.capped,
          fundShare: claim.fundShare.toString(),
          bankShare: claim.bankShare.toString(),
          approvedOn: claim.approvedOn,
          approvalSequence: claim.approvalSequence,
        };
        if (claim.status === 'waiting') return Object.assign(new ClaimDto(), base, approved);
        return Object.assign(new ClaimDto(), base, approved, {
          paidOn: claim.paidOn,
          recoveredToFund: claim.recoveredToFund.toString(),
          recoveredToBank: claim.recoveredToBank.toString(),
        });
      }
    }
  }
}
