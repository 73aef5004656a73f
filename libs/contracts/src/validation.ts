import { Matches } from 'class-validator';

/** A CNY amount as a decimal string with at most two decimals, never negative. */
export const MONEY_PATTERN = /^(0|[1-9]\d{0,15})(\.\d{1,2})?$/;
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
export const REGION_PATTERN = /^\d{6}$/;
export const USCC_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

export const IsMoneyString = (): PropertyDecorator =>
  Matches(MONEY_PATTERN, { message: '$property must be a decimal string with at most two decimals, e.g. "1250000.00"' });
export const IsBusinessDate = (): PropertyDecorator =>
  Matches(DATE_PATTERN, { message: '$property must be a YYYY-MM-DD date' });
export const IsRegionCode = (): PropertyDecorator =>
  Matches(REGION_PATTERN, { message: '$property must be a 6-digit region code' });
