/**
 * What a fold produces for the generic fact tables: additive changes of counters (a count and an
 * amount per measure × region × dimension × day) and of exact member sets (for distinct counts).
 * Pure; the repository writes each touched key once per batch, in the daily table and its
 * monthly roll-up.
 */

export interface CounterKey {
  /** What is counted, e.g. `patents.transfers` (see `MEASURES`). */
  measure: string;
  /** 6-digit region code the fact counts in. */
  region: string;
  /** A breakdown within the measure (an agency, a university, an enterprise), `''` for none. */
  dim: string;
  /** The business date the fact is dated by (`YYYY-MM-DD`). */
  day: string;
}

export interface CounterDelta extends CounterKey {
  n: number;
  amountFen: bigint;
}

export interface MemberKey extends CounterKey {
  /** The member of the set (a borrower's USCC…). */
  member: string;
}

export interface MemberDelta extends MemberKey {
  /** Change in how many facts put the member in the set; the member counts while above zero. */
  n: number;
}

const counterId = (k: CounterKey): string => `${k.measure}|${k.region}|${k.dim}|${k.day}`;
const memberId = (k: MemberKey): string => `${counterId(k)}|${k.member}`;

/** Accumulates a batch's changes, merging those of the same key. */
export class DeltaBag {
  readonly counters = new Map<string, CounterDelta>();
  readonly members = new Map<string, MemberDelta>();

  count(key: CounterKey, n: number, amountFen: bigint = 0n): void {
    const id = counterId(key);
    const entry = this.counters.get(id) ?? { measure: key.measure, region: key.region, dim: key.dim, day: key.day, n: 0, amountFen: 0n };
    entry.n += n;
    entry.amountFen += amountFen;
    this.counters.set(id, entry);
  }

  member(key: MemberKey, n: number): void {
    const id = memberId(key);
    const entry = this.members.get(id) ?? { measure: key.measure, region: key.region, dim: key.dim, day: key.day, member: key.member, n: 0 };
    entry.n += n;
    this.members.set(id, entry);
  }

  /** Non-zero counter changes, in key order (a stable lock order for concurrent writers). */
  counterDeltas(): CounterDelta[] {
    return [...this.counters.values()].filter((c) => c.n !== 0 || c.amountFen !== 0n).sort(byKey);
  }

  memberDeltas(): MemberDelta[] {
    return [...this.members.values()].filter((m) => m.n !== 0).sort((a, b) => byKey(a, b) || cmp(a.member, b.member));
  }
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function byKey(a: CounterKey, b: CounterKey): number {
  return cmp(a.measure, b.measure) || cmp(a.region, b.region) || cmp(a.day, b.day) || cmp(a.dim, b.dim);
}

/** Every measure of the generic fact tables. Stable names: they are stored. */
export const MEASURES = {
  // ipfin.risk.v1, in the fund's region
  capital: 'risk.capital',
  paidOut: 'risk.paid-out',
  bankShare: 'risk.bank-share',
  recoveredToFund: 'risk.recovered-to-fund',
  /** n = claims, by their current status, dated by `filedOn`. */
  claims: (status: ClaimStatus): string => `risk.claims.${status}`,
  /** n = covered loans, amount = their principal, dated by registration. */
  coveredLoans: 'risk.covered-loans',
  /** amount = principal loss of covered loans, dated by the default. */
  coveredLoss: 'risk.covered-loss',
  // ipfin.patents.v1
  /** n = transfers, amount = price; in the assignee's region, by `contractDate`. */
  transfers: 'patents.transfers',
  /** n = recorded licence contracts of a kind, amount = royalty; licensee's region, `contractDate`. */
  licences: (kind: string): string => `patents.licences.${kind}`,
  /** n = transfers and licences with `recordedOn` that day. */
  recordedContracts: 'patents.recorded-contracts',
  /** In the owner's region by `declaredOn`. */
  openLicencesDeclared: 'patents.open-licences-declared',
  /** +1 on the first day a declaration is in force, −1 on the first day it no longer is. */
  openLicencesInForce: 'patents.open-licences-in-force',
  /** In the owner's region by `takenOn`. */
  openLicencesTaken: 'patents.open-licences-taken',
  /** dim = university `sub`: invention patents transferred, in the assignee's region. */
  universityInventionTransfers: 'patents.university-invention-transfers',
  /** dim = agency `sub`: transfers and licences it handled, in the assignee's / licensee's region. */
  agencyDeals: 'patents.agency-deals',
  // ipfin.products.v1, in the enterprise's region; dim = enterprise USCC
  productsFiled: 'products.filed',
  productsRecognised: 'products.recognised',
  productsRejected: 'products.rejected',
  productRewards: 'products.rewards',
  /** dim = agency `sub`: products it filed for enterprises. */
  agencyProductFilings: 'products.agency-filings',
  // ipfin.loans.v1 (member sets)
  /** dim = agency `sub`, member = borrower USCC of an inclusive loan it registered. */
  agencyInclusiveBorrowers: 'loans.agency-inclusive-borrowers',
  /**
   * The same for inclusive loans pledging at least one patent: what the Zhangzhou subsidy (§13,
   * "普惠型专利权质押登记 … 惠及企业不少于5家") is judged on.
   */
  agencyInclusivePatentBorrowers: 'loans.agency-inclusive-patent-borrowers',
} as const;

export const CLAIM_STATUSES = ['filed', 'waiting', 'paid', 'rejected'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
