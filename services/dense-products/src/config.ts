import { BaseServiceEnv, loadConfig } from '@ipfin/http';

export class DenseProductsEnv extends BaseServiceEnv {}

export const loadDenseProductsEnv = (): DenseProductsEnv => loadConfig(DenseProductsEnv);
