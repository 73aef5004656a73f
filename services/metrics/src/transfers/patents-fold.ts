import type {
  LicenceRecordedV1, OpenLicenceDeclaredV1, OpenLicenceTakenV1, OpenLicenceWithdrawnV1, PatentTransferredV1,
} from '@ipfin/contracts';
import { BusinessDate, Money } from '@ipfin/kernel';
import { OrphanEvent } from '../common/orphan-event';
import { DeltaBag, MEASURES } from '../counters/deltas';

/**
 * Folds `ipfin.patents.v1` into the transfer facts. Transfers and licences count in the
 * assignee's / licensee's region on their `contractDate` (recorded contracts on `recordedOn`);
 * open-licence figures count in the owner's region. An open-licence declaration is in force from
 * `declaredOn` to `expiresOn`, or until the day before `withdrawnOn`: stored as +1 on its first
 * day and −1 on the first day after, so "in force on D" is the sum of the deltas up to D.
 *
 * A declaration survives a transfer of the patent (the assignee is bound by it), so while in force
 * it counts in the region of whoever owns the patent: the declaring owner's from `declaredOn`, each
 * assignee's from its transfer's `contractDate` on (`moves`). Its in-force interval is thus split
 * into spans, +1 / −1 per span in that span's region. `openLicencesDeclared` stays with the
 * declaring owner; a taking counts in the region of the `owner` its event names.
 */

/** A transfer that moved an open licence in force: from `on` it counts in `region`. */
export interface OwnerMove {
  on: string;
  region: string;
}

/** What metrics remembers of an open-licence declaration, to end it early or move it. */
export interface Declaration {
  number: string;
  declaredOn: string;
  /** Region of the owner who declared it, where it counts from `declaredOn`. */
  ownerRegion: string;
  expiresOn: string;
  withdrawnOn: string | null;
  /** Transfers made while it was in force, in contract-date order (ties in the order folded). */
  moves: readonly OwnerMove[];
}

export const declarationId = (number: string, declaredOn: string): string => `${number}|${declaredOn}`;

export interface FoldedPatents {
  bag: DeltaBag;
  /** Declarations as they are after the batch. */
  declarations: Map<string, Declaration>;
}

export type PatentEventForFold = { ceType: string; data: unknown };

const typeName = (ceType: string): string => ceType.split('.')[2] ?? '';
const dayAfter = (day: string): string => BusinessDate.parse(day).addDays(1).toString();

/** The first day a declaration is no longer in force. */
function endOf(d: Declaration): string {
  const expiry = dayAfter(d.expiresOn);
  if (d.withdrawnOn === null || d.withdrawnOn >= expiry) return expiry;
  return d.withdrawnOn < d.declaredOn ? d.declaredOn : d.withdrawnOn;
}

/**
 * Where and when a declaration is in force: one span per owner, `[from, until)`, in order; empty
 * spans (a move on or after the end, two moves on one day) left out, neighbours in the same region
 * joined.
 */
export function inForceSpans(d: Declaration): { region: string; from: string; until: string }[] {
  const end = endOf(d);
  const owners: OwnerMove[] = [{ on: d.declaredOn, region: d.ownerRegion }, ...d.moves];
  const spans: { region: string; from: string; until: string }[] = [];
  owners.forEach((owner, i) => {
    const next = owners[i + 1]?.on ?? end;
    const until = next < end ? next : end;
    if (owner.on >= until) return;
    const last = spans[spans.length - 1];
    if (last !== undefined && last.region === owner.region && last.until === owner.on) last.until = until;
    else spans.push({ region: owner.region, from: owner.on, until });
  });
  return spans;
}

/** The declaration with a transfer dated `on` to an owner in `region`, or itself when it was not in force then. */
function movedBy(d: Declaration, on: string, region: string): Declaration {
  if (on < d.declaredOn || on >= endOf(d)) return d;
  // The registry takes transfers in contract-date order; a late one is placed by its date all the same.
  const at = d.moves.findIndex((m) => m.on > on);
  const moves = at < 0 ? [...d.moves, { on, region }] : [...d.moves.slice(0, at), { on, region }, ...d.moves.slice(at)];
  return { ...d, moves };
}

const DECLARATION_TYPES = new Set(['PatentTransferred', 'OpenLicenceDeclared', 'OpenLicenceWithdrawn']);

/** The patents whose stored declarations a batch's fold needs (`known`): those it transfers, declares or withdraws. */
export function patentsWithDeclarations(events: readonly PatentEventForFold[]): string[] {
  const numbers = events.filter((e) => DECLARATION_TYPES.has(typeName(e.ceType))).map((e) => (e.data as { number: string }).number);
  return [...new Set(numbers)].sort();
}

