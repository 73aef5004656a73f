import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Roles, type Principal } from '@ipfin/http';
import { PeriodQueryDto } from '../common/metrics-query.dto';
import { metricsScope } from '../common/region-scope';
import { CSV_HEADERS, AgenciesReportDto } from '../common/report-docs';
import { respond } from '../common/respond';
import { AgenciesService, type AgenciesReport } from './agencies.service';

@ApiTags('metrics')
@ApiBearerAuth()
@Controller('v1/metrics/agencies')
export class AgenciesController {
  constructor(private readonly agencies: AgenciesService) {}

  @Get()
  @Roles('regulator', 'admin')
  @ApiOperation({
    summary: 'Service agencies: enterprises served by inclusive pledge registrations, transfers + licences, product filings, service subsidy',
    description: "Per agencyId, in the region (the borrower's, the assignee's / licensee's, the enterprise's) and period: distinct borrowers of inclusive loans it registered, transfers and licences it handled, products it filed. The subsidy is judged per calendar year under the region's policy (or the nearest enclosing region's; Zhangzhou §13: ≥ 5 enterprises benefiting from inclusive *patent* pledge registrations — trademark-only pledges count in inclusivePledgeEnterprises but not here — / ≥ 50 transfers + licences / ≥ 50 product filings → ¥150 000). Defaults to the current year.",
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: AgenciesReportDto, headers: CSV_HEADERS })
  @ApiForbiddenResponse({ description: "Region outside the caller's, or a role that may not read region-wide figures" })
  async agenciesReport(
    @CurrentPrincipal() principal: Principal,
    @Query() q: PeriodQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AgenciesReport | string> {
    const report = await this.agencies.report(metricsScope(principal, q.region, { bankRows: false }), q);
    return respond(report, accept, res, (r) => r.rows, ['agency', 'inclusivePledgeEnterprises', 'transfersAndLicences', 'productFilings', 'subsidyEarned', 'subsidy']);
  }
}
