import { BusinessDate } from '@ipfin/kernel';

/*
 * Who owns, and who is licensed, each patent over time, folded from the registry's stream
 * (`ipfin.patents.v1`). The product service never asks the registry: a filing is checked against
 * this view (guarantee 4: it can be dropped and rebuilt from the topic).
 *
 * The fact shapes below are the parts of the `ipfin.patents.*.v1` payloads (contracts'
 * `patents/patent-events.ts`) the view reads; the validated payloads are passed as they are.
 * A timeline keeps the facts as `YYYY-MM-DD` strings so it stores as JSON; the intervals are
 * derived from them on demand (`ownerIntervals`, `licenceIntervals`).
 */

export type PatentKindFact = 'invention' | 'utility_model' | 'design';
export type LicenceKindFact = 'exclusive' | 'sole' | 'ordinary';

/** An owner as the registry names it: `uscc` is what a filing enterprise is matched on. */
export interface PatentPartyFact {
  readonly sub?: string;
  readonly uscc?: string;
  readonly name?: string;
  readonly region: string;
}

export interface CounterpartyFact {
  readonly uscc: string;
  readonly name: string;
  readonly regionCode: string;
}

export interface PatentListedFact {
  readonly number: string;
  readonly kind: PatentKindFact;
  readonly owner: PatentPartyFact;
  readonly status: 'valid' | 'lapsed';
  readonly listedOn: string;
}

export interface PatentTransferredFact {
  readonly number: string;
  readonly kind: PatentKindFact;
  readonly transferId: string;
  readonly from: PatentPartyFact;
  readonly assignee: CounterpartyFact;
  readonly contractDate: string;
}

export interface LicenceRecordedFact {
  readonly number: string;
  readonly kind: PatentKindFact;
  readonly licenceId: string;
  readonly licensee: CounterpartyFact;
  readonly licenceKind: LicenceKindFact;
  readonly startsOn: string;
  readonly endsOn: string;
}

export interface OpenLicenceTakenFact {
  readonly number: string;
  readonly kind: PatentKindFact;
  readonly licenceId: string;
  readonly licensee: CounterpartyFact;
  readonly takenOn: string;
  /** Last day of the licence: the open-licence declaration's `expiresOn`. */
  readonly endsOn: string;
}

/**
 * One event of `ipfin.patents.v1`, by its type name (the `ce_type` without prefix and version).
 * Declarations and their withdrawal do not change who holds a patent (licences already taken
 * stay), so the view accepts and ignores them; a consumer can pass the whole topic.
 */
export type RegistryEvent =
  | { readonly type: 'PatentListed'; readonly data: PatentListedFact }
  | { readonly type: 'PatentTransferred'; readonly data: PatentTransferredFact }
  | { readonly type: 'LicenceRecorded'; readonly data: LicenceRecordedFact }
  | { readonly type: 'OpenLicenceTaken'; readonly data: OpenLicenceTakenFact }
  | {
      readonly type: 'OpenLicenceDeclared' | 'OpenLicenceWithdrawn';
      readonly data: { readonly number: string; readonly kind: PatentKindFact };
    };

export interface StatusFact {
  readonly status: 'valid' | 'lapsed';
  /** The listing's `listedOn`: the status is known from this day on. */
  readonly since: string;
}

export interface TransferFact {
  readonly transferId: string;
  readonly from: PatentPartyFact;
  readonly assignee: PatentPartyFact;
  readonly contractDate: string;
}

export interface LicenceFact {
  readonly licenceId: string;
  readonly licenseeUscc: string;
  readonly kind: LicenceKindFact;
  /** `contract`: a recorded licence contract; `open-licence`: taken under an open licence (ordinary). */
  readonly source: 'contract' | 'open-licence';
  readonly startsOn: string;
  readonly endsOn: string;
}

