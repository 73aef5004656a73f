import type { BusinessDate, Money } from '@ipfin/kernel';
import type { Actor, Counterparty, LicenceKind } from './patent-vocabulary';
import { counterpartyV1, ownerV1, patentEvent } from './patent-events';
import { invalidField, ruleViolation } from './patent-problems';
import {
  lastDayOfTerm,
  openLicenceLastDay,
  ownerActingAs,
  periodsOverlap,
  requireOwnedBy,
  withoutUndefined,
  type Licence,
  type ListedPatentState,
  type PatentState,
} from './patent-state';
import { requirePledgeeConsent, type PatentDecision } from './transfer';

/** `POST /v1/patents/{number}/licences`, after the DTO; `licenceId` is chosen by the service. */
export interface LicenceCommand {
  readonly licenceId: string;
  readonly licensee: Counterparty;
  readonly kind: LicenceKind;
  /** `Money.ZERO` is valid: free licences to staff and student start-ups (Quanzhou). */
  readonly royalty: Money;
  readonly contractDate: BusinessDate;
  readonly startsOn: BusinessDate;
  readonly endsOn: BusinessDate;
  readonly recordedOn?: BusinessDate;
  readonly agencyId?: string;
  /** Not in api.md's listed body but implied by "any licence while pledged without consent → 422". */
  readonly pledgeeConsent?: boolean;
}

/**
 * Records a licence contract.
 *
 * - Only the current owner (`patent-not-found` 404 / `not-owner` 403).
 * - `startsOn` ≤ `endsOn`, `recordedOn` ≥ `contractDate`: otherwise 400 on the field.
 * - `patent-lapsed` for a lapsed patent.
 * - `licence-outlasts-patent` when `endsOn` is after the last day of the statutory term (counted
 *   from the earliest filing date the number allows, see `termStartDate`).
 * - `patent-pledged` when pledged and `pledgeeConsent` is not true.
 * - `open-licence-declared` for an exclusive or sole licence whose period meets the period in which
 *   a declared open licence is in force: the declaration promises anyone an ordinary licence.
 * - `licence-conflict` when the periods of two licences overlap and either is exclusive or sole:
 *   an exclusive licence excludes everyone else (the owner too), a sole licence everyone but the
 *   owner, so a second licence of any kind, or exclusivity over existing licences (open-licence
 *   takers included), cannot coexist with it. Ordinary licences coexist freely.
 * - The royalty may be zero. Licences survive transfers (see `transferPatent`).
 */
export function recordLicence(state: PatentState, command: LicenceCommand, actor: Actor): PatentDecision {
  const patent = requireOwnedBy(state, actor, 'license it');
  if (command.endsOn.isBefore(command.startsOn)) {
    throw invalidField(
      'endsOn',
      `endsOn ${command.endsOn.toString()} is before startsOn ${command.startsOn.toString()}.`,
    );
  }
  if (command.recordedOn !== undefined && command.recordedOn.isBefore(command.contractDate)) {
    throw invalidField(
      'recordedOn',
      `recordedOn ${command.recordedOn.toString()} is before contractDate ${command.contractDate.toString()}.`,
    );
  }
  if (patent.status === 'lapsed') {
    throw ruleViolation('patent-lapsed', `Patent ${patent.number} has lapsed and can no longer be licensed.`, {
      number: patent.number,
    });
  }
  const lastDay = lastDayOfTerm(patent);
  if (command.endsOn.isAfter(lastDay)) {
    throw ruleViolation(
      'licence-outlasts-patent',
      `A licence of patent ${patent.number} may run at most until ${lastDay.toString()}, the end of its ${patent.kind.replace('_', ' ')} term; endsOn is ${command.endsOn.toString()}.`,
      { number: patent.number, lastDay: lastDay.toString() },
    );
  }
  requirePledgeeConsent(patent, command.pledgeeConsent, 'licensed');
  if (command.kind !== 'ordinary') assertNoOpenLicenceDuring(patent, command);
  assertNoConflictingLicence(patent, command);

  const licensor = ownerActingAs(patent.owner, actor);
  const licence: Licence = withoutUndefined({
    id: command.licenceId,
    kind: command.kind,
    licensee: command.licensee,
    royalty: { kind: 'lump_sum' as const, amount: command.royalty },
    contractDate: command.contractDate,
    startsOn: command.startsOn,
    endsOn: command.endsOn,
    recordedOn: command.recordedOn,
    agencyId: command.agencyId,
    viaOpenLicence: false,
  });
  const next: ListedPatentState = { ...patent, owner: licensor, licences: [...patent.licences, licence] };
  const event = patentEvent(
    'LicenceRecorded',
    withoutUndefined({
      number: patent.number,
      kind: patent.kind,
      licenceId: command.licenceId,
      licensor: ownerV1(licensor),
      licensee: counterpartyV1(command.licensee),
      licenceKind: command.kind,
      royalty: command.royalty.toString(),
      contractDate: command.contractDate.toString(),
      startsOn: command.startsOn.toString(),
      endsOn: command.endsOn.toString(),
      recordedOn: command.recordedOn?.toString(),
      agencyId: command.agencyId,
      pledgeeConsent: command.pledgeeConsent,
      viaOpenLicence: false as const,
    }),
  );
  return { state: next, events: [event] };
}

function assertNoOpenLicenceDuring(patent: ListedPatentState, command: LicenceCommand): void {
  const declared = patent.openLicence;
  if (declared === undefined) return;
  const lastDay = openLicenceLastDay(declared);
  if (periodsOverlap(command.startsOn, command.endsOn, declared.declaredOn, lastDay)) {
    throw ruleViolation(
      'open-licence-declared',
      `Patent ${patent.number} is under an open licence from ${declared.declaredOn.toString()} to ${lastDay.toString()}; ${withArticle(command.kind)} cannot run during it. Withdraw the open licence first.`,
      { number: patent.number, declaredOn: declared.declaredOn.toString() },
    );
  }
}

/** Whether a licence of `kind` over `from`…`to` cannot coexist with `existing`. */
export function licencesConflict(existing: Licence, kind: LicenceKind, from: BusinessDate, to: BusinessDate): boolean {
  if (existing.kind === 'ordinary' && kind === 'ordinary') return false;
  return periodsOverlap(existing.startsOn, existing.endsOn, from, to);
}

function assertNoConflictingLicence(patent: ListedPatentState, command: LicenceCommand): void {
  const clash = patent.licences.find((l) => licencesConflict(l, command.kind, command.startsOn, command.endsOn));
  if (clash === undefined) return;
  const what = clash.viaOpenLicence ? 'an ordinary licence taken under the open licence' : withArticle(clash.kind);
  throw ruleViolation(
    'licence-conflict',
    `Patent ${patent.number} has ${what} (${clash.id}) from ${clash.startsOn.toString()} to ${clash.endsOn.toString()}; ${withArticle(command.kind)} from ${command.startsOn.toString()} to ${command.endsOn.toString()} cannot coexist with it.`,
    { number: patent.number, conflictsWith: clash.id },
  );
}

/** `an exclusive licence`, `a sole licence`, `an ordinary licence`. */
export function withArticle(kind: LicenceKind): string {
  return `${kind === 'sole' ? 'a' : 'an'} ${kind} licence`;
}
