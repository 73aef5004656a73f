import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Roles, type Principal } from '@ipfin/http';
import { PeriodQueryDto } from '../common/metrics-query.dto';
import { metricsScope } from '../common/region-scope';
import { CSV_HEADERS, ProductsReportDto } from '../common/report-docs';
import { respond } from '../common/respond';
import { ProductsService, type ProductsReport } from './products.service';

@ApiTags('metrics')
@ApiBearerAuth()
@Controller('v1/metrics/products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get()
  @Roles('regulator', 'admin')
  @ApiOperation({
    summary: 'Patent-intensive products: filed, recognised, rejected, rewards; per enterprise',
    description: "In the enterprise's region: filed by filedOn, recognised and rewards by recognisedOn (a withdrawn recognition and its reward adjustments restate them), rejected by rejectedOn. Rows are per enterprise USCC, sorted by USCC. Defaults to the current year.",
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: ProductsReportDto, headers: CSV_HEADERS })
  @ApiForbiddenResponse({ description: "Region outside the caller's, or a role that may not read region-wide figures" })
  async productsReport(
    @CurrentPrincipal() principal: Principal,
    @Query() q: PeriodQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ProductsReport | string> {
    const report = await this.products.report(metricsScope(principal, q.region, { bankRows: false }), q);
    return respond(report, accept, res, (r) => [
      { enterprise: 'totals', filed: r.filed, recognised: r.recognised, rejected: r.rejected, reward: r.rewards },
      ...r.rows,
    ]);
  }
}
