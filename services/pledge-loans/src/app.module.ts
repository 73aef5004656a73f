import { DynamicModule, Module } from '@nestjs/common';
import { ServicePlatformModule } from '@ipfin/http';
import type { PledgeLoansEnv } from './config';
import { MIGRATIONS } from './database/data-source';
import { LoansModule } from './loans/loans.module';

@Module({})
export class AppModule {
  static forRoot(env: PledgeLoansEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [ServicePlatformModule.forRoot({ name: 'pledge-loans', env, migrations: MIGRATIONS }), LoansModule],
    };
  }
}
