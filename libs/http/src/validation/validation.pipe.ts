import { ArgumentMetadata, Injectable, PipeTransform, Type, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import type { FieldError } from '@ipfin/kernel';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import { ValidationError, ValidatorOptions, validateSync } from 'class-validator';
import { ProblemException } from '../problem/problem.exception';
import { describeFieldErrors } from '../problem/problem';
import { BODY_FIELD, flattenValidationErrors } from './validation-errors';

/** The options of the global pipe, shared by `validateDto` so batch items are judged alike. */
export const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: true },
};

export function validationException(errors: readonly FieldError[]): ProblemException {
  return new ProblemException({ code: 'validation', status: 400, detail: describeFieldErrors(errors), errors });
}

function isClass(metatype: unknown): metatype is Type<unknown> {
  const builtins: unknown[] = [String, Boolean, Number, Array, Object, Buffer, Date];
  return typeof metatype === 'function' && !builtins.includes(metatype);
}

/** Nest's pipe, plus: a DTO body must be a JSON object (not an array, string or nothing). */
class ObjectBodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && isClass(metadata.metatype) && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw validationException([{ field: BODY_FIELD, message: 'the request body must be a JSON object' }]);
    }
    return super.transform(value, metadata);
  }
}

/** `whitelist`, `forbidNonWhitelisted`, `transform`; failures are `…/problems/validation` with dotted field paths. */
export function createValidationPipe(overrides: Partial<ValidationPipeOptions> = {}): ValidationPipe {
  return new ObjectBodyValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    exceptionFactory: (errors: ValidationError[]) => validationException(flattenValidationErrors(errors)),
    ...overrides,
  });
}

export type DtoResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: FieldError[] };

/**
 * Transforms and validates one plain value as the global pipe would, without throwing: for the
 * items of a batch, each judged on its own. `pathPrefix` (e.g. `[3]`) prefixes every field.
 */
export function parseDto<T extends object>(cls: ClassConstructor<T>, plain: unknown, pathPrefix = ''): DtoResult<T> {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return { ok: false, errors: [{ field: pathPrefix === '' ? BODY_FIELD : pathPrefix, message: 'must be a JSON object' }] };
  }
  const instance = plainToInstance(cls, plain);
  const errors = flattenValidationErrors(validateSync(instance, VALIDATOR_OPTIONS), pathPrefix);
  return errors.length === 0 ? { ok: true, value: instance } : { ok: false, errors };
}

/** The `{ field, message }` list for one plain value (empty when valid). */
export function validateDto<T extends object>(cls: ClassConstructor<T>, plain: unknown, pathPrefix = ''): FieldError[] {
  const result = parseDto(cls, plain, pathPrefix);
  return result.ok ? [] : result.errors;
}

export interface ArrayBodyOptions {
  minItems?: number;
  maxItems?: number;
}

/**
 * For all-or-nothing array bodies: `@Body(new ArrayBodyPipe(ListingDto, { maxItems: 1000 }))`.
 * Errors name the item: `[3].data.amount`. (Batches that answer per item use `parseDto` instead.)
 */
@Injectable()
export class ArrayBodyPipe<T extends object> implements PipeTransform<unknown, T[]> {
  constructor(
    private readonly itemType: ClassConstructor<T>,
    private readonly options: ArrayBodyOptions = {},
  ) {}

  transform(value: unknown): T[] {
    if (!Array.isArray(value)) throw validationException([{ field: BODY_FIELD, message: 'the request body must be a JSON array' }]);
    const { minItems = 0, maxItems = Number.MAX_SAFE_INTEGER } = this.options;
    if (value.length < minItems || value.length > maxItems) {
      const range = maxItems === Number.MAX_SAFE_INTEGER ? `at least ${minItems}` : `${minItems} to ${maxItems}`;
      throw validationException([{ field: BODY_FIELD, message: `the request body must hold ${range} items, got ${value.length}` }]);
    }
    const items: T[] = [];
    const errors: FieldError[] = [];
    value.forEach((item: unknown, index) => {
      const result = parseDto(this.itemType, item, `[${index}]`);
      if (result.ok) items.push(result.value);
      else errors.push(...result.errors);
    });
    if (errors.length > 0) throw validationException(errors);
    return items;
  }
}
