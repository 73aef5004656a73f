import type { BusinessDate } from '@ipfin/kernel';
import type { Actor, Counterparty } from './patent-vocabulary';
import { counterpartyV1, ownerV1, patentEvent, royaltyV1 } from './patent-events';
import { enterpriseIdentityMissing, invalidField, notLicensee, ruleViolation } from './patent-problems';
import {
  lastDayOfTerm,
  openLicenceInForceOn,
  openLicenceLastDay,
  ownerActingAs,
  periodsOverlap,
  requireListed,
  requireOwnedBy,
  withoutUndefined,
  type Licence,
  type ListedPatentState,
  type OpenLicence,
  type PatentState,
  type Royalty,
} from './patent-state';
import { licencesConflict, withArticle } from './licence';
import { requirePledgeeConsent, type PatentDecision } from './transfer';

/** Kinds that need a patent evaluation report (专利权评价报告) to be declared open. */
const NEEDS_EVALUATION_REPORT = new Set(['utility_model', 'design']);

/** `PUT /v1/patents/{number}/open-licence`, after the DTO. */
export interface OpenLicenceDeclaration {
  readonly royalty: Royalty;
  /** Whole years the declaration stays in force; at least 1. */
  readonly termYears: number;
  readonly declaredOn: BusinessDate;
  /** Required for utility models and designs. */
  readonly evaluationReportNo?: string;
  /** The pledgee of a pledged patent consents to the declaration. */
  readonly pledgeeConsent?: boolean;
}

/**
 * Declares an open licence (开放许可, Patent Law arts. 50-52): anyone may take an ordinary licence
 * on the declared royalty until `expiresOn` = declaredOn + termYears − 1 day.
 *
 * - Only the current owner (`patent-not-found` 404 / `not-owner` 403).
 * - `open-licence-term-too-short` when `termYears` < 1.
 * - `patent-lapsed` for a lapsed patent.
 * - `evaluation-report-required` for a utility model or design without `evaluationReportNo`.
 * - `open-licence-already-declared` while the current declaration is in force on (or after)
 *   `declaredOn`; after withdrawal or expiry a new declaration replaces it.
 * - `licence-outlasts-patent` when `expiresOn` is after the last day of the patent's term.
 * - `patent-pledged` when pledged without `pledgeeConsent: true`.
 * - `exclusive-licence-in-force` when an exclusive or sole licence runs on any day of the declared
 *   term (on `declaredOn`, or starting later within the term: the open licence would otherwise
 *   promise what the exclusive licensee holds alone).
 */
