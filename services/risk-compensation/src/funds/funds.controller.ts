import { Body, Controller, Get, Param, Post, Put } from '@nestjs/common';
import {
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
import { CurrentPrincipal, Idempotent, ProblemDto, Roles, type Principal } from '@ipfin/http';
import { ContributionResultDto } from './dto/contribution-result.dto';
import { ContributionDto } from './dto/contribution.dto';
import { FundSummaryDto } from './dto/fund-summary.dto';
import { PolicyVersionsDto, PutPolicyResultDto } from './dto/policy-result.dto';
import { PutFundPolicyDto } from './dto/put-fund-policy.dto';
import { FundsService } from './funds.service';
import { PolicyService } from './policy.service';

const REGION_PARAM = { name: 'region', description: 'The fund region (6-digit code)', example: '350600' };

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
  @ApiOkResponse({ type: PutPolicyResultDto })
  @ApiForbiddenResponse({ type: ProblemDto, description: 'Not the fund manager of this region' })
  @ApiConflictResponse({ type: ProblemDto, description: '`policy-period-overlap`' })
  putPolicy(@CurrentPrincipal() principal: Principal, @Param('region') region: string, @Body() dto: PutFundPolicyDto) {
    return this.policies.put(principal, region, dto);
  }

  @Get(':region/policy')
  @ApiOperation({ summary: "The fund's policy versions, by effectiveFrom (any signed-in caller)" })
  @ApiParam(REGION_PARAM)
  @ApiOkResponse({ type: PolicyVersionsDto })
  getPolicy(@Param('region') region: string) {
    return this.policies.versions(region);
  }

  @Post(':region/contributions')
  @Roles('fund')
  @Idempotent()
  @ApiOperation({
    summary: 'Add capital to the fund (fund manager of that region)',
    description: 'Posts the contribution to the ledger and pays waiting claims the new balance covers, strictly in approval order.',
  })
  @ApiParam(REGION_PARAM)
  @ApiCreatedResponse({ type: ContributionResultDto })
  @ApiForbiddenResponse({ type: ProblemDto, description: 'Not the fund manager of this region' })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: '`contribution-not-positive`' })
  contribute(@CurrentPrincipal() principal: Principal, @Param('region') region: string, @Body() dto: ContributionDto) {
    return this.funds.contribute(principal, region, dto);
  }

  @Get(':region')
  @Roles('fund', 'regulator', 'admin')
  @ApiOperation({
    summary: "The fund's ledger figures (its fund manager; a regulator of the region or above)",
    description: '`balance = capital − paidOut + recoveredToFund`; `pendingPayouts` = Σ fund shares approved and waiting.',
  })
  @ApiParam(REGION_PARAM)
  @ApiOkResponse({ type: FundSummaryDto })
  @ApiForbiddenResponse({ type: ProblemDto })
  getFund(@CurrentPrincipal() principal: Principal, @Param('region') region: string) {
    return this.funds.summary(principal, region);
  }
}
