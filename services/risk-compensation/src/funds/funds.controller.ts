import { Body, Controller, Get, Param, Post, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal, Idempotent, IdempotencyOf, ProblemDto, Roles, type IdempotentRequest, type Principal } from '@ipfin/http';
import { ContributionResultDto } from './dto/contribution-result.dto';
import { ContributionDto } from './dto/contribution.dto';
import { FundRegionParams } from './dto/fund-region.params';
import { FundSummaryDto } from './dto/fund-summary.dto';
import { PolicyVersionsDto, PutPolicyResultDto } from './dto/policy-result.dto';
import { PutFundPolicyDto } from './dto/put-fund-policy.dto';
import { FundsService } from './funds.service';
import { PolicyService } from './policy.service';

const BAD_REGION = { type: ProblemDto, description: '`validation`: `region` is not a region code' };

const REGION_PARAM = {
  name: 'region',
  description: 'The fund region: a 6-digit GB/T 2260 code with a real province prefix (otherwise 400 on field `region`)',
  example: '350600',
};

@ApiTags('funds')
@ApiBearerAuth()
@Controller('v1/funds')
export class FundsController {
  constructor(
    private readonly policies: PolicyService,
    private readonly funds: FundsService,
  ) {}

  @Put(':region/policy')
  @Roles('fund')
  @ApiOperation({
    summary: 'Add or replace a version of the fund policy (fund manager of that region)',
    description:
      'Versions are identified by effectiveFrom: the effectiveFrom of an existing version replaces it, any other adds a version; ' +
      'an effective period overlapping another version is 409 `policy-period-overlap`. Loans registered in the periods ' +
      'involved are re-judged (except those with an approved or paid claim) and `PolicySet` / `LoanCovered` are published.',
  })
  @ApiParam(REGION_PARAM)
  @ApiBadRequestResponse(BAD_REGION)
  @ApiOkResponse({ type: PutPolicyResultDto })
  @ApiForbiddenResponse({ type: ProblemDto, description: 'Not the fund manager of this region' })
  @ApiConflictResponse({ type: ProblemDto, description: '`policy-period-overlap`' })
  putPolicy(@CurrentPrincipal() principal: Principal, @Param() { region }: FundRegionParams, @Body() dto: PutFundPolicyDto) {
    return this.policies.put(principal, region, dto);
  }

  @Get(':region/policy')
  @ApiOperation({ summary: "The fund's policy versions, by effectiveFrom (any signed-in caller)" })
  @ApiParam(REGION_PARAM)
  @ApiBadRequestResponse(BAD_REGION)
  @ApiOkResponse({ type: PolicyVersionsDto })
  getPolicy(@Param() { region }: FundRegionParams) {
    return this.policies.versions(region);
  }

  @Post(':region/contributions')
  @Roles('fund')
  @Idempotent()
  @ApiOperation({
    summary: 'Add capital to the fund (fund manager of that region)',
    description:
      'Posts the contribution to the ledger and pays waiting claims the new balance covers, strictly in approval order. ' +
      '`receivedOn` may not be after today (Asia/Shanghai). With an Idempotency-Key the result is recorded in the same transaction as the capital, so a retry never adds it twice.',
  })
  @ApiParam(REGION_PARAM)
  @ApiBadRequestResponse({ type: ProblemDto, description: '`validation`: `region` is not a region code, a malformed field, or `receivedOn` after today (Asia/Shanghai)' })
  @ApiCreatedResponse({ type: ContributionResultDto })
  @ApiForbiddenResponse({ type: ProblemDto, description: 'Not the fund manager of this region' })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: '`contribution-not-positive`' })
  contribute(
    @CurrentPrincipal() principal: Principal,
    @Param() { region }: FundRegionParams,
    @Body() dto: ContributionDto,
    @IdempotencyOf() idempotency: IdempotentRequest | undefined,
  ) {
    return this.funds.contribute(principal, region, dto, idempotency);
  }

  @Get(':region')
  @Roles('fund', 'regulator', 'admin')
  @ApiOperation({
    summary: "The fund's ledger figures (its fund manager; a regulator of the region or above)",
    description: '`balance = capital − paidOut + recoveredToFund`; `pendingPayouts` = Σ fund shares approved and waiting.',
  })
  @ApiParam(REGION_PARAM)
  @ApiBadRequestResponse(BAD_REGION)
  @ApiOkResponse({ type: FundSummaryDto })
  @ApiForbiddenResponse({ type: ProblemDto })
  getFund(@CurrentPrincipal() principal: Principal, @Param() { region }: FundRegionParams) {
    return this.funds.summary(principal, region);
  }
}
