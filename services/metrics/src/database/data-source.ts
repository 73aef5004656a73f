import type { DataSource } from 'typeorm';
import { serviceDataSource } from '@ipfin/http';
import { Init1763780400000 } from './migrations/1763780400000-Init';
import { Aggregates1764000000000 } from './migrations/1764000000000-Aggregates';
import { FinancingRollUps1796000000000 } from './migrations/1796000000000-FinancingRollUps';
import { CounterRollUps1796000100000 } from './migrations/1796000100000-CounterRollUps';
import { FactShards1796000200000 } from './migrations/1796000200000-FactShards';
import { SmeShards1796000300000 } from './migrations/1796000300000-SmeShards';
import { BorrowersBankIndex1796000400000 } from './migrations/1796000400000-BorrowersBankIndex';
import { SmeCountsHot1796000500000 } from './migrations/1796000500000-SmeCountsHot';
import { RollUpsBankRegionIndex1796000600000 } from './migrations/1796000600000-RollUpsBankRegionIndex';
import { CoverageByFund1796000700000 } from './migrations/1796000700000-CoverageByFund';
import { AgencyPatentBorrowers1796000800000 } from './migrations/1796000800000-AgencyPatentBorrowers';
import { DefaultedLoans1796000900000 } from './migrations/1796000900000-DefaultedLoans';
import { ClaimApprovals1797000000000 } from './migrations/1797000000000-ClaimApprovals';
import { OpenLicenceMoves1797000100000 } from './migrations/1797000100000-OpenLicenceMoves';
import { YearlySums1797000200000 } from './migrations/1797000200000-YearlySums';
import { YearlySumsTrigger1797000300000 } from './migrations/1797000300000-YearlySumsTrigger';
import { SmeGaps1797000400000 } from './migrations/1797000400000-SmeGaps';
import { SmeFirstMonths1797000500000 } from './migrations/1797000500000-SmeFirstMonths';

export const MIGRATIONS = [Init1763780400000, Aggregates1764000000000, FinancingRollUps1796000000000, CounterRollUps1796000100000, FactShards1796000200000, SmeShards1796000300000, BorrowersBankIndex1796000400000, SmeCountsHot1796000500000, RollUpsBankRegionIndex1796000600000,
  CoverageByFund1796000700000, AgencyPatentBorrowers1796000800000, DefaultedLoans1796000900000, ClaimApprovals1797000000000,
  OpenLicenceMoves1797000100000, YearlySums1797000200000, YearlySumsTrigger1797000300000, SmeGaps1797000400000, SmeFirstMonths1797000500000];

/** The metrics schema's data source; `tools/migrate.ts` runs its migrations, the service never does. */
export function createDataSource(opts: { url: string; schema: string }): DataSource {
  return serviceDataSource('metrics', MIGRATIONS, opts);
}
