import { DynamicModule, Module } from '@nestjs/common';
import { ServicePlatformModule } from '@ipfin/http';
import { MessagingModule } from '@ipfin/messaging';
import type { DenseProductsEnv } from './config';
import { MIGRATIONS } from './database/data-source';
import { OwnershipModule } from './ownership/ownership.module';
import { PatentEventsConsumer } from './ownership/patent-events.consumer';
import { ProductsModule } from './products/products.module';

@Module({})
export class AppModule {
  static forRoot(env: DenseProductsEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServicePlatformModule.forRoot({ name: 'dense-products', env, migrations: MIGRATIONS }),
        OwnershipModule,
        ProductsModule,
        MessagingModule.forConsumers([PatentEventsConsumer]),
      ],
    };
  }
}
