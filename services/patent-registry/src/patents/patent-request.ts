import type { Principal } from '@ipfin/http';
import { Forbidden, ValidationFailed } from '@ipfin/kernel';
import { canonicalPatentNumber, type Actor } from './domain';

/**
 * The `{number}` of a path in any form a user writes it (`ZL202310123456.6`, `CN 2023 1012 3456.6`,
 * lower-case `x`), normalised to `YYYYTNNNNNNN.C`; 400 on field `number` when malformed or the
 * check character is wrong.
 */
export function patentNumberParam(raw: string): string {
  const number = canonicalPatentNumber(raw);
  if (number === undefined) {
    throw new ValidationFailed([
      { field: 'number', message: 'number must be a patent application number with its check character, e.g. 202310123456.6' },
    ]);
  }
  return number;
}

/** The acting institution, from its verified token (every role but admin carries a region). */
export function actorOf(principal: Principal): Actor {
  if (principal.region === undefined) throw new Forbidden('The token carries no region: only institutions act on patents.');
  return {
    sub: principal.sub,
    role: principal.role,
    region: principal.region,
    ...(principal.uscc === undefined ? {} : { uscc: principal.uscc }),
  };
}
