import { Module } from '@nestjs/common';
import { AgenciesController } from './agencies/agencies.controller';
import { AgenciesService } from './agencies/agencies.service';
import { BanksController } from './banks/banks.controller';
import { BanksService } from './banks/banks.service';
import { CoreModule } from './common/core.module';
import { ProductEventsConsumer } from './products/product-events.consumer';
import { ProductsController } from './products/products.controller';
import { ProductsService } from './products/products.service';
import { RiskEventsConsumer } from './risk-fund/risk-events.consumer';
import { RiskFundController } from './risk-fund/risk-fund.controller';
import { RiskFundService } from './risk-fund/risk-fund.service';
import { TargetsController } from './targets/targets.controller';
import { TargetsRepository } from './targets/targets.repository';
import { TargetsService } from './targets/targets.service';
import { PatentEventsConsumer } from './transfers/patent-events.consumer';
import { TransfersController } from './transfers/transfers.controller';
import { TransfersService } from './transfers/transfers.service';

/** Banks, risk fund, transfers, products, agencies and targets, with the consumers of their topics. */
@Module({
  imports: [CoreModule],
  controllers: [BanksController, RiskFundController, TransfersController, ProductsController, AgenciesController, TargetsController],
  providers: [
    BanksService, RiskFundService, TransfersService, ProductsService, AgenciesService, TargetsService, TargetsRepository,
    RiskEventsConsumer, PatentEventsConsumer, ProductEventsConsumer,
  ],
})
export class AggregatesModule {}
