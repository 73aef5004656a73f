import { Module } from '@nestjs/common';
import { CountersRepository } from '../counters/counters.repository';
import { FinancingRepository } from '../financing/financing.repository';
import { LagService } from '../lag/lag.service';
import { PoliciesRepository } from '../policies/policies.repository';
import { ClaimsRepository } from '../risk-fund/claims.repository';
import { CoverageRepository } from '../risk-fund/coverage.repository';
import { DeclarationsRepository } from '../transfers/declarations.repository';
import { ProjectionStateRepository } from './projection-state.repository';

const shared = [
  FinancingRepository, CountersRepository, CoverageRepository, ClaimsRepository, DeclarationsRepository, PoliciesRepository,
  ProjectionStateRepository, LagService,
];

/** The fact tables, per-object states, lag and asOf that several features read or write. */
@Module({ providers: shared, exports: shared })
export class CoreModule {}
