import { BaseServiceEnv, loadConfig } from '@ipfin/http';

export class RiskCompensationEnv extends BaseServiceEnv {}

export const loadRiskCompensationEnv = (): RiskCompensationEnv => loadConfig(RiskCompensationEnv);
