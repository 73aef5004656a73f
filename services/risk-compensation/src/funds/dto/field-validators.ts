import { BusinessDate, parsePercent } from '@ipfin/kernel';
import { ValidateBy, type ValidationOptions } from 'class-validator';

/*
 * Field checks shared by the risk-compensation request DTOs. Money goes through `IsMoneyString`
 * from @ipfin/contracts (the wire pattern); whether an amount must be positive is a business rule
 * the domain reports (422), not a malformed field (400).
 */

/** A real calendar date `YYYY-MM-DD` (`2025-02-29` is refused). */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && BusinessDate.isValid(value),
        defaultMessage: (args) => `${args?.property ?? 'date'} must be a calendar date YYYY-MM-DD`,
      },
    },
    options,
  );
}

function isPercent(value: unknown): boolean {
  if (typeof value !== 'string' && typeof value !== 'number') return false;
  try {
    parsePercent(value, 100);
    return true;
  } catch {
    return false;
  }
}

/** A percentage 0–100: an integer (`80`) or a decimal string (`"80"`, `"62.5"`); never a fractional JSON number. */
export function IsSharePercent(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSharePercent',
      validator: {
        validate: isPercent,
        defaultMessage: (args) =>
          `${args?.property ?? 'percent'} must be a percentage from 0 to 100: an integer such as 80, or a decimal string such as "62.5"`,
      },
    },
    options,
  );
}
