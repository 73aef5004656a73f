import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Roles, type Principal } from '@ipfin/http';
import { PeriodQueryDto } from '../common/metrics-query.dto';
import { metricsScope } from '../common/region-scope';
import { RiskFundReportDto } from '../common/report-docs';
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
    description: 'Funds count in their own region (a prefecture includes its county funds). Each figure is dated by its own business date (receivedOn, paidOn, approvedOn, recoveredOn; claims by filedOn, counted by current status; covered loans by registration, their losses by default date). Without from/to/year: everything up to today.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: RiskFundReportDto })
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
