import {
  EventReversedV1, LoanDefaultedV1, LoanDisbursedV1, LoanRegisteredV1, RepaymentReceivedV1, isSme, type BorrowerSize,
  type RightKind,
} from '@ipfin/contracts';
import { Money } from '@ipfin/kernel';
import { OrphanEvent } from '../common/orphan-event';
import { DeltaBag, MEASURES } from '../counters/deltas';

/**
 * Folds loan events into additive deltas of the financing facts. Everything here is a pure
 * function of the events, the loans' dimensions and (for the defaulted loans) their stored
 * defaults by day, so the consumer can fold a whole batch in memory and write one upsert per
 * touched key.
 */

/** What metrics remembers of a loan to attribute its later events. */
export interface LoanDimension {
  bank: string;
  loanRef: string;
  borrowerUscc: string;
  borrowerSize: BorrowerSize;
  region: string;
  registeredOn: string;
  principalFen: bigint;
  /** `patent` when at least one patent is pledged, else `trademark`. */
  rightKind: RightKind;
  inclusive: boolean;
  agencyId: string | null;
  live: boolean;
}

export interface FactKey {
  day: string;
  region: string;
  bank: string;
  rightKind: RightKind;
  borrowerSize: BorrowerSize;
}

export interface FactDelta {
  loans: number;
  inclusiveLoans: number;
  contractedFen: bigint;
  disbursedFen: bigint;
  repaidFen: bigint;
  lossFen: bigint;
  /**
   * Change in defaulted loans: a loan counts once, on its earliest live default day
   * (`addDefaultedLoans`), not once per `LoanDefaulted`.
   */
  defaults: number;
}

/** A (possibly negative) change in how many of a borrower's loans count on a day. */
export interface BorrowerDelta extends FactKey {
  borrowerUscc: string;
  loans: number;
}

/** A change of a loan's defaults of a day (a default, or its reversal): their principal loss and how many. */
export interface LossDelta {
  bank: string;
  loanRef: string;
  day: string;
  lossFen: bigint;
  /** Change in how many of the loan's `LoanDefaulted` of that day are live (not reversed). */
  defaults: number;
}

/** What metrics keeps of a loan's defaults of one day (a `loan_loss` row). */
export interface LoanDefaultDay {
  day: string;
  lossFen: bigint;
  /** Live defaults of the day; rows written before this count existed have 1 per day with a loss. */
  defaults: number;
}

export interface FoldedBatch {
  facts: Map<string, { key: FactKey; delta: FactDelta }>;
  borrowers: Map<string, BorrowerDelta>;
  dimensions: Map<string, LoanDimension>;
  /** Generic facts: the borrowers each agency served with inclusive loans (all, and those pledging a patent). */
  bag: DeltaBag;
  /**
   * Per loan and day: the losses (for the covered-loss facts of the risk fund) and the defaults
   * (for the loan's default day, `addDefaultedLoans`).
   */
  losses: Map<string, LossDelta>;
}

export type LoanEventForFold = { ceType: string; data: unknown };

const emptyDelta = (): FactDelta => ({
  loans: 0, inclusiveLoans: 0, contractedFen: 0n, disbursedFen: 0n, repaidFen: 0n, lossFen: 0n, defaults: 0,
});

export const loanId = (bank: string, loanRef: string): string => `${bank}:${loanRef}`;

const factId = (k: FactKey): string => `${k.day}|${k.region}|${k.bank}|${k.rightKind}|${k.borrowerSize}`;

export function dimensionOf(e: LoanRegisteredV1): LoanDimension {
  return {
    bank: e.bank,
    loanRef: e.loanRef,
    borrowerUscc: e.borrower.uscc,
    borrowerSize: e.borrower.size,
    region: e.borrower.regionCode,
    registeredOn: e.occurredOn,
    principalFen: Money.parse(e.principal).fen,
    rightKind: e.pledge.rights.some((r) => r.kind === 'patent') ? 'patent' : 'trademark',
    inclusive: e.inclusive,
    agencyId: e.agencyId ?? null,
    live: true,
  };
}

const typeName = (ceType: string): string => ceType.split('.')[2] ?? '';

