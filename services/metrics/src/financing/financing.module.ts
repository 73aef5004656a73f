import { Module } from '@nestjs/common';
import { CoreModule } from '../common/core.module';
import { FinancingController } from './financing.controller';
import { FinancingService } from './financing.service';
import { LoanEventsConsumer } from './loan-events.consumer';

@Module({
  imports: [CoreModule],
  controllers: [FinancingController],
  providers: [FinancingService, LoanEventsConsumer],
})
export class FinancingModule {}
