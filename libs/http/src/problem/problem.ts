import { STATUS_CODES } from 'node:http';
import { DomainError, DomainErrorKind, FieldError, isDomainError } from '@ipfin/kernel';

export const PROBLEM_TYPE_BASE = 'https://ipfin.dev/problems/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 problem details as ipfin sends them. Batch items carry the same shape minus `instance`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  instance?: string;
  correlationId?: string;
}

export interface ProblemInit {
  /** Stable kebab-case code; becomes `https://ipfin.dev/problems/<code>`. */
  code: string;
  status: number;
  detail: string;
  title?: string;
  errors?: readonly FieldError[];
}

/** Codes whose wire name differs from the thrower's: every field-level failure is `…/validation`. */
const CODE_ALIASES: Readonly<Record<string, string>> = { 'validation-failed': 'validation' };

const TITLES: Readonly<Record<string, string>> = {
  validation: 'Invalid request',
  internal: 'Internal server error',
  unauthenticated: 'Unauthenticated',
  'malformed-json': 'Malformed JSON',
};

export function problemType(code: string): string {
  return `${PROBLEM_TYPE_BASE}${CODE_ALIASES[code] ?? code}`;
}

/** One title per type, as RFC 9457 asks: `patent-pledged` → `Patent pledged`. */
export function problemTitle(code: string): string {
  const wire = CODE_ALIASES[code] ?? code;
  const known = TITLES[wire];
  if (known !== undefined) return known;
  const words = wire.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Builds a problem object, e.g. for one rejected item of a batch (`instance` is left out). */
export function problem(init: ProblemInit): Problem {
  const body: Problem = {
    type: problemType(init.code),
    title: init.title ?? problemTitle(init.code),
    status: init.status,
    detail: init.detail,
  };
  if (init.errors !== undefined && init.errors.length > 0) body.errors = init.errors.map((e) => ({ field: e.field, message: e.message }));
  return body;
}

export function statusForKind(kind: DomainErrorKind): number {
  switch (kind) {
    case 'validation':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
      return 403;
    case 'not-found':
      return 404;
    case 'conflict':
      return 409;
    case 'rule':
      return 422;
  }
}

export function problemFromDomainError(error: DomainError): Problem {
  return problem({ code: error.code, status: statusForKind(error.kind), detail: error.detail, errors: error.errors });
}

export function validationProblem(errors: readonly FieldError[], detail?: string): Problem {
  return problem({ code: 'validation', status: 400, detail: detail ?? describeFieldErrors(errors), errors });
}

export const INTERNAL_DETAIL = 'An unexpected error occurred. Quote the correlation id when reporting it.';

export function internalProblem(): Problem {
  return problem({ code: 'internal', status: 500, detail: INTERNAL_DETAIL });
}

/**
 * A problem for one item of a batch: a `DomainError` as the filter would map it, anything else
 * as `internal` (the caller logs the cause; nothing of it reaches the client).
 */
export function problemFromError(error: unknown): Problem {
  if (isDomainError(error)) return problemFromDomainError(error);
  return internalProblem();
}

export function describeFieldErrors(errors: readonly FieldError[]): string {
  if (errors.length === 0) return 'The request is invalid.';
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `Invalid field ${first.field}: ${first.message}${more}.`;
}

export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}
