import { BaseServiceEnv, loadConfig } from '@ipfin/http';

export class MetricsEnv extends BaseServiceEnv {}

export const loadMetricsEnv = (): MetricsEnv => loadConfig(MetricsEnv);
