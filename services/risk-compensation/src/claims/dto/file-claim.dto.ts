import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, MaxLength } from 'class-validator';
import { IsMoneyString } from '@ipfin/contracts';
import { IsNotBlank } from '@ipfin/http';
import { Money } from '@ipfin/kernel';
import { IsCalendarDate } from '../../funds/dto/field-validators';
import type { ClaimInput } from '../domain/claim';

/** One evidence reference may come as a bare string; it is read as a one-item list. */
const asList = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? [value] : value);

/**
 * The longest `loanRef` pledge-loans accepts (`LoanEventItemDto`): any loan a bank could report
 * can be claimed on.
 */
export const LOAN_REF_MAX_LENGTH = 100;

/** `POST /v1/claims` (role `bank`): a claim for a covered, defaulted loan's principal loss. */
export class FileClaimDto {
  @ApiProperty({ description: "The bank's own loan reference, as reported to pledge-loans", example: 'ZZ-2024-000123', maxLength: LOAN_REF_MAX_LENGTH })
  @IsNotBlank()
  @MaxLength(LOAN_REF_MAX_LENGTH)
  loanRef!: string;

  @ApiProperty({ description: 'Principal loss claimed; at most what the loan events reported', example: '123456.79' })
  @IsMoneyString()
  principalLoss!: string;

  @ApiProperty({
    description: 'The default date the loan events report (the first non-reversed LoanDefaulted)',
    example: '2025-04-10',
  })
  @IsCalendarDate()
  defaultedOn!: string;

  @ApiPropertyOptional({
    description:
      'References to supporting documents (judgments, disposal records, URLs); a single string is accepted as one reference',
    type: [String],
    maxItems: 20,
    example: ['(2025)闽0602民初123号判决书'],
  })
  @IsOptional()
  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(20)
  @IsNotBlank({ each: true })
  @MaxLength(500, { each: true })
  evidence?: string[];
}

export function claimInput(dto: FileClaimDto): ClaimInput {
  return {
    loanRef: dto.loanRef,
    principalLoss: Money.parse(dto.principalLoss),
    defaultedOn: dto.defaultedOn,
    ...(dto.evidence === undefined ? {} : { evidence: dto.evidence }),
  };
}
