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
 */

/** What metrics remembers of an open-licence declaration, to end it early on withdrawal. */
export interface Declaration {
  number: string;
  declaredOn: string;
  ownerRegion: string;
  expiresOn: string;
  withdrawnOn: string | null;
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
 * @param known the declarations the batch's declarations and withdrawals name, as stored before it
 * @throws OrphanEvent for a withdrawal of a declaration metrics never applied: metrics keeps every
 *   declaration and the registry withdraws only declared ones, so the declaration was
 *   dead-lettered (or never published); the consumer dead-letters the withdrawal too.
 */
export function foldPatentEvents(events: readonly PatentEventForFold[], known: ReadonlyMap<string, Declaration>): FoldedPatents {
  const out: FoldedPatents = { bag: new DeltaBag(), declarations: new Map() };
  const count = (measure: string, region: string, day: string, n: number, amountFen = 0n, dim = ''): void =>
    out.bag.count({ measure, region, dim, day }, n, amountFen);
  const declaration = (id: string): Declaration | undefined => out.declarations.get(id) ?? known.get(id);

  /** Adds (1) or removes (−1) a declaration's in-force interval. */
  const inForce = (d: Declaration, sign: 1 | -1): void => {
    count(MEASURES.openLicencesInForce, d.ownerRegion, d.declaredOn, sign);
    count(MEASURES.openLicencesInForce, d.ownerRegion, endOf(d), -sign);
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
        const d: Declaration = { number: e.number, declaredOn: e.declaredOn, ownerRegion: e.owner.region, expiresOn: e.expiresOn, withdrawnOn: null };
        count(MEASURES.openLicencesDeclared, d.ownerRegion, d.declaredOn, 1);
        inForce(d, 1);
        out.declarations.set(id, d);
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
        inForce(before, -1);
        const after: Declaration = { ...before, withdrawnOn: e.withdrawnOn };
        inForce(after, 1);
        out.declarations.set(id, after);
        break;
      }
      case 'OpenLicenceTaken': {
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
