import type { RightKind } from '@ipfin/contracts';
import type { FieldError } from '@ipfin/kernel';
import { contentHash, type ParsedLoanEvent } from './loan-event';
import { applyToLoan, type LoanAggregate, type LoanHistoryEntry } from './loan';
import { loanEventMessage, type LoanEventMessage } from './loan-messages';
import { loanProblem, toItemProblem, validationProblem, type ItemProblem, type LoanProblem } from './loan-problems';
import { pledgeInForce, type LoanState } from './loan-state';

/** The loan that holds a pledged right or a pledge registration number. */
export interface PledgeHolder {
  readonly bank: string;
  readonly loanRef: string;
}

/** Key of a right in the pledge lookup: `patent:202320123456.X`, `trademark:12345678`. */
export const rightKey = (kind: RightKind, number: string): string => `${kind}:${number}`;

/** One request item: validated (see `validateLoanEventItem`) or refused with field errors. */
export type BatchItem =
  | { readonly ok: true; readonly value: ParsedLoanEvent }
  | { readonly ok: false; readonly errors: readonly FieldError[]; readonly eventId?: string };

export interface ApplyBatchInput {
  /** `sub` of the reporting bank. */
  readonly bank: string;
  /** In request order. */
  readonly items: readonly BatchItem[];
  /** The bank's aggregates for (at least) every loanRef the items name; a missing loanRef has no history. */
  readonly loans: ReadonlyMap<string, LoanAggregate>;
  /** The bank's remembered events: eventId → `contentHash` (at least for every eventId the items carry). */
  readonly knownEvents: ReadonlyMap<string, string>;
  /**
   * Rights pledged by loans in force (registered, not settled), across ALL banks:
   * `rightKey(kind, number)` → holder (at least for every right the items pledge, and the rights of
   * the loans they name).
   */
  readonly pledgedRights: ReadonlyMap<string, PledgeHolder>;
  /**
   * Pledge registration numbers of registered loans (settled included, voided excluded), across
   * ALL banks: registrationNo → holder.
   */
  readonly registrationNumbers: ReadonlyMap<string, PledgeHolder>;
  /** Stamped as `recordedAt` on every event accepted in this batch. */
  readonly now: Date;
}

export type ItemStatus = 'accepted' | 'duplicate' | 'rejected';

/** One entry of the response's `results`, in request order. */
export interface BatchItemResult {
  /** Null only when the item carried no usable eventId. */
  readonly eventId: string | null;
  readonly status: ItemStatus;
  readonly problem?: ItemProblem;
}

/** Net change of a lookup over the batch: keys to delete, then keys to (up)insert. */
export interface LookupChanges {
  readonly released: readonly string[];
  readonly acquired: readonly { readonly key: string; readonly holder: PledgeHolder }[];
}

export interface ReversalMark {
  readonly loanRef: string;
  /** The event that is now reversed. */
  readonly eventId: string;
  readonly reversedBy: string;
}

export interface ApplyBatchResult {
  readonly results: readonly BatchItemResult[];
  /** Final aggregates of the loans that changed, by loanRef (state null: voided). */
  readonly loans: ReadonlyMap<string, LoanAggregate>;
  /** Newly accepted history entries (final version, `reversed` may already be set), in acceptance order. */
  readonly newEvents: readonly LoanHistoryEntry[];
  /** Events accepted before this batch that a reversal in it undid: flag them in the store. */
  readonly reversedEarlierEvents: readonly ReversalMark[];
  /** Records to publish to `ipfin.loans.v1`, in acceptance order. */
  readonly messages: readonly LoanEventMessage[];
  /** Updated lookups (input plus this batch's effects). */
  readonly knownEvents: ReadonlyMap<string, string>;
  readonly pledgedRights: ReadonlyMap<string, PledgeHolder>;
  readonly registrationNumbers: ReadonlyMap<string, PledgeHolder>;
  /** Net changes of the two pledge lookups, for writing them back. */
  readonly pledgeChanges: { readonly rights: LookupChanges; readonly registrationNumbers: LookupChanges };
}

