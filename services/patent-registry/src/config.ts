import { BaseServiceEnv, loadConfig } from '@ipfin/http';
import { IsOptional, Matches } from 'class-validator';

export class PatentRegistryEnv extends BaseServiceEnv {
  /**
   * Comma-separated early USCCs that are legal although their check character fails (domain.md):
   * the operator-kept allow-list for assignees and licensees.
   */
  @IsOptional()
  @Matches(/^\s*[0-9A-Z]{18}\s*(,\s*[0-9A-Z]{18}\s*)*$/i, { message: 'USCC_ALLOW_LIST must be a comma-separated list of 18-character codes' })
  USCC_ALLOW_LIST?: string;

  usccAllowList(): string[] {
    return (this.USCC_ALLOW_LIST ?? '').split(',').map((c) => c.trim().toUpperCase()).filter((c) => c !== '');
  }
}

export const loadPatentRegistryEnv = (): PatentRegistryEnv => loadConfig(PatentRegistryEnv);
