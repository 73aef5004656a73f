import type { FieldError } from '@ipfin/kernel';
import type { ValidationError } from 'class-validator';

/** Field name used when the body itself (not one of its fields) is wrong. */
export const BODY_FIELD = 'body';

function childPath(parent: string, property: string, parentIsArray: boolean): string {
  if (parentIsArray) return `${parent}[${property}]`;
  return parent === '' ? property : `${parent}.${property}`;
}

/**
 * class-validator's error tree as a flat list with dotted paths and array indexes:
 * `borrower.uscc`, `pledge.rights[0].number`; with `prefix` `[3]`, `[3].data.amount`.
 * Unknown properties (forbidNonWhitelisted) appear under their own path.
 */
export function flattenValidationErrors(errors: readonly ValidationError[], prefix = ''): FieldError[] {
  const flat: FieldError[] = [];
  const walk = (error: ValidationError, path: string): void => {
    for (const message of Object.values(error.constraints ?? {})) flat.push({ field: path === '' ? BODY_FIELD : path, message });
    const isArray = Array.isArray(error.value);
    for (const child of error.children ?? []) walk(child, childPath(path, child.property, isArray));
  };
  for (const error of errors) walk(error, childPath(prefix, error.property, false));
  return flat;
}
