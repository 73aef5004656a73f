import { BaseServiceEnv, EnvBoolean, loadConfig } from '@ipfin/http';
import { IsOptional, Matches } from 'class-validator';

export class MetricsEnv extends BaseServiceEnv {
  /**
   * Whether this process folds the topics into the projections (the default) or only answers
   * queries over them (`false`: a read replica beside a projector process; see the README).
   */
  @IsOptional()
  @EnvBoolean()
  METRICS_FOLD?: boolean;

  /**
   * The name this process logs under and labels its Prometheus metrics with (`service`), default
   * `metrics`: the stack and the manifests name the folding process `metrics-projector`.
   */
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{0,62}$/, { message: 'SERVICE_NAME must be lower-case letters, digits and hyphens, starting with a letter' })
  SERVICE_NAME?: string;
}

export const loadMetricsEnv = (): MetricsEnv => loadConfig(MetricsEnv);
