import type { DataSource } from 'typeorm';
import { serviceDataSource } from '@ipfin/http';
import { Init1763780200000 } from './migrations/1763780200000-Init';
import { PatentsAndPledges1795319100000 } from './migrations/1795319100000-PatentsAndPledges';
import { RankOrder1795322600000 } from './migrations/1795322600000-RankOrder';
import { PledgeViewState1796001000000 } from './migrations/1796001000000-PledgeViewState';
import { AvailableExclusiveOnly1797000500000 } from './migrations/1797000500000-AvailableExclusiveOnly';

export const MIGRATIONS = [Init1763780200000, PatentsAndPledges1795319100000, RankOrder1795322600000, PledgeViewState1796001000000, AvailableExclusiveOnly1797000500000];

/** The patent_registry schema's data source; `tools/migrate.ts` runs its migrations, the service never does. */
export function createDataSource(opts: { url: string; schema: string }): DataSource {
  return serviceDataSource('patent-registry', MIGRATIONS, opts);
}
