import { BusinessDate, parsePatentNumber } from '@ipfin/kernel';
import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';

/*
 * Field validators for the product DTOs: identifiers are checked with their check characters
 * (api.md "Identifiers") and normalised, so the domain only ever sees `YYYYTNNNNNNN.C` patent
 * numbers. Normalising transforms run before validation and leave invalid input untouched, so the
 * validator reports it as the caller sent it. USCCs and region codes use `IsUsccField` (which
 * honours the operator's allow-list set by `configureUsccAllowList`) and `IsRegionCodeField`
 * from `@ipfin/http`.
 */

/** Trims a string; anything else passes through. */
export const Trim = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

function firstInvalidPatent(value: unknown): string | null {
  if (!Array.isArray(value)) return 'must be an array of patent numbers';
  for (const [i, item] of (value as unknown[]).entries()) {
    if (typeof item !== 'string') return `[${i}] must be a string such as "202310123456.6"`;
    const parsed = parsePatentNumber(item);
    if (!parsed.ok) return `[${i}] ${parsed.message}`;
  }
  return null;
}

/**
 * An array of Chinese patent application numbers, each with a valid check character (`ZL`/`CN`
 * prefixes and spaces allowed; see `NormalisePatentNumbers`). Kinds are judged later: a utility
 * model is a well-formed number here and `not-invention` in the business check (422).
 */
export const ArePatentNumbers = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'arePatentNumbers',
      validator: {
        validate: (value: unknown): boolean => firstInvalidPatent(value) === null,
        defaultMessage: (args?: ValidationArguments): string =>
          `${args?.property ?? 'patents'}${firstInvalidPatent(args?.value) ?? ' is invalid'}`,
      },
    },
    options,
  );

/** Normalises each valid patent number to `YYYYTNNNNNNN.C`; leaves invalid items as sent. */
export const NormalisePatentNumbers = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    Array.isArray(value)
      ? (value as unknown[]).map((item) => {
          if (typeof item !== 'string') return item;
          const parsed = parsePatentNumber(item);
          return parsed.ok ? parsed.value.normalized : item;
        })
      : value,
  );

/** A real calendar date `YYYY-MM-DD` (refuses `2023-02-29`). */
export const IsCalendarDate = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown): boolean => typeof value === 'string' && BusinessDate.isValid(value),
        defaultMessage: (args?: ValidationArguments): string =>
          `${args?.property ?? 'date'} must be a calendar date YYYY-MM-DD`,
      },
    },
    options,
  );
