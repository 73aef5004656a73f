/**
 * Domain errors: what went wrong in business terms, never in HTTP terms.
 * The HTTP layer maps `kind` to a status (validation 400, not-found 404, conflict 409, rule 422,
 * forbidden 403, unauthenticated 401) and `code` to the problem `type` URI.
 */
export type DomainErrorKind = 'validation' | 'not-found' | 'conflict' | 'rule' | 'forbidden' | 'unauthenticated';

export interface FieldError {
  /** Dotted path of the offending field in the request, e.g. `borrower.uscc`. */
  field: string;
  message: string;
}

export interface DomainErrorInit {
  /** Stable kebab-case identifier, e.g. `right-already-pledged`. Part of the public API. */
  code: string;
  kind: DomainErrorKind;
  /** Human-readable explanation of this occurrence. */
  detail: string;
  errors?: readonly FieldError[];
  context?: Readonly<Record<string, unknown>>;
  cause?: unknown;
}

const KEBAB_CASE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function isKebabCaseCode(code: string): boolean {
  return KEBAB_CASE.test(code);
}

export class DomainError extends Error {
  readonly code: string;
  readonly kind: DomainErrorKind;
  readonly detail: string;
  readonly errors?: readonly FieldError[];
  readonly context?: Readonly<Record<string, unknown>>;

  constructor(init: DomainErrorInit) {
    // A malformed code is a programming error: it would leak into the public problem `type`.
    if (!isKebabCaseCode(init.code)) {
      throw new TypeError(`DomainError code must be kebab-case, got ${JSON.stringify(init.code)}`);
    }
    super(init.detail, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.code = init.code;
    this.kind = init.kind;
    this.detail = init.detail;
    if (init.errors !== undefined) this.errors = Object.freeze(init.errors.map((e) => ({ ...e })));
    if (init.context !== undefined) this.context = Object.freeze({ ...init.context });
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}

/** One or more request fields are malformed or invalid (400). */
export class ValidationFailed extends DomainError {
  declare readonly errors: readonly FieldError[];

  constructor(errors: readonly FieldError[], detail?: string, code = 'validation-failed') {
    super({
      code,
      kind: 'validation',
      detail:
        detail ??
        (errors.length === 0 ? 'The request is invalid.' : errors.map((e) => `${e.field}: ${e.message}`).join('; ')),
      errors,
    });
  }
}

/**
 * A single value failed to parse (money, date, identifier…). Thrown by kernel parsers that do not
 * know which request field they are reading; `atField` turns it into a field-level `ValidationFailed`.
 */
export class ValueFormatError extends DomainError {
  constructor(code: string, detail: string, input?: unknown) {
    super({
      code,
      kind: 'validation',
      detail,
      context: input === undefined ? undefined : { input: describeInput(input) },
    });
  }

  atField(field: string): ValidationFailed {
    return new ValidationFailed([{ field, message: this.detail }]);
  }
}

/** The thing asked for does not exist, or the caller may not know that it does (404). */
export class NotFound extends DomainError {
  constructor(what: string, context?: Readonly<Record<string, unknown>>, code = 'not-found') {
    super({ code, kind: 'not-found', detail: `${what} not found.`, context });
  }
}

/** The request conflicts with current state, e.g. a replay with a different body (409). */
export class Conflict extends DomainError {
  constructor(code: string, detail: string, context?: Readonly<Record<string, unknown>>) {
    super({ code, kind: 'conflict', detail, context });
  }
}

/** A business rule forbids the request, e.g. `patent-pledged` (422). */
export class RuleViolation extends DomainError {
  constructor(code: string, detail: string, context?: Readonly<Record<string, unknown>>) {
    super({ code, kind: 'rule', detail, context });
  }
}

/** Authenticated, but this role or institution may not do or see this (403). */
export class Forbidden extends DomainError {
  constructor(
    detail = 'You are not allowed to do this.',
    code = 'forbidden',
    context?: Readonly<Record<string, unknown>>,
  ) {
    super({ code, kind: 'forbidden', detail, context });
  }
}

/** Missing or invalid credentials (401). */
export class Unauthenticated extends DomainError {
  constructor(detail = 'Authentication is required.', code = 'unauthenticated') {
    super({ code, kind: 'unauthenticated', detail });
  }
}

const MAX_ECHOED_INPUT = 64;

/** Echo of an input for messages and logs, bounded so a huge payload cannot bloat an error. */
export function describeInput(input: unknown): string {
  let text: string;
  if (typeof input === 'string') text = JSON.stringify(input);
  else if (typeof input === 'bigint') text = `${input}n`;
  else if (input === null || typeof input === 'number' || typeof input === 'boolean' || input === undefined)
    text = String(input);
  else text = `a value of type ${typeof input}`;
  return text.length > MAX_ECHOED_INPUT ? `${text.slice(0, MAX_ECHOED_INPUT)}…` : text;
}
