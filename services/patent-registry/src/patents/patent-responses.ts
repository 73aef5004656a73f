import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ProblemDto } from '@ipfin/http';
import { LICENCE_KINDS, PATENT_GRADES, PATENT_KINDS, PATENT_STATUSES, ROYALTY_KINDS } from './domain';
import { CounterpartyDto } from './dto';

/*
 * Response shapes for the OpenAPI document (what `patent-view.ts` builds). Documentation only: the
 * service returns the view objects; these classes describe them.
 */

export class OwnerResponse {
  @ApiPropertyOptional({ description: "The institution's `sub` once it has acted on the platform", example: 'univ-minnan-normal' })
  sub?: string;
  @ApiPropertyOptional({ example: 'university' }) role?: string;
  @ApiPropertyOptional({ example: '12350600488000123X' }) uscc?: string;
  @ApiPropertyOptional({ description: 'As the transferor wrote it, for an assignee' }) name?: string;
  @ApiProperty({ description: '6-digit region code', example: '350600' }) region!: string;
}

export class RoyaltyResponse {
  @ApiProperty({ enum: ROYALTY_KINDS }) kind!: string;
  @ApiPropertyOptional({ description: 'lump_sum: CNY', example: '20000.00' }) amount?: string;
  @ApiPropertyOptional({ description: 'percent_of_sales: percentage', example: '3.5' }) percent?: string;
}

export class OpenLicenceResponse {
  @ApiProperty({ type: RoyaltyResponse }) royalty!: RoyaltyResponse;
  @ApiProperty({ example: 3 }) termYears!: number;
  @ApiProperty({ example: '2024-09-01' }) declaredOn!: string;
  @ApiProperty({ description: 'declaredOn + termYears − 1 day', example: '2027-08-31' }) expiresOn!: string;
  @ApiPropertyOptional({ description: 'First day no longer in force' }) withdrawnOn?: string;
  @ApiPropertyOptional() evaluationReportNo?: string;
  @ApiProperty() pledgeeConsent!: boolean;
  @ApiProperty({ description: 'Last day in force: the expiry, or the day before the withdrawal' }) lastDay!: string;
  @ApiProperty({ description: 'In force today (Asia/Shanghai)' }) inForce!: boolean;
}

export class OpenLicenceResult extends OpenLicenceResponse {
  @ApiProperty({ example: '202310123456.6' }) number!: string;
}

export class LicenceResponse {
  @ApiProperty({ example: '202310123456.6' }) number!: string;
  @ApiProperty({ description: '`<number>-L<n>`', example: '202310123456.6-L1' }) id!: string;
  @ApiProperty({ enum: LICENCE_KINDS }) kind!: string;
  @ApiProperty({ type: CounterpartyDto }) licensee!: CounterpartyDto;
  @ApiProperty({ type: RoyaltyResponse, description: 'A recorded contract: lump sum; a taker: the declared terms' }) royalty!: RoyaltyResponse;
  @ApiProperty() contractDate!: string;
  @ApiProperty() startsOn!: string;
  @ApiProperty({ description: 'Last day, inclusive' }) endsOn!: string;
  @ApiPropertyOptional() recordedOn?: string;
  @ApiPropertyOptional() agencyId?: string;
  @ApiProperty({ description: 'Taken under an open licence' }) viaOpenLicence!: boolean;
  @ApiPropertyOptional({ description: 'For a taker: the declaration it was taken under' }) openLicenceDeclaredOn?: string;
  @ApiProperty({ description: 'Runs today' }) inForce!: boolean;
}

export class TransferResponse {
  @ApiProperty({ example: '202310123456.6' }) number!: string;
  @ApiProperty({ description: '`<number>-T<n>`', example: '202310123456.6-T1' }) id!: string;
  @ApiProperty({ type: OwnerResponse, description: 'The owner that transferred' }) from!: OwnerResponse;
  @ApiProperty({ type: CounterpartyDto, description: 'The new owner' }) assignee!: CounterpartyDto;
  @ApiProperty({ example: '300000.00' }) price!: string;
  @ApiProperty() contractDate!: string;
  @ApiPropertyOptional() recordedOn?: string;
  @ApiPropertyOptional() agencyId?: string;
  @ApiProperty() pledgeeConsent!: boolean;
}

export class PatentSummaryResponse {
  @ApiProperty({ example: '202310123456.6' }) number!: string;
  @ApiProperty({ enum: PATENT_KINDS }) kind!: string;
  @ApiProperty({ example: '一种光伏组件及其制备方法' }) title!: string;
  @ApiProperty({ enum: PATENT_STATUSES }) status!: string;
  @ApiPropertyOptional({ example: 'H01L31/048' }) ipc?: string;
  @ApiPropertyOptional() grantedOn?: string;
  @ApiPropertyOptional({ enum: PATENT_GRADES }) grade?: string;
  @ApiPropertyOptional() category?: string;
  @ApiPropertyOptional() abstract?: string;
  @ApiProperty({ type: [String] }) keywords!: string[];
  @ApiProperty({ type: OwnerResponse }) owner!: OwnerResponse;
  @ApiProperty() listedOn!: string;
  @ApiProperty() updatedOn!: string;
  @ApiProperty({ description: 'In a registered, unsettled loan' }) pledged!: boolean;
  @ApiProperty({ description: 'Valid, not pledged, no exclusive licence running today' }) available!: boolean;
  @ApiProperty({ type: OpenLicenceResponse, nullable: true, description: 'The latest declaration, or null' }) openLicence!: OpenLicenceResponse | null;
}

export class PatentPageResponse {
  @ApiProperty({ type: [PatentSummaryResponse] }) items!: PatentSummaryResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Opaque; null on the last page' }) nextCursor!: string | null;
}

export class PledgeStateResponse {
  @ApiProperty() pledged!: boolean;
  @ApiProperty({ type: [String], description: '`sub` of the pledgee banks' }) pledgees!: string[];
}

export class PatentDetailResponse extends PatentSummaryResponse {
  @ApiProperty({ example: 2023 }) filedYear!: number;
  @ApiProperty({ description: 'Entered China through the PCT' }) pct!: boolean;
  @ApiProperty({ type: PledgeStateResponse }) pledge!: PledgeStateResponse;
  @ApiProperty({ type: [LicenceResponse] }) licences!: LicenceResponse[];
  @ApiProperty({ type: [TransferResponse], description: 'Oldest first' }) transfers!: TransferResponse[];
}

export class ListingResultResponse {
  @ApiProperty({ description: 'Position in the request' }) index!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Normalised number, or what was sent when invalid' }) number!: string | null;
  @ApiProperty({ enum: ['listed', 'updated', 'unchanged', 'rejected'] }) status!: string;
  @ApiPropertyOptional({ type: ProblemDto }) problem?: ProblemDto;
}

export class ListingBatchResponse {
  @ApiProperty({ type: [ListingResultResponse], description: 'In request order' }) results!: ListingResultResponse[];
}
