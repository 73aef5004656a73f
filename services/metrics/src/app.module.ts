import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ServicePlatformModule } from '@ipfin/http';
import { MessagingModule } from '@ipfin/messaging';
import { AggregatesModule } from './aggregates.module';
import { serverTiming } from './common/server-timing';
import type { MetricsEnv } from './config';
import { DashboardModule } from './dashboard/dashboard.module';
import { MIGRATIONS } from './database/data-source';
import { FinancingModule } from './financing/financing.module';
import { LoanEventsConsumer } from './financing/loan-events.consumer';
import { ProductEventsConsumer } from './products/product-events.consumer';
import { RiskEventsConsumer } from './risk-fund/risk-events.consumer';
import { PatentEventsConsumer } from './transfers/patent-events.consumer';

/** The handlers of the projections in `projections.ts`, one consumer group each. */
export const PROJECTION_HANDLERS = [LoanEventsConsumer, RiskEventsConsumer, PatentEventsConsumer, ProductEventsConsumer];

@Module({})
export class AppModule implements NestModule {
  static forRoot(env: MetricsEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServicePlatformModule.forRoot({
          name: 'metrics',
          env,
          migrations: MIGRATIONS,
          // Each projection runs a group member per partition (`consumerTuning`); a member that
          // holds several (after another replica left) folds them in parallel, one transaction
          // each. Per-key order holds (a partition is one worker's at a time) and the folds write
          // rows in key order, so concurrent batches lock alike; the rebuild runs this way too.
          consumer: { partitionsConsumedConcurrently: 6 },
        }),
        FinancingModule,
        AggregatesModule,
        DashboardModule,
        ...(env.METRICS_FOLD === false ? [] : [MessagingModule.forConsumers(PROJECTION_HANDLERS)]),
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(serverTiming).forRoutes('{*splat}');
  }
}
