import { DynamicModule, Module } from '@nestjs/common';
import { ServicePlatformModule } from '@ipfin/http';
import type { DenseProductsEnv } from './config';
import { MIGRATIONS } from './database/data-source';

@Module({})
export class AppModule {
  static forRoot(env: DenseProductsEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [ServicePlatformModule.forRoot({ name: 'dense-products', env, migrations: MIGRATIONS })],
    };
  }
}