/** Everything the view knows about one patent. Plain data: stores as JSON. */
export interface PatentTimeline {
  readonly number: string;
  readonly kind: PatentKindFact;
  /** Whether a `PatentListed` was seen (a timeline can start from a transfer or licence). */
  readonly listed: boolean;
  /** Owner before the first transfer: the lister, else the first transfer's `from`. */
  readonly originalOwner: PatentPartyFact | null;
  /** Listing statuses in the order they arrived. */
  readonly statuses: readonly StatusFact[];
  /** In arrival order; one entry per `transferId`. */
  readonly transfers: readonly TransferFact[];
  /** In arrival order; one entry per `licenceId`. */
  readonly licences: readonly LicenceFact[];
}

/** `[from, to)`: `from` null = since before anything the registry recorded; `to` null = still owner. */
export interface OwnerInterval {
  readonly owner: PatentPartyFact;
  readonly from: BusinessDate | null;
  readonly to: BusinessDate | null;
}

/** `[startsOn, endsOn]`, both inclusive. */
export interface LicenceInterval {
  readonly licenceId: string;
  readonly licenseeUscc: string;
  readonly kind: LicenceKindFact;
  readonly source: 'contract' | 'open-licence';
  readonly startsOn: BusinessDate;
  readonly endsOn: BusinessDate;
}

/** What a filing check needs: one patent's timeline by normalised number. */
export interface OwnershipLookup {
  timeline(patentNumber: string): PatentTimeline | undefined;
}

function emptyTimeline(number: string, kind: PatentKindFact): PatentTimeline {
  return { number, kind, listed: false, originalOwner: null, statuses: [], transfers: [], licences: [] };
}

function upsertBy<T>(items: readonly T[], item: T, sameAs: (existing: T) => boolean): readonly T[] {
  const index = items.findIndex(sameAs);
  return index < 0 ? [...items, item] : items.map((existing, i) => (i === index ? item : existing));
}

const assigneeParty = (assignee: CounterpartyFact): PatentPartyFact => ({
  uscc: assignee.uscc,
  name: assignee.name,
  region: assignee.regionCode,
});

/**
 * Folds one registry event into a patent's timeline (pure: returns a new timeline). Redelivered
 * transfers and licences (same id) replace themselves, so applying an event twice changes nothing.
 */
export function foldPatentEvent(timeline: PatentTimeline | undefined, event: RegistryEvent): PatentTimeline {
  const current = timeline ?? emptyTimeline(event.data.number, event.data.kind);
  switch (event.type) {
    case 'PatentListed': {
      const d = event.data;
      // Re-listing updates the listing; ownership only moves by transfer.
      const status: StatusFact = { status: d.status, since: d.listedOn };
      const statuses = current.statuses.some((s) => s.status === status.status && s.since === status.since)
        ? current.statuses
        : [...current.statuses, status];
      return { ...current, kind: d.kind, listed: true, originalOwner: current.originalOwner ?? d.owner, statuses };
    }
    case 'PatentTransferred': {
      const d = event.data;
      const transfer: TransferFact = {
        transferId: d.transferId,
        from: d.from,
        assignee: assigneeParty(d.assignee),
        contractDate: d.contractDate,
      };
      return {
        ...current,
        kind: d.kind,
        originalOwner: current.originalOwner ?? d.from,
        transfers: upsertBy(current.transfers, transfer, (t) => t.transferId === d.transferId),
      };
    }
    case 'LicenceRecorded': {
      const d = event.data;
      const licence: LicenceFact = {
        licenceId: d.licenceId,
        licenseeUscc: d.licensee.uscc,
        kind: d.licenceKind,
        source: 'contract',
        startsOn: d.startsOn,
        endsOn: d.endsOn,
      };
      return {
        ...current,
        kind: d.kind,
        licences: upsertBy(current.licences, licence, (l) => l.licenceId === d.licenceId),
      };
    }
    case 'OpenLicenceTaken': {
      const d = event.data;
      const licence: LicenceFact = {
        licenceId: d.licenceId,
        licenseeUscc: d.licensee.uscc,
        kind: 'ordinary',
        source: 'open-licence',
        startsOn: d.takenOn,
        endsOn: d.endsOn,
      };
      return {
        ...current,
        kind: d.kind,
        licences: upsertBy(current.licences, licence, (l) => l.licenceId === d.licenceId),
      };
    }
    case 'OpenLicenceDeclared':
    case 'OpenLicenceWithdrawn':
      return current;
  }
}

