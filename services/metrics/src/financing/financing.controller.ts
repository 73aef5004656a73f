import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Roles, type Principal } from '@ipfin/http';
import { BusinessDate, yearRange } from '@ipfin/kernel';
import { metricsScope } from '../common/region-scope';
import { CSV_HEADERS, FinancingReportDto } from '../common/report-docs';
import { respond } from '../common/respond';
import { FinancingQueryDto } from './dto/financing-query.dto';
import { FinancingService, type FinancingReport } from './financing.service';

@ApiTags('metrics')
@ApiBearerAuth()
@Controller('v1/metrics/financing')
export class FinancingController {
  constructor(private readonly financing: FinancingService) {}

  @Get()
  @Roles('regulator', 'bank', 'admin')
  @ApiOperation({
    summary: 'Pledge financing totals and rows (loans, contracted, disbursed, outstanding, SMEs served, …)',
    description: 'Period: year (wins) or from/to, to defaulting to today (Asia/Shanghai); a from after to — given or defaulted — is 400 on from.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: FinancingReportDto, description: 'See api.md "financing" for the exact meaning of each figure.', headers: CSV_HEADERS })
  async financingReport(
    @CurrentPrincipal() principal: Principal,
    @Query() q: FinancingQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<FinancingReport | string> {
    const scope = metricsScope(principal, q.region, { bankRows: true });
    const range = q.year ? yearRange(Number(q.year)) : null;
    const report = await this.financing.report({
      ...scope,
      from: range ? range.from : q.from ? BusinessDate.parse(q.from) : null,
      to: range ? range.to : q.to ? BusinessDate.parse(q.to) : null,
      groupBy: q.groupBy ?? null,
    });
    return respond(report, accept, res, (r) => [{ key: 'totals', ...r.totals }, ...r.rows]);
  }
}
