import type { EventBatchHandler } from '@ipfin/messaging';
import type { DataSource } from 'typeorm';
import { ProjectionStateRepository } from '../common/projection-state.repository';
import { CountersRepository } from '../counters/counters.repository';
import { FinancingRepository } from '../financing/financing.repository';
import { LoanEventsConsumer } from '../financing/loan-events.consumer';
import { ProductEventsConsumer } from '../products/product-events.consumer';
import type { ProjectionName } from '../projections';
import { ClaimsRepository } from '../risk-fund/claims.repository';
import { CoverageRepository } from '../risk-fund/coverage.repository';
import { RiskEventsConsumer } from '../risk-fund/risk-events.consumer';
import { DeclarationsRepository } from '../transfers/declarations.repository';
import { PatentEventsConsumer } from '../transfers/patent-events.consumer';

/** The service's own projection handlers, wired by hand (no Nest): for the rebuild CLI and tests. */
export function projectionHandlers(dataSource: DataSource): Record<ProjectionName, EventBatchHandler> {
  const counters = new CountersRepository(dataSource);
  const coverage = new CoverageRepository();
  const state = new ProjectionStateRepository();
  return {
    loans: new LoanEventsConsumer(new FinancingRepository(dataSource), counters, coverage, state),
    risk: new RiskEventsConsumer(coverage, new ClaimsRepository(), counters, state),
    patents: new PatentEventsConsumer(new DeclarationsRepository(), counters, state),
    products: new ProductEventsConsumer(counters, state),
  };
}