/**
 * Owners over time, oldest first, by contract date: the original owner until the first transfer,
 * each assignee from its contract date until the next one. Transfers with the same contract date
 * keep their arrival order (the later one owns from that day).
 */
export function ownerIntervals(timeline: PatentTimeline): OwnerInterval[] {
  const transfers = timeline.transfers
    .map((t, arrival) => ({ t, arrival, on: BusinessDate.parse(t.contractDate) }))
    .sort((a, b) => a.on.compare(b.on) || a.arrival - b.arrival);
  const intervals: OwnerInterval[] = [];
  let owner = timeline.originalOwner;
  let from: BusinessDate | null = null;
  for (const { t, on } of transfers) {
    if (owner !== null) intervals.push({ owner, from, to: on });
    owner = t.assignee;
    from = on;
  }
  if (owner !== null) intervals.push({ owner, from, to: null });
  return intervals;
}

/** Licences of the patent, optionally only those of one licensee. */
export function licenceIntervals(timeline: PatentTimeline, licenseeUscc?: string): LicenceInterval[] {
  return timeline.licences
    .filter((l) => licenseeUscc === undefined || l.licenseeUscc === licenseeUscc)
    .map((l) => ({
      licenceId: l.licenceId,
      licenseeUscc: l.licenseeUscc,
      kind: l.kind,
      source: l.source,
      startsOn: BusinessDate.parse(l.startsOn),
      endsOn: BusinessDate.parse(l.endsOn),
    }));
}

export function ownerOn(timeline: PatentTimeline, on: BusinessDate): PatentPartyFact | null {
  const interval = ownerIntervals(timeline).find(
    (i) => (i.from === null || !on.isBefore(i.from)) && (i.to === null || on.isBefore(i.to)),
  );
  return interval?.owner ?? null;
}

/**
 * The listing status on a day: the latest status listed on or before it; before the first
 * listing, the first status listed (the patent existed before it was catalogued). `null` when
 * the patent was never listed.
 */
export function statusOn(timeline: PatentTimeline, on: BusinessDate): 'valid' | 'lapsed' | null {
  if (timeline.statuses.length === 0) return null;
  const known = timeline.statuses
    .map((s, arrival) => ({ s, arrival, since: BusinessDate.parse(s.since) }))
    .filter((x) => !x.since.isAfter(on))
    .sort((a, b) => a.since.compare(b.since) || a.arrival - b.arrival);
  return known.length > 0 ? known[known.length - 1].s.status : timeline.statuses[0].status;
}

/** The ownership view of every patent seen on the stream: an in-memory projection of timelines. */
export class OwnershipView implements OwnershipLookup {
  private readonly timelines = new Map<string, PatentTimeline>();

  static fromEvents(events: Iterable<RegistryEvent>): OwnershipView {
    const view = new OwnershipView();
    for (const event of events) view.apply(event);
    return view;
  }

  apply(event: RegistryEvent): this {
    const number = event.data.number;
    const timeline = this.timelines.get(number);
    // A declaration alone says nothing about who holds the patent: no timeline for it.
    if (timeline === undefined && (event.type === 'OpenLicenceDeclared' || event.type === 'OpenLicenceWithdrawn'))
      return this;
    this.timelines.set(number, foldPatentEvent(timeline, event));
    return this;
  }

  timeline(patentNumber: string): PatentTimeline | undefined {
    return this.timelines.get(patentNumber);
  }

  get size(): number {
    return this.timelines.size;
  }
}
