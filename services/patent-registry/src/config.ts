import { BaseServiceEnv, loadConfig } from '@ipfin/http';

export class PatentRegistryEnv extends BaseServiceEnv {}

export const loadPatentRegistryEnv = (): PatentRegistryEnv => loadConfig(PatentRegistryEnv);
