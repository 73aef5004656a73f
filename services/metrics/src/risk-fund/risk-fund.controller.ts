import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Roles, type Principal } from '@ipfin/http';
import { PeriodQueryDto } from '../common/metrics-query.dto';
import { metricsScope } from '../common/region-scope';
import { CSV_HEADERS, RiskFundReportDto } from '../common/report-docs';
import { respond } from '../common/respond';
import { RiskFundService, type RiskFundReport } from './risk-fund.service';

@ApiTags('metrics')
@ApiBearerAuth()
@Controller('v1/metrics/risk-fund')
export class RiskFundController {
  constructor(private readonly riskFund: RiskFundService) {}

  @Get()
  @Roles('regulator', 'admin')
  @ApiOperation({
    summary: 'Risk-compensation funds of the region: capital, payouts, bank shares, recoveries, balance, claims, covered loans, loss rate',
    description: 'Funds count in their own region (a prefecture includes its county funds). With a period (year, or from/to): the account — capital, paidOut, bankShare, recoveredToFund and balance — is the funds\' account at the period\'s last day (everything up to `to`, from the beginning: a balance is a stock, never below zero, and balance = capital − paidOut + recoveredToFund holds in every answer); claims (filed in the period, by current status), coveredLoans (registered in the period) and lossRate (their principal loss declared in the period ÷ their principal) follow the period. Each figure is dated by its own business date (receivedOn, paidOn, approvedOn, recoveredOn, filedOn, registration, default date). A loan moved to another fund by a policy change counts in the fund whose own latest LoanCovered covers it. Without from/to/year: everything up to today.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: RiskFundReportDto, headers: CSV_HEADERS })
  @ApiForbiddenResponse({ description: "Region outside the caller's, or a role that may not read region-wide figures" })
  async riskFundReport(
    @CurrentPrincipal() principal: Principal,
    @Query() q: PeriodQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RiskFundReport | string> {
    const report = await this.riskFund.report(metricsScope(principal, q.region, { bankRows: false }), q);
    return respond(report, accept, res, (r) => [r]);
  }
}
