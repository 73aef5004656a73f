import { BaseServiceEnv, EnvBoolean, loadConfig } from '@ipfin/http';
import { IsOptional } from 'class-validator';

export class MetricsEnv extends BaseServiceEnv {
  /**
   * Whether this process folds the topics into the projections (the default) or only answers
   * queries over them (`false`: a read replica beside a projector process; see the README).
   */
  @IsOptional()
  @EnvBoolean()
  METRICS_FOLD?: boolean;
}

export const loadMetricsEnv = (): MetricsEnv => loadConfig(MetricsEnv);