interface HeldRight {
  readonly key: string;
  readonly kind: RightKind;
  readonly number: string;
  /** Position in `pledge.rights`. */
  readonly index: number;
}

function heldRights(state: LoanState | null): HeldRight[] {
  return pledgeInForce(state)
    ? state.pledge.rights.map((r, index) => ({
        key: rightKey(r.kind, r.number),
        kind: r.kind,
        number: r.number,
        index,
      }))
    : [];
}

/** A registration number stays taken once registered, settlement included; only voiding frees it. */
function heldRegistration(state: LoanState | null): string | null {
  return state === null ? null : state.pledge.registrationNo;
}

const sameHolder = (a: PledgeHolder, b: PledgeHolder): boolean => a.bank === b.bank && a.loanRef === b.loanRef;

function holderText(holder: PledgeHolder, bank: string): string {
  // Another bank's loanRef is its business: say only that it exists.
  return holder.bank === bank ? `your loan ${holder.loanRef}` : "another bank's loan";
}

function netChanges(
  before: ReadonlyMap<string, PledgeHolder>,
  after: ReadonlyMap<string, PledgeHolder>,
  touched: ReadonlySet<string>,
): LookupChanges {
  const released: string[] = [];
  const acquired: { key: string; holder: PledgeHolder }[] = [];
  for (const key of [...touched].sort()) {
    const was = before.get(key);
    const now = after.get(key);
    if (was !== undefined && (now === undefined || !sameHolder(was, now))) released.push(key);
    if (now !== undefined && (was === undefined || !sameHolder(was, now))) acquired.push({ key, holder: now });
  }
  return { released, acquired };
}

/**
 * Applies a bank's batch of loan events in request order, in memory. Each item sees the effects
 * of the items before it; a refused item changes nothing and never stops the others. Per item:
 *
 * 1. invalid fields → `validation-failed` (400);
 * 2. an eventId already accepted (earlier or in this batch) with the same content → `duplicate`,
 *    with different content → `event-id-conflict` (409); refused events are not remembered;
 * 3. the loan's own rules (`applyToLoan`);
 * 4. the pledge lookups: rights the loan takes into force (registration, or a reversed
 *    settlement) must not be held by another loan (`right-already-pledged`), a new registration
 *    number must be unused (`pledge-registration-duplicate`); settlement and voiding release
 *    rights for the items that follow.
 *
 * Inputs are not mutated; the result holds everything to write and publish.
 */