export function declareOpenLicence(
  state: PatentState,
  declaration: OpenLicenceDeclaration,
  actor: Actor,
): PatentDecision {
  const patent = requireOwnedBy(state, actor, 'declare an open licence');
  const { termYears, declaredOn } = declaration;
  if (!Number.isSafeInteger(termYears)) throw invalidField('termYears', 'termYears must be a whole number of years.');
  if (termYears < 1) {
    throw ruleViolation(
      'open-licence-term-too-short',
      `An open licence is declared for at least one year; termYears is ${termYears}.`,
      { number: patent.number },
    );
  }
  if (patent.status === 'lapsed') {
    throw ruleViolation('patent-lapsed', `Patent ${patent.number} has lapsed and cannot be declared open.`, {
      number: patent.number,
    });
  }
  if (NEEDS_EVALUATION_REPORT.has(patent.kind) && (declaration.evaluationReportNo ?? '').trim() === '') {
    throw ruleViolation(
      'evaluation-report-required',
      `Patent ${patent.number} is a ${patent.kind.replace('_', ' ')}: declaring it open needs a patent evaluation report (evaluationReportNo).`,
      { number: patent.number },
    );
  }
  const current = patent.openLicence;
  if (current !== undefined && !openLicenceLastDay(current).isBefore(declaredOn)) {
    throw ruleViolation(
      'open-licence-already-declared',
      `Patent ${patent.number} already has an open licence declared on ${current.declaredOn.toString()}, in force until ${openLicenceLastDay(current).toString()}.`,
      { number: patent.number, declaredOn: current.declaredOn.toString() },
    );
  }
  const expiresOn = lastDayOfYears(declaredOn, termYears);
  const lastDay = lastDayOfTerm(patent);
  if (expiresOn.isAfter(lastDay)) {
    throw ruleViolation(
      'licence-outlasts-patent',
      `An open licence of patent ${patent.number} declared on ${declaredOn.toString()} for ${termYears} year(s) would run until ${expiresOn.toString()}, past the end of the patent's term on ${lastDay.toString()}.`,
      { number: patent.number, lastDay: lastDay.toString() },
    );
  }
  requirePledgeeConsent(patent, declaration.pledgeeConsent, 'declared open');
  const exclusive = patent.licences.find(
    (l) => l.kind !== 'ordinary' && periodsOverlap(l.startsOn, l.endsOn, declaredOn, expiresOn),
  );
  if (exclusive !== undefined) {
    throw ruleViolation(
      'exclusive-licence-in-force',
      `Patent ${patent.number} is under ${withArticle(exclusive.kind)} (${exclusive.id}) from ${exclusive.startsOn.toString()} to ${exclusive.endsOn.toString()}; it cannot be declared open for ${declaredOn.toString()} to ${expiresOn.toString()}.`,
      { number: patent.number, licenceId: exclusive.id },
    );
  }

  const owner = ownerActingAs(patent.owner, actor);
  const openLicence: OpenLicence = withoutUndefined({
    royalty: declaration.royalty,
    termYears,
    declaredOn,
    expiresOn,
    evaluationReportNo: declaration.evaluationReportNo?.trim(),
    pledgeeConsent: declaration.pledgeeConsent === true,
  });
  const next: ListedPatentState = { ...patent, owner, openLicence };
  const event = patentEvent(
    'OpenLicenceDeclared',
    withoutUndefined({
      number: patent.number,
      kind: patent.kind,
      owner: ownerV1(owner),
      royalty: royaltyV1(declaration.royalty),
      termYears,
      declaredOn: declaredOn.toString(),
      expiresOn: expiresOn.toString(),
      evaluationReportNo: openLicence.evaluationReportNo,
      pledgeeConsent: declaration.pledgeeConsent,
    }),
  );
  return { state: next, events: [event] };
}

/**
 * Withdraws the declaration from `withdrawnOn` on (that day it is no longer in force). Licences
 * already taken stay, to their own `endsOn`.
 *
 * - Only the current owner.
 * - `open-licence-not-declared` unless a declaration is in force on `withdrawnOn`.
 * - `withdrawal-predates-taking` when a licence was taken under it on or after `withdrawnOn` (a
 *   back-dated withdrawal may not undo a taking).
 */
export function withdrawOpenLicence(
  state: PatentState,
  withdrawal: { readonly withdrawnOn: BusinessDate },
  actor: Actor,
): PatentDecision {
  const patent = requireOwnedBy(state, actor, 'withdraw its open licence');
  const { withdrawnOn } = withdrawal;
  const current = patent.openLicence;
  if (!openLicenceInForceOn(current, withdrawnOn)) {
    throw ruleViolation(
      'open-licence-not-declared',
      `Patent ${patent.number} has no open licence in force on ${withdrawnOn.toString()}.`,
      { number: patent.number },
    );
  }
  const later = patent.licences.find((l) => takenUnder(l, current) && !l.startsOn.isBefore(withdrawnOn));
  if (later !== undefined) {
    throw ruleViolation(
      'withdrawal-predates-taking',
      `A licence (${later.id}) was taken under the open licence of patent ${patent.number} on ${later.startsOn.toString()}; it cannot be withdrawn from ${withdrawnOn.toString()}.`,
      { number: patent.number, licenceId: later.id },
    );
  }
  const owner = ownerActingAs(patent.owner, actor);
  const next: ListedPatentState = { ...patent, owner, openLicence: { ...current, withdrawnOn } };
  const event = patentEvent('OpenLicenceWithdrawn', {
    number: patent.number,
    kind: patent.kind,
    owner: ownerV1(owner),
    declaredOn: current.declaredOn.toString(),
    withdrawnOn: withdrawnOn.toString(),
  });
  return { state: next, events: [event] };
}

/** `POST /v1/patents/{number}/open-licence/takers`, after the DTO; `licenceId` chosen by the service. */
export interface OpenLicenceTaking {
  readonly licenceId: string;
  readonly licensee: Counterparty;
  readonly takenOn: BusinessDate;
}

