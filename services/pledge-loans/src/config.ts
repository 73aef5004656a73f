import { BaseServiceEnv, loadConfig } from '@ipfin/http';

export class PledgeLoansEnv extends BaseServiceEnv {}

export const loadPledgeLoansEnv = (): PledgeLoansEnv => loadConfig(PledgeLoansEnv);
