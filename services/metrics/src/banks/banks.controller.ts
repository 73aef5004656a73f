import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Roles, type Principal } from '@ipfin/http';
import { YearQueryDto } from '../common/metrics-query.dto';
import { metricsScope } from '../common/region-scope';
import { respond } from '../common/respond';
import { CSV_HEADERS, BanksReportDto } from '../common/report-docs';
import { BanksService, type BanksReport } from './banks.service';

@ApiTags('metrics')
@ApiBearerAuth()
@Controller('v1/metrics/banks')
export class BanksController {
  constructor(private readonly banks: BanksService) {}

  @Get()
  @Roles('regulator', 'bank', 'admin')
  @ApiOperation({
    summary: 'Bank evaluation of a year: per bank SMEs served, contracted, loans, inclusive loans, defaults, default rate',
    description: 'Sorted by smesServed, then contracted (both descending). defaultRate = principal loss declared in the year ÷ contracted in the year, 4 places half-up ("0.0000" when nothing was contracted). `year` defaults to the current year. A bank sees its own row only.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: BanksReportDto, headers: CSV_HEADERS })
  @ApiForbiddenResponse({ description: 'Region outside the caller\'s, or a role that may not read region-wide figures' })
  async banksReport(
    @CurrentPrincipal() principal: Principal,
    @Query() q: YearQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BanksReport | string> {
    const report = await this.banks.report(metricsScope(principal, q.region, { bankRows: true }), q.year);
    return respond(report, accept, res, (r) => r.rows, ['bank', 'smesServed', 'contracted', 'loans', 'inclusiveLoans', 'defaults', 'defaultRate']);
  }
}
