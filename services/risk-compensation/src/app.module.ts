import { DynamicModule, Module } from '@nestjs/common';
import { ServicePlatformModule } from '@ipfin/http';
import type { RiskCompensationEnv } from './config';
import { MIGRATIONS } from './database/data-source';

@Module({})
export class AppModule {
  static forRoot(env: RiskCompensationEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [ServicePlatformModule.forRoot({ name: 'risk-compensation', env, migrations: MIGRATIONS })],
    };
  }
}