/**
 * @param known every stored declaration (as before the batch) of each patent the batch declares,
 *   withdraws or transfers (`patentsWithDeclarations`): a transfer moves those in force on its date
 * @throws OrphanEvent for a withdrawal of a declaration metrics never applied: metrics keeps every
 *   declaration and the registry withdraws only declared ones, so the declaration was
 *   dead-lettered (or never published); the consumer dead-letters the withdrawal too.
 */
export function foldPatentEvents(events: readonly PatentEventForFold[], known: ReadonlyMap<string, Declaration>): FoldedPatents {
  const out: FoldedPatents = { bag: new DeltaBag(), declarations: new Map() };
  const count = (measure: string, region: string, day: string, n: number, amountFen = 0n, dim = ''): void =>
    out.bag.count({ measure, region, dim, day }, n, amountFen);
  const declaration = (id: string): Declaration | undefined => out.declarations.get(id) ?? known.get(id);
  /** Declaration ids per patent number, of `known` and of those the batch adds. */
  const idsOf = new Map<string, Set<string>>();
  const remember = (d: Declaration): void => {
    const ids = idsOf.get(d.number) ?? new Set<string>();
    ids.add(declarationId(d.number, d.declaredOn));
    idsOf.set(d.number, ids);
  };
  known.forEach(remember);

  /** Adds (1) or removes (−1) a declaration's in-force spans. */
  const inForce = (d: Declaration, sign: 1 | -1): void => {
    for (const span of inForceSpans(d)) {
      count(MEASURES.openLicencesInForce, span.region, span.from, sign);
      count(MEASURES.openLicencesInForce, span.region, span.until, -sign);
    }
  };
  const replace = (id: string, before: Declaration, after: Declaration): void => {
    inForce(before, -1);
    inForce(after, 1);
    out.declarations.set(id, after);
  };

  events.forEach((event, index) => {
    switch (typeName(event.ceType)) {
      case 'PatentTransferred': {
        const e = event.data as PatentTransferredV1;
        const region = e.assignee.regionCode;
        count(MEASURES.transfers, region, e.contractDate, 1, Money.parse(e.price).fen);
        if (e.recordedOn) count(MEASURES.recordedContracts, region, e.recordedOn, 1);
        if (e.agencyId) count(MEASURES.agencyDeals, region, e.contractDate, 1, 0n, e.agencyId);
        if (e.kind === 'invention' && e.from.role === 'university' && e.from.sub) {
          count(MEASURES.universityInventionTransfers, region, e.contractDate, 1, 0n, e.from.sub);
        }
        // The assignee is bound by a declared open licence: from the contract date it counts in its region.
        for (const id of idsOf.get(e.number) ?? []) {
          const before = declaration(id)!;
          const after = movedBy(before, e.contractDate, region);
          if (after !== before) replace(id, before, after);
        }
        break;
      }
      case 'LicenceRecorded': {
        const e = event.data as LicenceRecordedV1;
        const region = e.licensee.regionCode;
        count(MEASURES.licences(e.licenceKind), region, e.contractDate, 1, Money.parse(e.royalty).fen);
        if (e.recordedOn) count(MEASURES.recordedContracts, region, e.recordedOn, 1);
        if (e.agencyId) count(MEASURES.agencyDeals, region, e.contractDate, 1, 0n, e.agencyId);
        break;
      }
      case 'OpenLicenceDeclared': {
        const e = event.data as OpenLicenceDeclaredV1;
        const id = declarationId(e.number, e.declaredOn);
        const before = declaration(id);
        if (before) {
          // The same declaration announced again: replace it.
          count(MEASURES.openLicencesDeclared, before.ownerRegion, before.declaredOn, -1);
          inForce(before, -1);
        }
        // Declared by the current owner: earlier transfers do not move it.
        const d: Declaration = {
          number: e.number, declaredOn: e.declaredOn, ownerRegion: e.owner.region, expiresOn: e.expiresOn, withdrawnOn: null, moves: [],
        };
        count(MEASURES.openLicencesDeclared, d.ownerRegion, d.declaredOn, 1);
        inForce(d, 1);
        out.declarations.set(id, d);
        remember(d);
        break;
      }
      case 'OpenLicenceWithdrawn': {
        const e = event.data as OpenLicenceWithdrawnV1;
        const id = declarationId(e.number, e.declaredOn);
        const before = declaration(id);
        if (!before) {
          throw new OrphanEvent(
            index,
            `orphan: no OpenLicenceDeclared for ${e.number} of ${e.declaredOn} was applied (dead-lettered or never published)`,
          );
        }
        // Ends the span in force on withdrawnOn, in whichever owner's region it then counts.
        replace(id, before, { ...before, withdrawnOn: e.withdrawnOn });
        break;
      }
      case 'OpenLicenceTaken': {
        // The registry names the owner at the taking (the assignee after a transfer).
        const e = event.data as OpenLicenceTakenV1;
        count(MEASURES.openLicencesTaken, e.owner.region, e.takenOn, 1);
        break;
      }
      default:
        break; // PatentListed changes no figure.
    }
  });
  return out;
}
