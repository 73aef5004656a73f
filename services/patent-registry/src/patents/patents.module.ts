import { Module } from '@nestjs/common';
import { ListingsService } from './listings.service';
import { LoanPledgesConsumer } from './loan-pledges.consumer';
import { PatentCommandsService } from './patent-commands.service';
import { PatentQueriesService } from './patent-queries.service';
import { PatentRepository } from './patent.repository';
import { PatentsController } from './patents.controller';
import { PledgeRepository } from './pledge.repository';

@Module({
  controllers: [PatentsController],
  providers: [PatentRepository, PledgeRepository, ListingsService, PatentCommandsService, PatentQueriesService, LoanPledgesConsumer],
  exports: [LoanPledgesConsumer],
})
export class PatentsModule {}
