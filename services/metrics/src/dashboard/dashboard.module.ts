import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller';

/**
 * The regulator dashboard at `/` (api.md "GET /"): one static page plus its script, stylesheet
 * and ECharts. The page reads only the public metrics API with the token the regulator pastes;
 * this module serves files and touches no data.
 */
@Module({ controllers: [DashboardController] })
export class DashboardModule {}
