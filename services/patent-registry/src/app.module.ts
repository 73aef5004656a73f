import { DynamicModule, Module } from '@nestjs/common';
import { ServicePlatformModule } from '@ipfin/http';
import type { PatentRegistryEnv } from './config';
import { MIGRATIONS } from './database/data-source';

@Module({})
export class AppModule {
  static forRoot(env: PatentRegistryEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [ServicePlatformModule.forRoot({ name: 'patent-registry', env, migrations: MIGRATIONS })],
    };
  }
}
