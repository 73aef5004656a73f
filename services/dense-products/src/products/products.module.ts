import { Module } from '@nestjs/common';
import { OwnershipModule } from '../ownership/ownership.module';
import { RewardLedger } from '../rewards/reward-ledger';
import { RewardRepository } from '../rewards/reward.repository';
import { ProductQueries } from './product-queries.service';
import { ProductRepository } from './product.repository';
import { ProductsController } from './products.controller';
import { ProductsService } from './products.service';

@Module({
  imports: [OwnershipModule],
  controllers: [ProductsController],
  providers: [ProductRepository, RewardRepository, RewardLedger, ProductsService, ProductQueries],
})
export class ProductsModule {}
