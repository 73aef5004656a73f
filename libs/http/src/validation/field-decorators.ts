import { BusinessDate, Money, RegionCode, parsePatentNumber, validateUscc } from '@ipfin/kernel';
import { Transform } from 'class-transformer';
import { ValidateBy, ValidationArguments, ValidationOptions } from 'class-validator';

type Check = { ok: true; value: string } | { ok: false; message: string };

/**
 * With `{ each: true }` class-validator hands the whole array to `defaultMessage`: name the first
 * offending element instead, as `patents[2]: …`.
 */
function messageFor(property: string, value: unknown, isValid: (v: unknown) => boolean, describe: (property: string, value: unknown) => string): string {
  if (Array.isArray(value)) {
    const index = value.findIndex((item) => !isValid(item));
    if (index >= 0) return describe(`${property}[${index}]`, value[index]);
  }
  return describe(property, value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/**
 * A property decorator that validates with `check` and, when `normalize` is set, replaces a
 * valid input by its normal form during transformation (e.g. `ZL202310123456.6` → `202310123456.6`).
 */
function identifierField(name: string, check: (value: string) => Check, normalize: boolean, options?: ValidationOptions): PropertyDecorator {
  const run = (value: unknown): Check => (typeof value === 'string' ? check(value) : { ok: false, message: '' });
  const validate = ValidateBy(
    {
      name,
      validator: {
        validate: (value: unknown) => run(value).ok,
        defaultMessage: (args?: ValidationArguments) =>
          messageFor(args?.property ?? name, args?.value, (v) => run(v).ok, (property, value) => {
            if (typeof value !== 'string') return `${property} must be a string, got ${typeName(value)}`;
            const result = run(value);
            return result.ok ? `${property} is invalid` : `${property}: ${result.message}`;
          }),
      },
    },
    options,
  );
  if (!normalize) return validate;
  const normalizeOne = (value: unknown): unknown => {
    const result = run(value);
    return result.ok ? result.value : value;
  };
  const transform = Transform(({ value }: { value: unknown }) => (Array.isArray(value) && options?.each === true ? value.map(normalizeOne) : normalizeOne(value)));
  return (target: object, propertyKey: string | symbol) => {
    transform(target, propertyKey);
    validate(target, propertyKey);
  };
}

function isMoneyString(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    Money.parse(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * A CNY amount on the wire: a decimal string with at most two decimals, not negative
 * (`"1250000.00"`). JSON numbers are refused with their own message: a float cannot carry money.
 */
export function IsMoney(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isMoney',
      validator: {
        validate: isMoneyString,
        defaultMessage: (args?: ValidationArguments) =>
          messageFor(args?.property ?? 'amount', args?.value, isMoneyString, (property, value) =>
            typeof value === 'number'
              ? `${property} must be a decimal string such as "1250000.00", not a JSON number: amounts are exact to the fen and floats cannot carry them`
              : `${property} must be a non-negative decimal string with at most two decimals, e.g. "1250000.00"`,
          ),
      },
    },
    options,
  );
}

const NOT_BLANK = /\S/;

/**
 * Free text that must say something: a string with at least one non-space character. `"   "`
 * passes `IsNotEmpty` but is nothing once trimmed, so names and titles use this instead.
 */
export function IsNotBlank(options?: ValidationOptions): PropertyDecorator {
  const isText = (value: unknown): boolean => typeof value === 'string' && NOT_BLANK.test(value);
  return ValidateBy(
    {
      name: 'isNotBlank',
      validator: {
        validate: isText,
        defaultMessage: (args?: ValidationArguments) =>
          messageFor(args?.property ?? 'text', args?.value, isText, (property, value) =>
            typeof value === 'string' ? `${property} must not be blank` : `${property} must be a string, got ${typeName(value)}`,
          ),
      },
    },
    options,
  );
}

/** A real calendar date `YYYY-MM-DD` (`2023-02-29` is refused). */
export function IsBusinessDate(options?: ValidationOptions): PropertyDecorator {
  return identifierField(
    'isBusinessDate',
    (value) => {
      const result = BusinessDate.validate(value);
      return result.ok ? { ok: true, value } : { ok: false, message: `must be a calendar date YYYY-MM-DD; ${result.message}` };
    },
    false,
    options,
  );
}

/** A 6-digit GB/T 2260 administrative division code with a real province prefix. */
export function IsRegionCodeField(options?: ValidationOptions): PropertyDecorator {
  return identifierField(
    'isRegionCode',
    (value) => {
      const result = RegionCode.validate(value);
      return result.ok ? { ok: true, value: result.value.code } : { ok: false, message: result.message };
    },
    true,
    options,
  );
}

let usccAllowList: ReadonlySet<string> = new Set();

/**
 * The operator-kept list of early USCCs that are legal although they fail the check character
 * (domain.md); set once at boot from configuration. Everything else failing the check is refused.
 */
export function configureUsccAllowList(codes: Iterable<string>): void {
  usccAllowList = new Set([...codes].map((code) => code.trim().toUpperCase()));
}

/** The allow-list set by `configureUsccAllowList`, for checks outside a DTO (batch items, tokens). */
export function configuredUsccAllowList(): ReadonlySet<string> {
  return usccAllowList;
}

/** A unified social credit code with a correct check character (or on the allow-list); normalised to upper case. */
export function IsUsccField(options?: ValidationOptions): PropertyDecorator {
  return identifierField(
    'isUscc',
    (value) => {
      const result = validateUscc(value, usccAllowList);
      return result.ok ? { ok: true, value: result.value } : { ok: false, message: result.message };
    },
    true,
    options,
  );
}

/** A Chinese patent application number with a correct check character; normalised to `YYYYTNNNNNNN.C`. */
export function IsPatentNumberField(options?: ValidationOptions): PropertyDecorator {
  return identifierField(
    'isPatentNumber',
    (value) => {
      const result = parsePatentNumber(value);
      return result.ok ? { ok: true, value: result.value.normalized } : { ok: false, message: result.message };
    },
    true,
    options,
  );
}
