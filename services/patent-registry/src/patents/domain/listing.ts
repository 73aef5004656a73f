import type { BusinessDate } from '@ipfin/kernel';
import type { Actor, PatentGrade, PatentKind, PatentStatus } from './patent-vocabulary';
import { readPatentNumber } from './patent-number-facts';
import { invalidField, ownedByAnother } from './patent-problems';
import {
  isOwner,
  ownerActingAs,
  withoutUndefined,
  type ListedPatentState,
  type ListingDetails,
  type PatentOwner,
  type PatentState,
} from './patent-state';
import { ownerV1, patentEvent, type PatentEvent } from './patent-events';

/** One item of `POST /v1/patents`, after the DTO checked and normalised it. */
export interface ListingInput {
  readonly number: string;
  readonly title: string;
  readonly kind: PatentKind;
  readonly ipc?: string;
  readonly grantedOn?: BusinessDate;
  readonly status: PatentStatus;
  readonly grade?: PatentGrade;
  readonly category?: string;
  readonly abstract?: string;
  readonly keywords?: readonly string[];
}

/** `unchanged`: a replay of the current listing by its owner; nothing is stored or published. */
export type ListingOutcome = 'listed' | 'updated' | 'unchanged';

export interface ListingResult {
  readonly outcome: ListingOutcome;
  readonly state: ListedPatentState;
  readonly events: readonly PatentEvent[];
}

/**
 * Lists a patent, or updates the listing when its owner lists the same number again.
 *
 * - `current` is the state the service loaded for the number (row-locked), `undefined` if the
 *   registry has never heard of it. A number known only from the loan stream keeps its pledges.
 * - `kind` must agree with the number's type digit (1/8 invention, 2/9 utility model, 3 design):
 *   400 on field `kind`.
 * - A number listed by someone else: 409 `patent-owned-by-another`. An assignee becomes the owner
 *   by the transfer and may re-list (update) the patent with a token carrying its USCC.
 * - Re-listing replaces the listing fields and the status (a lapsed patent can be restored);
 *   licences, open licence, transfers and pledges are untouched. The acting token's `sub`, `role`
 *   and `region` become the owner's (see `ownerActingAs`).
 */
export function listPatent(
  current: PatentState | undefined,
  input: ListingInput,
  actor: Actor,
  today: BusinessDate,
): ListingResult {
  const facts = readPatentNumber(input.number);
  if (current !== undefined && current.number !== facts.normalized) {
    throw new Error(`listPatent: state of ${current.number} passed for number ${facts.normalized}`);
  }
  if (input.kind !== facts.kind) {
    throw invalidField(
      'kind',
      `kind ${input.kind} does not match patent number ${facts.normalized}, whose type digit ${facts.normalized[4]} means ${facts.kind}.`,
    );
  }
  const listing = listingDetails(input);

  let state: ListedPatentState;
  let outcome: ListingOutcome;
  if (current?.listed === true) {
    if (!isOwner(current.owner, actor)) throw ownedByAnother(facts.normalized);
    const owner = ownerActingAs(current.owner, actor);
    if (sameListing(current.listing, listing) && current.status === input.status && sameOwner(current.owner, owner)) {
      return { outcome: 'unchanged', state: current, events: [] };
    }
    state = { ...current, owner, listing, status: input.status, updatedOn: today };
    outcome = 'updated';
  } else {
    const owner: PatentOwner = withoutUndefined({
      sub: actor.sub,
      role: actor.role,
      uscc: actor.uscc?.toUpperCase(),
      region: actor.region,
    });
    state = withoutUndefined({
      number: facts.normalized,
      kind: facts.kind,
      filedYear: facts.year,
      pct: facts.pct,
      filingDate: current?.filingDate,
      pledges: current?.pledges ?? [],
      listed: true as const,
      owner,
      status: input.status,
      listing,
      listedOn: today,
      updatedOn: today,
      licences: [],
      transfers: [],
    });
    outcome = 'listed';
  }

  const event = patentEvent(
    'PatentListed',
    withoutUndefined({
      number: state.number,
      kind: state.kind,
      title: listing.title,
      owner: ownerV1(state.owner),
      status: state.status,
      filedYear: state.filedYear,
      filingDate: state.filingDate?.toString(),
      pct: state.pct,
      ipc: listing.ipc,
      grantedOn: listing.grantedOn?.toString(),
      grade: listing.grade,
      category: listing.category,
      listedOn: today.toString(),
    }),
  );
  return { outcome, state, events: [event] };
}

function listingDetails(input: ListingInput): ListingDetails {
  const keywords = [...new Set((input.keywords ?? []).map((k) => k.trim()).filter((k) => k.length > 0))];
  return withoutUndefined({
    title: input.title.trim(),
    ipc: input.ipc,
    grantedOn: input.grantedOn,
    grade: input.grade,
    category: input.category,
    abstract: input.abstract,
    keywords,
  });
}

function sameListing(a: ListingDetails, b: ListingDetails): boolean {
  const sameDate =
    a.grantedOn === undefined || b.grantedOn === undefined
      ? a.grantedOn === b.grantedOn
      : a.grantedOn.equals(b.grantedOn);
  return (
    a.title === b.title &&
    a.ipc === b.ipc &&
    sameDate &&
    a.grade === b.grade &&
    a.category === b.category &&
    a.abstract === b.abstract &&
    a.keywords.length === b.keywords.length &&
    a.keywords.every((k, i) => k === b.keywords[i])
  );
}

function sameOwner(a: PatentOwner, b: PatentOwner): boolean {
  return a.sub === b.sub && a.role === b.role && a.uscc === b.uscc && a.name === b.name && a.region === b.region;
}
