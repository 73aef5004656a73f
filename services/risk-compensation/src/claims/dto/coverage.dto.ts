import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { COVERAGE_RULES, type CoverageRule } from '@ipfin/contracts';
import type { CoveredLoan, CoveredLoanStatus } from '../domain/covered-loan';

export class CoverageReasonDto {
  @ApiProperty({ enum: COVERAGE_RULES }) rule!: CoverageRule;
  @ApiProperty({ example: 'bank-hxb-zz is not a cooperating bank of the 350600 fund (policy of 2024-02-02).' })
  detail!: string;
}

/** `GET /v1/claims/coverage/{bankSub}/{loanRef}`: whether the loan is covered, and why not. */
export class CoverageDto {
  @ApiProperty({ example: 'bank-icbc-zz' }) bank!: string;
  @ApiProperty({ example: 'ZZ-2024-000123' }) loanRef!: string;
  @ApiProperty() covered!: boolean;
  @ApiProperty({ type: [CoverageReasonDto], description: 'Empty when covered' }) reasons!: CoverageReasonDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Fund region that judged the loan; null when no fund is concerned',
    example: '350600',
  })
  region!: string | null;
  @ApiPropertyOptional({ description: 'effectiveFrom of the judging policy version', example: '2024-02-02' })
  policyVersion?: string;
  @ApiProperty({ example: '2024-03-01' }) registeredOn!: string;
  @ApiProperty({ example: '500000.00' }) principal!: string;
  @ApiProperty({ enum: ['registered', 'disbursed', 'defaulted', 'settled'] }) status!: CoveredLoanStatus;
  @ApiProperty({ example: '376543.21' }) outstanding!: string;
  @ApiProperty({
    description: 'Σ principal loss the loan events report: the most a claim may ask',
    example: '123456.79',
  })
  reportedLoss!: string;
  @ApiPropertyOptional({ example: '2025-04-10' }) defaultedOn?: string;

  static from(loan: CoveredLoan): CoverageDto {
    return Object.assign(new CoverageDto(), {
      bank: loan.bank,
      loanRef: loan.loanRef,
      covered: loan.covered,
      reasons: loan.reasons.map((r) => Object.assign(new CoverageReasonDto(), { rule: r.rule, detail: r.detail })),
      region: loan.region,
      ...(loan.policyVersion === undefined ? {} : { policyVersion: loan.policyVersion }),
      registeredOn: loan.registeredOn,
      principal: loan.principal.toString(),
      status: loan.status,
      outstanding: loan.outstanding.toString(),
      reportedLoss: loan.reportedLoss.toString(),
      ...(loan.defaultedOn === undefined ? {} : { defaultedOn: loan.defaultedOn }),
    });
  }
}