function addFactTo(facts: FoldedBatch['facts'], d: LoanDimension, day: string, change: Partial<FactDelta>, sign: 1 | -1): void {
  const key: FactKey = { day, region: d.region, bank: d.bank, rightKind: d.rightKind, borrowerSize: d.borrowerSize };
  const id = factId(key);
  const entry = facts.get(id) ?? { key, delta: emptyDelta() };
  const s = BigInt(sign);
  entry.delta.loans += (change.loans ?? 0) * sign;
  entry.delta.inclusiveLoans += (change.inclusiveLoans ?? 0) * sign;
  entry.delta.defaults += (change.defaults ?? 0) * sign;
  entry.delta.contractedFen += (change.contractedFen ?? 0n) * s;
  entry.delta.disbursedFen += (change.disbursedFen ?? 0n) * s;
  entry.delta.repaidFen += (change.repaidFen ?? 0n) * s;
  entry.delta.lossFen += (change.lossFen ?? 0n) * s;
  facts.set(id, entry);
}

/**
 * @param known dimensions of the loans the batch touches, as stored before the batch
 * @returns the deltas, and the dimensions as they are after the batch (to be upserted)
 * @throws OrphanEvent for the first event (other than a registration) of a loan with no live
 *   registration: metrics keeps every registration, and pledge-loans accepts nothing else for a
 *   loan without one, so its registration was dead-lettered (or never published). Nothing of the
 *   batch may be applied then; the consumer dead-letters that event and folds the others.
 */
export function foldLoanEvents(events: LoanEventForFold[], known: ReadonlyMap<string, LoanDimension>): FoldedBatch {
  const out: FoldedBatch = { facts: new Map(), borrowers: new Map(), dimensions: new Map(), bag: new DeltaBag(), losses: new Map() };
  const dim = (bank: string, loanRef: string): LoanDimension | undefined =>
    out.dimensions.get(loanId(bank, loanRef)) ?? known.get(loanId(bank, loanRef));

  const addFact = (d: LoanDimension, day: string, change: Partial<FactDelta>, sign: 1 | -1): void =>
    addFactTo(out.facts, d, day, change, sign);

  const addBorrower = (d: LoanDimension, sign: 1 | -1): void => {
    if (!isSme(d.borrowerSize)) return;
    const key: FactKey = { day: d.registeredOn, region: d.region, bank: d.bank, rightKind: d.rightKind, borrowerSize: d.borrowerSize };
    const id = `${factId(key)}|${d.borrowerUscc}`;
    const entry = out.borrowers.get(id) ?? { ...key, borrowerUscc: d.borrowerUscc, loans: 0 };
    entry.loans += sign;
    out.borrowers.set(id, entry);
  };

  const addAgencyBorrower = (d: LoanDimension, sign: 1 | -1): void => {
    if (!d.inclusive || d.agencyId === null) return;
    const key = { region: d.region, dim: d.agencyId, day: d.registeredOn, member: d.borrowerUscc };
    out.bag.member({ measure: MEASURES.agencyInclusiveBorrowers, ...key }, sign);
    // The subsidy counts inclusive *patent* pledges only (zhangzhou-2024 §13): a second set.
    if (d.rightKind === 'patent') out.bag.member({ measure: MEASURES.agencyInclusivePatentBorrowers, ...key }, sign);
  };

  const addLoss = (d: LoanDimension, day: string, lossFen: bigint, sign: 1 | -1): void => {
    const id = `${loanId(d.bank, d.loanRef)}|${day}`;
    const entry = out.losses.get(id) ?? { bank: d.bank, loanRef: d.loanRef, day, lossFen: 0n, defaults: 0 };
    entry.lossFen += lossFen * BigInt(sign);
    entry.defaults += sign;
    out.losses.set(id, entry);
  };

  /** Applies (sign 1) or undoes (sign -1) one event's effect on the facts of loan `d`. */
  const apply = (type: string, data: Record<string, unknown>, d: LoanDimension, sign: 1 | -1): void => {
    const occurredOn = data.occurredOn as string;
    switch (type) {
      case 'LoanRegistered':
        addFact(d, d.registeredOn, { loans: 1, inclusiveLoans: d.inclusive ? 1 : 0, contractedFen: d.principalFen }, sign);
        addBorrower(d, sign);
        addAgencyBorrower(d, sign);
        out.dimensions.set(loanId(d.bank, d.loanRef), { ...d, live: sign === 1 });
        return;
      case 'LoanDisbursed':
        addFact(d, occurredOn, { disbursedFen: Money.parse((data as unknown as LoanDisbursedV1).amount).fen }, sign);
        return;
      case 'RepaymentReceived':
        addFact(d, occurredOn, { repaidFen: Money.parse((data as unknown as RepaymentReceivedV1).principal).fen }, sign);
        return;
      case 'LoanDefaulted': {
        const lossFen = Money.parse((data as unknown as LoanDefaultedV1).principalLoss).fen;
        // Every loss counts on its own day; the loan's `defaults` follow its earliest live
        // default day, which needs the loan's other defaults (`addDefaultedLoans`).
        addFact(d, occurredOn, { lossFen }, sign);
        addLoss(d, occurredOn, lossFen, sign);
        return;
      }
      default:
        return; // LoanOverdue and LoanSettled change no financing figure.
    }
  };

  events.forEach((event, index) => {
    const type = typeName(event.ceType);
    const data = event.data as Record<string, unknown>;
    if (type === 'LoanRegistered') {
      apply(type, data, dimensionOf(data as unknown as LoanRegisteredV1), 1);
      return;
    }
    const bank = data.bank as string;
    const loanRef = data.loanRef as string;
    const d = dim(bank, loanRef);
    if (!d?.live) {
      throw new OrphanEvent(
        index,
        `orphan: no LoanRegistered for ${loanId(bank, loanRef)} was applied (dead-lettered or never published)`,
      );
    }
    if (type === 'EventReversed') {
      const reversal = data as unknown as EventReversedV1;
      apply(reversal.reversedType, reversal.reversed, d, -1);
    } else {
      apply(type, data, d, 1);
    }
  });
  return out;
}

