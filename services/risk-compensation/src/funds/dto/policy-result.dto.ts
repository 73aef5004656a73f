import { ApiProperty } from '@nestjs/swagger';
import type { FundPolicy } from '../domain/fund-policy';
import { FundPolicyDto } from './fund-policy.dto';

/** `PUT /v1/funds/{region}/policy`: the stored version and what the PUT did. */
export class PutPolicyResultDto extends FundPolicyDto {
  @ApiProperty({
    enum: ['added', 'replaced', 'unchanged'],
    description:
      '`added`: a new version; `replaced`: the version with this effectiveFrom was corrected; `unchanged`: identical to the stored version (nothing published)',
  })
  change!: 'added' | 'replaced' | 'unchanged';

  static of(policy: FundPolicy, change: PutPolicyResultDto['change']): PutPolicyResultDto {
    return Object.assign(new PutPolicyResultDto(), FundPolicyDto.from(policy), { change });
  }
}

/** `GET /v1/funds/{region}/policy`: every version, by `effectiveFrom`. */
export class PolicyVersionsDto {
  @ApiProperty({ type: [FundPolicyDto] }) items!: FundPolicyDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Always null: a fund has few versions' })
  nextCursor!: string | null;
}
