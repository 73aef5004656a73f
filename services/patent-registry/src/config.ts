import { BaseServiceEnv, loadConfig } from '@ipfin/http';

/**
 * The registry's configuration: the platform's (`BaseServiceEnv`), including the operator-kept
 * `USCC_ALLOW_LIST` of early USCCs whose check character fails (domain.md), read with
 * `usccAllowList()` and installed at boot with `configureUsccAllowList` from `@ipfin/http`.
 */
export class PatentRegistryEnv extends BaseServiceEnv {}

export const loadPatentRegistryEnv = (): PatentRegistryEnv => loadConfig(PatentRegistryEnv);
