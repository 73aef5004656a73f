import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Idempotent, Roles, assertRegionAccess, type Page, type Principal } from '@ipfin/http';
import { metricsScope } from '../common/region-scope';
import { TargetDto, TargetsPageDto } from '../common/report-docs';
import { respond } from '../common/respond';
import { CreateTargetDto } from './dto/create-target.dto';
import { TargetsQueryDto } from './dto/targets-query.dto';
import { TargetsService, type TargetItem } from './targets.service';

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
  @ApiOkResponse({ type: TargetsPageDto })
  @ApiForbiddenResponse({ description: "Region outside the caller's, or a role that may not read region-wide figures" })
  async listTargets(
    @CurrentPrincipal() principal: Principal,
    @Query() q: TargetsQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Page<TargetItem> | string> {
    const page = await this.targets.list(metricsScope(principal, q.region, { bankRows: false }), q);
    return respond(page, accept, res, (p) => p.items, ['id', 'region', 'indicator', 'unit', 'baseline', 'target', 'dueOn', 'actual', 'progress']);
  }

  @Post()
  @HttpCode(201)
  @Roles('regulator')
  @Idempotent()
  @ApiOperation({ summary: 'Record a plan target for the region or a region below it' })
  @ApiCreatedResponse({ type: TargetDto })
  @ApiForbiddenResponse({ description: "Region outside the regulator's" })
  @ApiConflictResponse({ description: 'A target of the same region, indicator and due date exists' })
  async createTarget(@CurrentPrincipal() principal: Principal, @Body() body: CreateTargetDto): Promise<TargetItem> {
    assertRegionAccess(principal, body.region);
    return this.targets.create(principal.sub, body);
  }
}
