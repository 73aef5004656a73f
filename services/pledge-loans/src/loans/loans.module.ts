import { Module } from '@nestjs/common';
import { LoanEventsService } from './loan-events.service';
import { LoanRepository } from './loan.repository';
import { LoansController } from './loans.controller';
import { LoansService } from './loans.service';

@Module({
  controllers: [LoansController],
  providers: [LoanRepository, LoanEventsService, LoansService],
})
export class LoansModule {}
