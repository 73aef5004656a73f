import { Module } from '@nestjs/common';
import { LagService } from '../lag/lag.service';
import { FinancingController } from './financing.controller';
import { FinancingRepository } from './financing.repository';
import { FinancingService } from './financing.service';
import { LoanEventsConsumer } from './loan-events.consumer';

@Module({
  controllers: [FinancingController],
  providers: [FinancingRepository, FinancingService, LoanEventsConsumer, LagService],
  exports: [LoanEventsConsumer],
})
export class FinancingModule {}
