import { ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { BusinessDate, Money, RegionCode } from '@ipfin/kernel';

/*
 * class-validator decorators for the loan-event body, backed by the kernel's parsers so that the
 * DTO and the domain agree on what a valid amount, date or region is. Messages start with
 * `$property`, like class-validator's own.
 */

const MONEY_EXAMPLE = 'a decimal string with at most two decimals, e.g. "1250000.00"';

/** Why `value` is not an acceptable amount, or null. */
export function moneyFault(value: unknown, positive: boolean): string | null {
  if (typeof value === 'number') return `must be ${MONEY_EXAMPLE}, not a JSON number`;
  if (typeof value !== 'string') return `must be ${MONEY_EXAMPLE}`;
  let amount: Money;
  try {
    amount = Money.parse(value);
  } catch {
    return value.trim().startsWith('-') ? 'may not be negative' : `must be ${MONEY_EXAMPLE}`;
  }
  if (positive && amount.isZero()) return 'must be greater than 0';
  return null;
}

/** A CNY amount as a decimal string (≤ 2 decimals, not negative; `positive`: above zero too). */
export function IsMoneyAmount(
  options: { positive?: boolean } = {},
  validationOptions?: ValidationOptions,
): PropertyDecorator {
  const positive = options.positive ?? false;
  return ValidateBy(
    {
      name: 'isMoneyAmount',
      validator: {
        validate: (value: unknown): boolean => moneyFault(value, positive) === null,
        defaultMessage: (args?: ValidationArguments): string =>
          `$property ${moneyFault(args?.value, positive) ?? 'is invalid'}`,
      },
    },
    validationOptions,
  );
}

/** A real calendar date written `YYYY-MM-DD` (`2023-02-29` fails). */
export function IsCalendarDate(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown): boolean => typeof value === 'string' && BusinessDate.isValid(value),
        defaultMessage: (args?: ValidationArguments): string => {
          const value: unknown = args?.value;
          return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
            ? `$property ${value} is not a calendar date`
            : '$property must be a date written YYYY-MM-DD';
        },
      },
    },
    validationOptions,
  );
}

/** A 6-digit GB/T 2260 administrative division code, as the kernel checks it. */
export function IsRegionCodeValue(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isRegionCodeValue',
      validator: {
        validate: (value: unknown): boolean =>
          typeof value === 'string' && /^\d{6}$/.test(value) && RegionCode.isValid(value),
        defaultMessage: (args?: ValidationArguments): string => {
          const value: unknown = args?.value;
          if (typeof value !== 'string' || !/^\d{6}$/.test(value))
            return '$property must be a 6-digit region code (GB/T 2260), e.g. "350602"';
          const result = RegionCode.validate(value);
          return result.ok ? '$property is invalid' : `$property: ${result.message}`;
        },
      },
    },
    validationOptions,
  );
}
