import { Conflict, DomainError, Forbidden, NotFound, RuleViolation, ValidationFailed, type BusinessDate } from '@ipfin/kernel';

/**
 * Every refusal of the registry's rules, by stable code (the problem `type` is
 * `https://ipfin.dev/problems/<code>`). The status follows from the kernel error kind the
 * constructor below uses; this table is for the OpenAPI description and the service README.
 */
export const PATENT_PROBLEMS = {
  'patent-not-found': { status: 404, title: 'No patent with this number is listed' },
  'not-owner': { status: 403, title: 'Only the current owner may do this' },
  'not-licensee': { status: 403, title: 'An enterprise can only take an open licence for itself' },
  'enterprise-identity-missing': {
    status: 403,
    title: 'The enterprise token carries no uscc claim: it cannot act as a licensee',
  },
  'patent-owned-by-another': { status: 409, title: 'The patent is listed by another owner' },
  'patent-pledged': { status: 422, title: 'The patent is pledged and the pledgee has not consented' },
  'patent-lapsed': { status: 422, title: 'The patent has lapsed' },
  'transfer-to-owner': { status: 422, title: 'The assignee already owns the patent' },
  'transfer-out-of-order': {
    status: 422,
    title: "The transfer's contract date is before the contract date of the patent's latest transfer",
  },
  'licence-outlasts-patent': { status: 422, title: "The licence would run past the patent's term" },
  'licence-conflict': {
    status: 422,
    title: 'The licence overlaps an exclusive or sole licence, or exclusivity would override existing licences',
  },
  'open-licence-declared': {
    status: 422,
    title: 'An exclusive or sole licence cannot be granted while an open licence is declared',
  },
  'open-licence-term-too-short': { status: 422, title: 'An open licence is declared for at least one year' },
  'exclusive-licence-in-force': { status: 422, title: 'An exclusive or sole licence runs during the declared term' },
  'evaluation-report-required': {
    status: 422,
    title: 'Utility models and designs need a patent evaluation report to be declared open',
  },
  'open-licence-already-declared': { status: 422, title: 'An open licence is already declared' },
  'open-licence-not-declared': { status: 422, title: 'No open licence is in force on that date' },
  'withdrawal-predates-taking': {
    status: 422,
    title: 'A licence was taken under the declaration on or after the withdrawal date',
  },
  'already-licensed': { status: 422, title: 'The enterprise already holds a licence in force' },
} as const satisfies Record<string, { status: 403 | 404 | 409 | 422; title: string }>;

export type PatentProblemCode = keyof typeof PATENT_PROBLEMS;

type RuleCode = {
  [C in PatentProblemCode]: (typeof PATENT_PROBLEMS)[C]['status'] extends 422 ? C : never;
}[PatentProblemCode];

/** A 422 business-rule refusal with its stable code. */
export function ruleViolation(
  code: RuleCode,
  detail: string,
  context?: Readonly<Record<string, unknown>>,
): RuleViolation {
  return new RuleViolation(code, detail, context);
}

export function patentNotFound(number: string): NotFound {
  return new NotFound(`Patent ${number}`, { number }, 'patent-not-found');
}

/**
 * 403, not 404: listings are public (`GET /v1/patents/{number}`), so refusing a non-owner reveals
 * nothing that search does not.
 */
export function notOwner(number: string, action: string): Forbidden {
  return new Forbidden(`Only the current owner of patent ${number} may ${action}.`, 'not-owner', { number });
}

export function notLicensee(): Forbidden {
  return new Forbidden(
    'An enterprise takes an open licence for itself: licensee.uscc must be the USCC of your token.',
    'not-licensee',
  );
}

/**
 * 403: an enterprise token without a `uscc` claim cannot show whose licence it takes (the same
 * code as dense-products gives an enterprise token that cannot file for lack of it).
 */
export function enterpriseIdentityMissing(): Forbidden {
  return new Forbidden(
    'An enterprise token must carry the uscc claim to take an open licence: licensee.uscc must be the USCC of your token.',
    'enterprise-identity-missing',
  );
}

/**
 * 422 on field `contractDate`: the ownership history is a line in contract-date order (consumers
 * such as dense-products order owners by `contractDate`), so a transfer may not be dated before
 * the latest one on record. The same date is fine: the later record is the later owner.
 */
export function transferOutOfOrder(number: string, contractDate: BusinessDate, latest: { id: string; contractDate: BusinessDate }): DomainError {
  const message = `contractDate ${contractDate.toString()} is before ${latest.contractDate.toString()}, the contract date of the latest transfer (${latest.id}) of patent ${number}.`;
  return new DomainError({
    code: 'transfer-out-of-order',
    kind: 'rule',
    detail: `${message} Transfers are recorded in contract-date order.`,
    errors: [{ field: 'contractDate', message }],
    context: { number, latestTransferId: latest.id, latestContractDate: latest.contractDate.toString() },
  });
}

/**
 * 409: the listing collides with the registry's current state (someone else owns the number), the
 * same kind of refusal as an idempotency key reused with another body. Not 422: no rule of the
 * programme is at stake, only who holds the record.
 */
export function ownedByAnother(number: string): Conflict {
  return new Conflict(
    'patent-owned-by-another',
    `Patent ${number} is listed by another owner; only its current owner may list or update it.`,
    { number },
  );
}

/** A field-level 400 raised by the domain, for cross-field checks the DTO cannot make. */
export function invalidField(field: string, message: string): ValidationFailed {
  return new ValidationFailed([{ field, message }]);
}
