import { DynamicModule, Module } from '@nestjs/common';
import { ServicePlatformModule } from '@ipfin/http';
import { MessagingModule } from '@ipfin/messaging';
import { LoanEventsConsumer } from './claims/loan-events.consumer';
import type { RiskCompensationEnv } from './config';
import { MIGRATIONS } from './database/data-source';
import { RiskCompensationModule } from './risk-compensation.module';

@Module({})
export class AppModule {
  static forRoot(env: RiskCompensationEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServicePlatformModule.forRoot({ name: 'risk-compensation', env, migrations: MIGRATIONS }),
        RiskCompensationModule,
        MessagingModule.forConsumers([LoanEventsConsumer]),
      ],
    };
  }
}
