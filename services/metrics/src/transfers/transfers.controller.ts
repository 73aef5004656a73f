import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Roles, type Principal } from '@ipfin/http';
import { PeriodQueryDto } from '../common/metrics-query.dto';
import { metricsScope } from '../common/region-scope';
import { CSV_HEADERS, TransfersReportDto } from '../common/report-docs';
import { respond } from '../common/respond';
import { TransfersService, type TransfersReport } from './transfers.service';

@ApiTags('metrics')
@ApiBearerAuth()
@Controller('v1/metrics/transfers')
export class TransfersController {
  constructor(private readonly transfers: TransfersService) {}

  @Get()
  @Roles('regulator', 'admin')
  @ApiOperation({
    summary: 'Transfers, licences by kind, recorded contracts, open licences and university transfer rewards',
    description: "A transfer or licence counts in the assignee's / licensee's region by contractDate; recorded contracts by recordedOn; open-licence figures in the owner's region (declared by declaredOn, in the declaring owner's region; in force at the period's end or today, in the region of the patent's owner that day — a transfer moves a declaration in force to the assignee's region from its contractDate; taken by takenOn, in the region of the owner the taking names). universityRewards: each university's invention transfers to assignees in the region, rewarded per calendar year under the policy of the region (or the nearest enclosing region with one; Zhangzhou: ≥ 6 → ¥30 000 + ¥5 000 each beyond 6, at most ¥300 000). Defaults to the current year.",
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: TransfersReportDto, headers: CSV_HEADERS })
  @ApiForbiddenResponse({ description: "Region outside the caller's, or a role that may not read region-wide figures" })
  async transfersReport(
    @CurrentPrincipal() principal: Principal,
    @Query() q: PeriodQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TransfersReport | string> {
    const report = await this.transfers.report(metricsScope(principal, q.region, { bankRows: false }), q);
    return respond(report, accept, res, (r) => {
      const { universityRewards, ...figures } = r;
      return [{ row: 'totals', ...figures }, ...universityRewards.map((u) => ({ row: 'universityReward', ...u }))];
    });
  }
}