export function applyBatch(input: ApplyBatchInput): ApplyBatchResult {
  const { bank } = input;
  const recordedAt = input.now.toISOString();
  const loans = new Map<string, LoanAggregate>();
  const knownEvents = new Map(input.knownEvents);
  const pledgedRights = new Map(input.pledgedRights);
  const registrationNumbers = new Map(input.registrationNumbers);
  const touchedRights = new Set<string>();
  const touchedRegistrations = new Set<string>();
  const acceptedOrder: { loanRef: string; index: number }[] = [];
  const messages: LoanEventMessage[] = [];

  const aggregateOf = (loanRef: string): LoanAggregate | null => loans.get(loanRef) ?? input.loans.get(loanRef) ?? null;

  const results = input.items.map((item): BatchItemResult => {
    if (!item.ok) {
      return { eventId: item.eventId ?? null, status: 'rejected', problem: validationProblem(item.errors) };
    }
    const event = item.value;
    const rejected = (problem: LoanProblem): BatchItemResult => ({
      eventId: event.eventId,
      status: 'rejected',
      problem: toItemProblem(problem),
    });

    const hash = contentHash(event);
    const known = knownEvents.get(event.eventId);
    if (known === hash) return { eventId: event.eventId, status: 'duplicate' };
    if (known !== undefined) {
      return rejected(
        loanProblem(
          'event-id-conflict',
          `Event ${event.eventId} was already accepted with different content; a correction needs a new eventId (and a reversal of the original).`,
          'eventId',
        ),
      );
    }

    const before = aggregateOf(event.loanRef);
    const transition = applyToLoan(before, event, { bank, recordedAt, contentHash: hash });
    if (!transition.ok) return rejected(transition.problem);
    const after = transition.aggregate;
    const holder: PledgeHolder = { bank, loanRef: event.loanRef };

    // Rights this event takes into force: check them against every other loan's pledges.
    const rightsBefore = heldRights(before?.state ?? null);
    const rightsAfter = heldRights(after.state);
    const keysBefore = new Set(rightsBefore.map((r) => r.key));
    const keysAfter = new Set(rightsAfter.map((r) => r.key));
    for (const right of rightsAfter) {
      if (keysBefore.has(right.key)) continue;
      const current = pledgedRights.get(right.key);
      if (current !== undefined && !sameHolder(current, holder)) {
        const field =
          event.type === 'LoanRegistered' ? `data.pledge.rights[${right.index}].number` : 'data.reversedEventId';
        return rejected(
          loanProblem(
            'right-already-pledged',
            `The ${right.kind} ${right.number} is already pledged under ${holderText(current, bank)}, which is in force.`,
            field,
          ),
        );
      }
    }
    const registrationBefore = heldRegistration(before?.state ?? null);
    const registrationAfter = heldRegistration(after.state);
    if (registrationAfter !== null && registrationAfter !== registrationBefore) {
      const current = registrationNumbers.get(registrationAfter);
      if (current !== undefined && !sameHolder(current, holder)) {
        const field = event.type === 'LoanRegistered' ? 'data.pledge.registrationNo' : 'data.reversedEventId';
        return rejected(
          loanProblem(
            'pledge-registration-duplicate',
            `Pledge registration ${registrationAfter} is already used by ${holderText(current, bank)}.`,
            field,
          ),
        );
      }
    }

    // Accepted: commit the loan, its pledge effects, the eventId and the message.
    for (const key of keysBefore) {
      if (keysAfter.has(key)) continue;
      const current = pledgedRights.get(key);
      if (current !== undefined && sameHolder(current, holder)) pledgedRights.delete(key);
      touchedRights.add(key);
    }
    for (const key of keysAfter) {
      if (keysBefore.has(key)) continue;
      pledgedRights.set(key, holder);
      touchedRights.add(key);
    }
    if (registrationBefore !== registrationAfter) {
      if (registrationBefore !== null) {
        const current = registrationNumbers.get(registrationBefore);
        if (current !== undefined && sameHolder(current, holder)) registrationNumbers.delete(registrationBefore);
        touchedRegistrations.add(registrationBefore);
      }
      if (registrationAfter !== null) {
        registrationNumbers.set(registrationAfter, holder);
        touchedRegistrations.add(registrationAfter);
      }
    }
    loans.set(event.loanRef, after);
    knownEvents.set(event.eventId, hash);
    acceptedOrder.push({ loanRef: event.loanRef, index: transition.entry.sequence - 1 });
    messages.push(loanEventMessage(transition.entry, transition.reversedEntry));
    return { eventId: event.eventId, status: 'accepted' };
  });

  const newEvents = acceptedOrder.map(({ loanRef, index }) => {
    const aggregate = loans.get(loanRef);
    if (aggregate === undefined) throw new Error(`applyBatch: accepted event of ${loanRef} has no aggregate`);
    return aggregate.history[index];
  });
  const reversedEarlierEvents: ReversalMark[] = [];
  for (const [loanRef, aggregate] of loans) {
    const original = input.loans.get(loanRef)?.history ?? [];
    original.forEach((entry, i) => {
      const now = aggregate.history[i];
      if (!entry.reversed && now.reversed)
        reversedEarlierEvents.push({ loanRef, eventId: now.eventId, reversedBy: now.reversedBy ?? '' });
    });
  }

  return {
    results,
    loans,
    newEvents,
    reversedEarlierEvents,
    messages,
    knownEvents,
    pledgedRights,
    registrationNumbers,
    pledgeChanges: {
      rights: netChanges(input.pledgedRights, pledgedRights, touchedRights),
      registrationNumbers: netChanges(input.registrationNumbers, registrationNumbers, touchedRegistrations),
    },
  };
}
