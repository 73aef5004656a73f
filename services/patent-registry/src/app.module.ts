import { DynamicModule, Module } from '@nestjs/common';
import { ServicePlatformModule } from '@ipfin/http';
import { MessagingModule } from '@ipfin/messaging';
import type { PatentRegistryEnv } from './config';
import { MIGRATIONS } from './database/data-source';
import { LoanPledgesConsumer } from './patents/loan-pledges.consumer';
import { PatentsModule } from './patents/patents.module';

@Module({})
export class AppModule {
  static forRoot(env: PatentRegistryEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServicePlatformModule.forRoot({ name: 'patent-registry', env, migrations: MIGRATIONS }),
        PatentsModule,
        MessagingModule.forConsumers([LoanPledgesConsumer]),
      ],
    };
  }
}
