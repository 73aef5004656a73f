import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Roles, type Principal } from '@ipfin/http';
import { PeriodQueryDto } from '../common/metrics-query.dto';
import { metricsScope } from '../common/region-scope';
import { CSV_HEADERS, ProductsReportDto } from '../common/report-docs';
import { wantsCsv } from '../common/csv';
import { csvHeaders } from '../common/respond';
import { ProductsService } from './products.service';

@ApiTags('metrics')
@ApiBearerAuth()
@Controller('v1/metrics/products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get()
  @Roles('regulator', 'admin')
  @ApiOperation({
    summary: 'Patent-intensive products: filed, recognised, rejected, rewards; per enterprise',
    description: "In the enterprise's region: filed by filedOn, recognised and rewards by recognisedOn (a withdrawn recognition and its reward adjustments restate them), rejected by rejectedOn. Rows are per enterprise USCC, sorted by USCC. Defaults to the current year. A JSON answer carries a weak ETag: If-None-Match with it gets 304 while the answer (asOf and lagEvents included) is unchanged.",
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: ProductsReportDto, headers: CSV_HEADERS })
  @ApiResponse({ status: 304, description: 'Not modified: If-None-Match named the ETag of the unchanged JSON answer' })
  @ApiForbiddenResponse({ description: "Region outside the caller's, or a role that may not read region-wide figures" })
  async productsReport(
    @CurrentPrincipal() principal: Principal,
    @Query() q: PeriodQueryDto,
    @Headers('accept') accept: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const answer = await this.products.answer(metricsScope(principal, q.region, { bankRows: false }), q);
    if (wantsCsv(accept)) {
      csvHeaders(answer.report, res);
      res.send(answer.csv());
      return;
    }
    // The JSON made from the figures' kept JSON, with its ETag (ProductsService): neither
    // serialised, hashed nor copied again — a province's answer is megabytes.
    const { parts, etag } = answer.json();
    res.type('application/json').setHeader('ETag', etag);
    if (req.fresh) {
      res.removeHeader('Content-Type');
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Length', String(parts[0].length + parts[1].length));
    res.write(parts[0]);
    res.end(parts[1]);
  }
}