/** Whether a loan's day still holds a live default (a zero-loss one too, by its count). */
const live = (day: LoanDefaultDay): boolean => day.defaults > 0 || day.lossFen > 0n;

/**
 * The day a loan counts as defaulted: its earliest day with a live (not reversed) default, the
 * date pledge-loans reports as `defaultedOn`; null when none is left.
 */
export function defaultedOn(days: Iterable<LoanDefaultDay>): string | null {
  let first: string | null = null;
  for (const d of days) if (live(d) && (first === null || d.day < first)) first = d.day;
  return first;
}

/**
 * Counts each loan the batch defaulted (or un-defaulted) once, in the facts of its default day:
 * the earliest live default day after the batch instead of the one before it (`before`: the
 * loan's `loan_loss` rows as stored before the batch, read under the coverage lock). A second
 * default of a loan moves nothing unless it is earlier; reversing the earliest moves the count to
 * the next earliest left, or removes it. The loan's dimensions as elsewhere in the fold.
 */
export function addDefaultedLoans(
  out: FoldedBatch, before: ReadonlyMap<string, readonly LoanDefaultDay[]>, known: ReadonlyMap<string, LoanDimension>,
): void {
  const changes = new Map<string, LossDelta[]>();
  for (const l of out.losses.values()) {
    const id = loanId(l.bank, l.loanRef);
    changes.set(id, [...(changes.get(id) ?? []), l]);
  }
  for (const [id, deltas] of changes) {
    const d = out.dimensions.get(id) ?? known.get(id);
    if (!d) continue;
    const stored = before.get(id) ?? [];
    const after = new Map<string, LoanDefaultDay>(stored.map((s) => [s.day, { ...s }]));
    for (const delta of deltas) {
      const day = after.get(delta.day) ?? { day: delta.day, lossFen: 0n, defaults: 0 };
      after.set(delta.day, { day: delta.day, lossFen: day.lossFen + delta.lossFen, defaults: day.defaults + delta.defaults });
    }
    const was = defaultedOn(stored);
    const is = defaultedOn(after.values());
    if (was === is) continue;
    if (was !== null) addFactTo(out.facts, d, was, { defaults: 1 }, -1);
    if (is !== null) addFactTo(out.facts, d, is, { defaults: 1 }, 1);
  }
}