/**
 * An enterprise takes an ordinary licence on the declared terms, from `takenOn` to the
 * declaration's `expiresOn` (all takers' licences end with the declared term; a withdrawal does not
 * shorten them).
 *
 * - `patent-not-found` (404) if not listed.
 * - The taker is the token's enterprise: `enterprise-identity-missing` (403) when the token has no
 *   `uscc` claim (it could otherwise take a licence in any company's name), `not-licensee` (403)
 *   when its USCC is not `licensee.uscc`.
 * - `patent-lapsed` for a lapsed patent.
 * - `open-licence-not-declared` unless a declaration is in force on `takenOn`.
 * - `already-licensed` when the licensee holds any licence of the patent over part of that period
 *   (one taker licence per licensee while in force).
 * - Pledges are not checked: the declaration was made with the pledgee's consent, or the pledge
 *   was taken on a patent already offered to all.
 */
export function takeOpenLicence(state: PatentState, taking: OpenLicenceTaking, actor: Actor): PatentDecision {
  const patent = requireListed(state);
  const { licensee, takenOn } = taking;
  if (actor.uscc === undefined) throw enterpriseIdentityMissing();
  if (actor.uscc.toUpperCase() !== licensee.uscc) throw notLicensee();
  if (patent.status === 'lapsed') {
    throw ruleViolation(
      'patent-lapsed',
      `Patent ${patent.number} has lapsed; its open licence can no longer be taken.`,
      { number: patent.number },
    );
  }
  const declared = patent.openLicence;
  if (!openLicenceInForceOn(declared, takenOn)) {
    throw ruleViolation(
      'open-licence-not-declared',
      `Patent ${patent.number} has no open licence in force on ${takenOn.toString()}.`,
      { number: patent.number },
    );
  }
  const endsOn = declared.expiresOn;
  const held = patent.licences.find(
    (l) => l.licensee.uscc === licensee.uscc && periodsOverlap(l.startsOn, l.endsOn, takenOn, endsOn),
  );
  if (held !== undefined) {
    throw ruleViolation(
      'already-licensed',
      `${licensee.uscc} already holds a licence (${held.id}) of patent ${patent.number} from ${held.startsOn.toString()} to ${held.endsOn.toString()}.`,
      { number: patent.number, licenceId: held.id },
    );
  }
  const clash = patent.licences.find((l) => licencesConflict(l, 'ordinary', takenOn, endsOn));
  if (clash !== undefined) {
    throw ruleViolation(
      'licence-conflict',
      `Patent ${patent.number} is under ${withArticle(clash.kind)} (${clash.id}) during that period.`,
      { number: patent.number, conflictsWith: clash.id },
    );
  }

  const licence: Licence = {
    id: taking.licenceId,
    kind: 'ordinary',
    licensee,
    royalty: declared.royalty,
    contractDate: takenOn,
    startsOn: takenOn,
    endsOn,
    viaOpenLicence: true,
    openLicenceDeclaredOn: declared.declaredOn,
  };
  const next: ListedPatentState = { ...patent, licences: [...patent.licences, licence] };
  const event = patentEvent('OpenLicenceTaken', {
    number: patent.number,
    kind: patent.kind,
    licenceId: taking.licenceId,
    owner: ownerV1(patent.owner),
    licensee: counterpartyV1(licensee),
    takenOn: takenOn.toString(),
    endsOn: endsOn.toString(),
    declaredOn: declared.declaredOn.toString(),
    royalty: royaltyV1(declared.royalty),
  });
  return { state: next, events: [event] };
}

/**
 * Last day of a term of whole years starting on `start`: the day before the anniversary, and for a
 * start on 29 February ending in a common year, 28 February (as the kernel's `patentExpiry`).
 */
export function lastDayOfYears(start: BusinessDate, years: number): BusinessDate {
  const anniversary = start.addYears(years);
  return start.month === 2 && start.day === 29 && anniversary.day === 28 ? anniversary : anniversary.addDays(-1);
}

function takenUnder(licence: Licence, declaration: OpenLicence): boolean {
  return licence.viaOpenLicence && licence.openLicenceDeclaredOn?.equals(declaration.declaredOn) === true;
}
