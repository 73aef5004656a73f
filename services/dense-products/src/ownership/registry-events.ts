import type {
  EventEnvelope,
  LicenceRecordedV1,
  OpenLicenceDeclaredV1,
  OpenLicenceTakenV1,
  OpenLicenceWithdrawnV1,
  PatentListedV1,
  PatentTransferredV1,
} from '@ipfin/contracts';
import { foldPatentEvent, type PatentTimeline, type RegistryEvent } from './domain/ownership-view';

const PATENT_CE_TYPE = /^ipfin\.patents\.([A-Za-z]+)\.v1$/;

/**
 * The ownership view's reading of one `ipfin.patents.v1` envelope (already validated against the
 * contracts by the consumer). Types the view does not know (a later minor addition to the topic)
 * are skipped: they cannot change who holds a patent as this version understands it.
 */
export function registryEventOf(envelope: Pick<EventEnvelope, 'type' | 'data'>): RegistryEvent | null {
  const name = PATENT_CE_TYPE.exec(envelope.type)?.[1] ?? '';
  switch (name) {
    case 'PatentListed':
      return { type: name, data: envelope.data as PatentListedV1 };
    case 'PatentTransferred':
      return { type: name, data: envelope.data as PatentTransferredV1 };
    case 'LicenceRecorded':
      return { type: name, data: envelope.data as LicenceRecordedV1 };
    case 'OpenLicenceTaken':
      return { type: name, data: envelope.data as OpenLicenceTakenV1 };
    case 'OpenLicenceDeclared':
      return { type: name, data: envelope.data as OpenLicenceDeclaredV1 };
    case 'OpenLicenceWithdrawn':
      return { type: name, data: envelope.data as OpenLicenceWithdrawnV1 };
    default:
      return null;
  }
}

/**
 * Folds events, in order, into the timelines they touch (`known`: the stored timelines of those
 * patents). Returns only the timelines that exist afterwards; a declaration alone starts none,
 * since it says nothing about who holds the patent (as `OwnershipView.apply`).
 */
export function foldRegistryEvents(
  known: ReadonlyMap<string, PatentTimeline>,
  events: readonly RegistryEvent[],
): Map<string, PatentTimeline> {
  const touched = new Map<string, PatentTimeline>();
  for (const event of events) {
    const number = event.data.number;
    const current = touched.get(number) ?? known.get(number);
    if (current === undefined && (event.type === 'OpenLicenceDeclared' || event.type === 'OpenLicenceWithdrawn'))
      continue;
    touched.set(number, foldPatentEvent(current, event));
  }
  return touched;
}
