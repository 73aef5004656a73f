import { MONEY_PATTERN } from '@ipfin/contracts';
import { configuredUsccAllowList } from '@ipfin/http';
import { BusinessDate, RegionCode, parsePatentNumber, validateUscc, type FieldError } from '@ipfin/kernel';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsString,
  Matches,
  ValidateBy,
  type ValidationArguments,
  type ValidationError,
  type ValidationOptions,
} from 'class-validator';

/*
 * Field decorators of the registry's request bodies. Each one keeps the raw JSON value (so a
 * validation pipe with implicit conversion cannot turn `5000` into `"5000"` or `"false"` into
 * `true`), checks it, and where a canonical form exists normalises it in place once valid.
 */

function compose(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => {
    for (const decorate of decorators) decorate(target, key);
  };
}

/** The value as it came in the JSON, before any conversion; `normalize` applied when given and valid. */
function rawValue(normalize?: (value: unknown) => unknown): PropertyDecorator {
  return Transform(({ obj, key }) => {
    const raw: unknown = (obj as Record<string, unknown>)[key];
    return normalize === undefined ? raw : normalize(raw);
  });
}

/** A decimal string in CNY with at most two decimals (`"1250000.00"`, `"0"`); a JSON number fails. */
export const IsMoneyAmount = (options?: ValidationOptions): PropertyDecorator =>
  compose(
    rawValue(),
    IsString({ ...options, message: '$property must be a decimal string such as "1250000.00", not a number' }),
    Matches(MONEY_PATTERN, {
      ...options,
      message: '$property must be a non-negative decimal string with at most two decimals, e.g. "1250000.00"',
    }),
  );

/** A `YYYY-MM-DD` calendar date (`2023-02-29` fails). */
export const IsCalendarDate = (options?: ValidationOptions): PropertyDecorator =>
  compose(
    rawValue(),
    ValidateBy(
      {
        name: 'isCalendarDate',
        validator: {
          validate: (value: unknown) => typeof value === 'string' && BusinessDate.isValid(value),
          defaultMessage: (args?: ValidationArguments) =>
            `${args?.property ?? 'value'} must be a calendar date in the form YYYY-MM-DD`,
        },
      },
      options,
    ),
  );

/** A JSON boolean; the strings `"true"`/`"false"` fail. */
export const IsStrictBoolean = (options?: ValidationOptions): PropertyDecorator =>
  compose(rawValue(), IsBoolean({ ...options, message: '$property must be true or false' }));

/** A JSON integer; a numeric string fails. */
export const IsStrictInt = (options?: ValidationOptions): PropertyDecorator =>
  compose(rawValue(), IsInt({ ...options, message: '$property must be a whole number' }));

/** A 6-digit GB/T 2260 region code with a real province prefix. */
export const IsRegionCodeText = (options?: ValidationOptions): PropertyDecorator =>
  compose(
    rawValue(),
    ValidateBy(
      {
        name: 'isRegionCode',
        validator: {
          validate: (value: unknown) => typeof value === 'string' && RegionCode.isValid(value),
          defaultMessage: (args?: ValidationArguments) => {
            const result = typeof args?.value === 'string' ? RegionCode.validate(args.value) : undefined;
            return result !== undefined && !result.ok
              ? result.message
              : `${args?.property ?? 'value'} must be a 6-digit region code`;
          },
        },
      },
      options,
    ),
  );

/**
 * A USCC with a correct check character, or on the operator's allow-list of early codes
 * (domain.md): the process-wide list of `@ipfin/http` (`configureUsccAllowList`, set at boot from
 * `USCC_ALLOW_LIST`), read at each validation. Normalised to upper case.
 */
export const IsUsccCode = (options?: ValidationOptions): PropertyDecorator =>
  compose(
    rawValue((raw) => {
      if (typeof raw !== 'string') return raw;
      const result = validateUscc(raw, configuredUsccAllowList());
      return result.ok ? result.value : raw;
    }),
    ValidateBy(
      {
        name: 'isUscc',
        validator: {
          validate: (value: unknown) => typeof value === 'string' && validateUscc(value, configuredUsccAllowList()).ok,
          defaultMessage: (args?: ValidationArguments) => {
            const result = typeof args?.value === 'string' ? validateUscc(args.value, configuredUsccAllowList()) : undefined;
            return result !== undefined && !result.ok
              ? result.message
              : `${args?.property ?? 'value'} must be an 18-character unified social credit code`;
          },
        },
      },
      options,
    ),
  );

/**
 * A Chinese patent application number with a correct check character, normalised to
 * `YYYYTNNNNNNN.C` (`ZL202310123456.6` → `202310123456.6`). The year must not be after next year
 * (judged by the system clock: request validation, not domain logic).
 */
export const IsPatentNumberText = (options?: ValidationOptions): PropertyDecorator =>
  compose(
    rawValue((raw) => {
      if (typeof raw !== 'string') return raw;
      const result = parsePatentNumber(raw);
      return result.ok ? result.value.normalized : raw;
    }),
    ValidateBy(
      {
        name: 'isPatentNumber',
        validator: {
          validate: (value: unknown) => typeof value === 'string' && parsePatentNumber(value).ok,
          defaultMessage: (args?: ValidationArguments) => {
            const result = typeof args?.value === 'string' ? parsePatentNumber(args.value) : undefined;
            return result !== undefined && !result.ok
              ? result.message
              : `${args?.property ?? 'value'} must be a patent application number such as "202310123456.6"`;
          },
        },
      },
      options,
    ),
  );

/**
 * On `kind`: must agree with the type digit of the sibling `number` (1/8 invention, 2/9 utility
 * model, 3 design). Silent when `number` is itself invalid: that field reports its own error.
 */
export const KindMatchesNumber = (numberProperty = 'number', options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'kindMatchesNumber',
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => {
          const number = (args?.object as Record<string, unknown> | undefined)?.[numberProperty];
          if (typeof number !== 'string') return true;
          const parsed = parsePatentNumber(number);
          return !parsed.ok || parsed.value.type === value;
        },
        defaultMessage: (args?: ValidationArguments) => {
          const number = (args?.object as Record<string, unknown> | undefined)?.[numberProperty];
          const parsed = typeof number === 'string' ? parsePatentNumber(number) : undefined;
          const expected = parsed?.ok === true ? parsed.value.type : 'the kind of its type digit';
          return `${args?.property ?? 'kind'} ${String(args?.value)} does not match patent number ${String(number)}: its type digit means ${expected}`;
        },
      },
    },
    options,
  );

/**
 * On an optional field of a discriminated object: present only when `discriminator` has `expected`
 * (`royalty.amount` only for `kind: lump_sum`).
 */
export const OnlyWhen = (discriminator: string, expected: string, options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'onlyWhen',
      validator: {
        validate: (value: unknown, args?: ValidationArguments) =>
          value === undefined || (args?.object as Record<string, unknown> | undefined)?.[discriminator] === expected,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'} is only allowed when ${discriminator} is ${expected}`,
      },
    },
    options,
  );

/**
 * class-validator errors as the API's field errors: dotted paths (`assignee.uscc`,
 * `keywords.2`), one entry per failed constraint. `prefix` roots the paths (e.g. `[3]` for a batch item).
 */
export function fieldErrors(errors: readonly ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix === '' ? error.property : `${prefix}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...fieldErrors(error.children ?? [], field)];
  });
}
