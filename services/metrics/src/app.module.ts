import { DynamicModule, Module } from '@nestjs/common';
import { ServicePlatformModule } from '@ipfin/http';
import { MessagingModule } from '@ipfin/messaging';
import type { MetricsEnv } from './config';
import { MIGRATIONS } from './database/data-source';
import { FinancingModule } from './financing/financing.module';
import { LoanEventsConsumer } from './financing/loan-events.consumer';

@Module({})
export class AppModule {
  static forRoot(env: MetricsEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServicePlatformModule.forRoot({ name: 'metrics', env, migrations: MIGRATIONS }),
        FinancingModule,
        MessagingModule.forConsumers([LoanEventsConsumer]),
      ],
    };
  }
}
