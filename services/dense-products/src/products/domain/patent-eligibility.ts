import { BusinessDate, accepted, parsePatentNumber, refused, shanghaiStartOfDay, type Validated } from '@ipfin/kernel';
import {
  licenceIntervals,
  ownerIntervals,
  statusOn,
  type LicenceKindFact,
  type OwnershipLookup,
  type PatentTimeline,
} from '../../ownership/domain/ownership-view';
import { PatentsNotEligible, type IneligiblePatent } from './product.errors';

/*
 * Program 4: a patent-intensive product is covered by invention patents the enterprise owns or is
 * licensed, as the registry's events show. Each patent is judged on the filing date: a patent
 * transferred away (or lapsed) after the product was filed does not undo the filing.
 */

export type PatentFilingRefusal =
  /** Not a valid invention patent number (utility model, design, malformed or wrong check character). PCT inventions count. */
  | 'not-invention'
  /** The registry has never mentioned the patent. */
  | 'unknown-patent'
  /** The registry lists the patent as lapsed on the filing date. */
  | 'patent-lapsed'
  /** Neither owned by nor licensed to the enterprise on the filing date (including: owned only from a later date). */
  | 'not-owned-or-licensed';

export const PATENT_FILING_REFUSALS: readonly PatentFilingRefusal[] = [
  'not-invention',
  'unknown-patent',
  'patent-lapsed',
  'not-owned-or-licensed',
];

/** Why the enterprise may use the patent. */
export type PatentHolding =
  | { readonly number: string; readonly basis: 'owner' }
  | {
      readonly number: string;
      readonly basis: 'licence';
      readonly licenceId: string;
      readonly licenceKind: LicenceKindFact;
      readonly source: 'contract' | 'open-licence';
    };

export type PatentFilingCheck = Validated<PatentHolding, PatentFilingRefusal>;

function hasAnyFact(timeline: PatentTimeline): boolean {
  return timeline.listed || timeline.transfers.length > 0 || timeline.licences.length > 0;
}

/**
 * Whether `patentNumber` may support a product filed by `enterpriseUscc` on `filedOn`: it must be
 * a valid invention patent (type 1, or 8 for a PCT invention), known to the registry, not lapsed,
 * and on `filedOn` owned by the enterprise (owner interval `[from, to)` by contract date) or
 * licensed to it under any licence kind, ordinary and open-licence takings included
 * (`[startsOn, endsOn]`).
 */
export function checkPatentForFiling(
  view: OwnershipLookup,
  patentNumber: string,
  enterpriseUscc: string,
  filedOn: BusinessDate | string,
): PatentFilingCheck {
  const day = BusinessDate.from(filedOn);
  // The number's year may not be later than the year after the filing date.
  const parsed = parsePatentNumber(patentNumber, shanghaiStartOfDay(day));
  if (!parsed.ok) return refused('not-invention', `${patentNumber} is not a valid patent number: ${parsed.message}`);
  const number = parsed.value.normalized;
  if (parsed.value.type !== 'invention') {
    return refused(
      'not-invention',
      `${number} is a ${parsed.value.type === 'utility_model' ? 'utility model' : 'design'}; only invention patents support a patent-intensive product.`,
    );
  }

  const timeline = view.timeline(number);
  if (timeline === undefined || !hasAnyFact(timeline))
    return refused('unknown-patent', `The patent registry has no record of ${number}.`);
  if (statusOn(timeline, day) === 'lapsed')
    return refused('patent-lapsed', `${number} is lapsed on ${day.toString()}.`);

  const owned = ownerIntervals(timeline).filter((i) => i.owner.uscc === enterpriseUscc);
  if (owned.some((i) => (i.from === null || !day.isBefore(i.from)) && (i.to === null || day.isBefore(i.to)))) {
    return accepted({ number, basis: 'owner' });
  }
  const licence = licenceIntervals(timeline, enterpriseUscc).find((l) => day.isWithin(l.startsOn, l.endsOn));
  if (licence !== undefined) {
    return accepted({
      number,
      basis: 'licence',
      licenceId: licence.licenceId,
      licenceKind: licence.kind,
      source: licence.source,
    });
  }

  const ownedFrom = owned.map((i) => i.from).find((from) => from !== null && from.isAfter(day)) ?? null;
  const licensedFrom =
    licenceIntervals(timeline, enterpriseUscc)
      .map((l) => l.startsOn)
      .find((from) => from.isAfter(day)) ?? null;
  const later =
    ownedFrom !== null
      ? ` (owned by it only from ${ownedFrom.toString()})`
      : licensedFrom !== null
        ? ` (licensed to it only from ${licensedFrom.toString()})`
        : '';
  return refused(
    'not-owned-or-licensed',
    `${number} is neither owned by nor licensed to ${enterpriseUscc} on ${day.toString()}${later}.`,
  );
}

export type PatentsFilingCheck =
  | { readonly ok: true; readonly holdings: readonly PatentHolding[] }
  | { readonly ok: false; readonly ineligible: readonly IneligiblePatent[] };

/** Checks every patent of a filing; reports all failures, not just the first. */
export function checkPatentsForFiling(
  view: OwnershipLookup,
  patentNumbers: readonly string[],
  enterpriseUscc: string,
  filedOn: BusinessDate | string,
): PatentsFilingCheck {
  const holdings: PatentHolding[] = [];
  const ineligible: IneligiblePatent[] = [];
  patentNumbers.forEach((number, index) => {
    const check = checkPatentForFiling(view, number, enterpriseUscc, filedOn);
    if (check.ok) holdings.push(check.value);
    else ineligible.push({ index, number, reason: check.reason, message: check.message });
  });
  return ineligible.length === 0 ? { ok: true, holdings } : { ok: false, ineligible };
}

/** Like `checkPatentsForFiling`, throwing one `patents-not-eligible` (422) naming each failing patent. */
export function assertPatentsEligible(
  view: OwnershipLookup,
  patentNumbers: readonly string[],
  enterpriseUscc: string,
  filedOn: BusinessDate | string,
): readonly PatentHolding[] {
  const check = checkPatentsForFiling(view, patentNumbers, enterpriseUscc, filedOn);
  if (!check.ok) throw new PatentsNotEligible(check.ineligible);
  return check.holdings;
}
