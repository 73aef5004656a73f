import { Module } from '@nestjs/common';
import { OwnershipRepository } from './ownership.repository';
import { PatentEventsConsumer } from './patent-events.consumer';

/** The ownership view: the consumer of `ipfin.patents.v1` and the lookups filings use. */
@Module({
  providers: [OwnershipRepository, PatentEventsConsumer],
  exports: [OwnershipRepository, PatentEventsConsumer],
})
export class OwnershipModule {}
