import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Idempotent, Roles, assertRegionAccess, type Principal } from '@ipfin/http';
import { metricsScope } from '../common/region-scope';
import { CSV_PAGE_HEADERS, TargetDto, TargetsPageDto } from '../common/report-docs';
import { respond } from '../common/respond';
import { CreateTargetDto } from './dto/create-target.dto';
import { TargetsQueryDto } from './dto/targets-query.dto';
import { TargetsService, type TargetItem, type TargetsPage } from './targets.service';

@ApiTags('targets')
@ApiBearerAuth()
@Controller('v1/targets')
export class TargetsController {
  constructor(private readonly targets: TargetsService) {}

  @Get()
  @Roles('regulator', 'admin')
  @ApiOperation({
    summary: "Plan targets of the region (its counties included) with live actual and progress",
    description: 'actual is computed from the aggregates for the indicators the platform measures (null otherwise), over a window ending on dueOn or today if earlier: cumulative indicators from the beginning, annual ones over that calendar year, open-licences-in-force on that day. progress = actual ÷ target, 4 places half-up.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: TargetsPageDto, headers: CSV_PAGE_HEADERS })
  @ApiForbiddenResponse({ description: "Region outside the caller's, or a role that may not read region-wide figures" })
  @ApiBadRequestResponse({ description: 'problem+json naming the field; a cursor not issued by this endpoint is 400 on cursor' })
  async listTargets(
    @CurrentPrincipal() principal: Principal,
    @Query() q: TargetsQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TargetsPage | string> {
    const page = await this.targets.list(metricsScope(principal, q.region, { bankRows: false }), q);
    return respond(page, accept, res, (p) => p.items, ['id', 'region', 'indicator', 'unit', 'baseline', 'target', 'dueOn', 'actual', 'progress']);
  }

  @Post()
  @HttpCode(201)
  @Roles('regulator')
  @Idempotent()
  @ApiOperation({
    summary: 'Record a plan target for the region or a region below it',
    description: 'target > 0 (progress = actual ÷ target); a measured indicator must carry the unit it is measured in (pledge-financing-*, patent-pledge-*, trademark-pledge-*, risk-fund-capital-*, patent-operation-and-pledge-*: CNY; the others: count), else 400 on unit. Any other kebab-case indicator takes either unit (actual and progress null).',
  })
  @ApiBadRequestResponse({ description: 'problem+json with errors naming the field (e.g. unit, target)' })
  @ApiCreatedResponse({ type: TargetDto })
  @ApiForbiddenResponse({ description: "Region outside the regulator's" })
  @ApiConflictResponse({ description: 'A target of the same region, indicator and due date exists' })
  async createTarget(@CurrentPrincipal() principal: Principal, @Body() body: CreateTargetDto): Promise<TargetItem> {
    assertRegionAccess(principal, body.region);
    return this.targets.create(principal.sub, body);
  }
}
