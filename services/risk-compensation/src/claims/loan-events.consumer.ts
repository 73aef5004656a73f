import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LOAN_EVENT_TYPES, TOPICS, type EventEnvelope, type LoanEventType } from '@ipfin/contracts';
import { CLOCK } from '@ipfin/http';
import { shanghaiToday, type Clock } from '@ipfin/kernel';
import { Outbox, UnappliableEvent, type ConsumedEvent, type EventBatchHandler } from '@ipfin/messaging';
import { eventRegions, riskOutboxMessages } from '../common/risk-outbox';
import type { FundPolicy } from '../funds/domain/fund-policy';
import type { RiskEvent } from '../funds/domain/risk-event';
import { FundLedgerRepository } from '../funds/fund-ledger.repository';
import { PolicyRepository } from '../funds/policy.repository';
import { ClaimRepository } from './claim.repository';
import { loanKey } from './covered-loan.codec';
import { CoveredLoanRepository, type LoanId } from './covered-loan.repository';
import { withdrawUnsupportedClaim, type RejectedClaim } from './domain/claim';
import {
  applyLoanEvent, LoanViewConflict, mayWithdrawClaims, type CoveredLoan, type FixedTerms, type LoanEventMessage, type LoanFold,
} from './domain/covered-loan';

export const LOANS_CONSUMER_GROUP = 'risk-compensation.loans';

const CE_TYPE = /^ipfin\.loans\.([A-Za-z]+)\.v1$/;
const isLoanEventType = (name: string): name is LoanEventType => (LOAN_EVENT_TYPES as readonly string[]).includes(name);

/** The domain's view of a validated `ipfin.loans.v1` envelope; null for a type this version does not know. */
export function loanEventMessage(envelope: EventEnvelope): LoanEventMessage | null {
  const name = CE_TYPE.exec(envelope.type)?.[1];
  if (name === undefined || !isLoanEventType(name)) return null;
  // The validating consumer has checked `data` against the contract of `ce_type`.
  return { type: name, data: envelope.data } as LoanEventMessage;
}

/**
 * Keeps the coverage view (`covered_loans`) from `ipfin.loans.v1` and publishes `LoanCovered` on
 * `ipfin.risk.v1` in the same transaction as the inbox record. A batch is a handful of statements
 * whatever its size: the shared policy lock, one read of the loans it names, one read of the
 * policies (only when it registers loans), one upsert and one delete of views, the fund rows of the
 * events' keys, one outbox insert. An event that contradicts the view (`LoanViewConflict`), or needs
 * an earlier event the view never applied (`OrphanLoanEvent`: any event of a loan whose registration
 * was dead-lettered, a reversal of an event the view does not hold), fails the batch as an
 * `UnappliableEvent`: the validating consumer dead-letters that event at once, with the reason,
 * and applies the others.
 *
 * A batch that reverses a default or a registration also withdraws the waiting claims the loan
 * events no longer support (`withdrawUnsupportedClaim`): it locks the fund rows of those loans first
 * — the lock every approval and payout holds — then reads their waiting claims, rejects the
 * unsupported ones and publishes `ClaimRejected`. An approval or payout that got the lock first has
 * committed by then (a claim it paid stays paid); one that comes after reads the corrected loan
 * (approval re-checks it) or no longer finds the claim in the queue. So a payout and a reversal
 * never both win.
 */
@Injectable()
export class LoanEventsConsumer implements EventBatchHandler {
  readonly groupId = LOANS_CONSUMER_GROUP;
  readonly topics = [TOPICS.loans];

  constructor(
    private readonly loans: CoveredLoanRepository,
    private readonly policies: PolicyRepository,
    private readonly funds: FundLedgerRepository,
    private readonly claims: ClaimRepository,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async handle(events: ConsumedEvent[], manager: EntityManager): Promise<void> {
    const batch = await foldCoverageBatch(events, manager, { loans: this.loans, policies: this.policies });
    if (batch === null) return;
    const { before, ids, published, lowered } = batch;

    const locked = new Set<string>();
    if (lowered.size > 0) {
      const withdrawn = await this.withdrawClaims(manager, lowered, before, ids, eventRegions(published), locked);
      await this.claims.save(manager, withdrawn.claims);
      published.push(...withdrawn.events);
    }

    await saveCoverageBatch(manager, this.loans, batch);
    if (published.length > 0) {
      const unlocked = eventRegions(published).filter((r) => !locked.has(r));
      await this.funds.lockMany(manager, unlocked);
      await this.outbox.enqueue(manager, riskOutboxMessages(published, this.clock.now()));
    }
  }

  /**
   * The waiting claims of the `lowered` loans that the loan events no longer support, rejected.
   * Locks, in region order and before reading the claims, the fund rows of the loans' regions and of
   * `eventRegions` (the batch's other events), and records them in `locked`. A waiting claim's fund
   * is its loan's (approval requires it and a loan with a waiting claim is never re-judged); should
   * one differ, its fund row is locked too before the claim is touched.
   */
  private async withdrawClaims(
    manager: EntityManager,
    lowered: ReadonlyMap<string, readonly (CoveredLoan | null)[]>,
    before: ReadonlyMap<string, CoveredLoan>,
    ids: ReadonlyMap<string, LoanId>,
    eventRegions: readonly string[],
    locked: Set<string>,
  ): Promise<{ claims: RejectedClaim[]; events: RiskEvent[] }> {
    const lock = async (regions: Iterable<string>): Promise<void> => {
      const fresh = [...new Set(regions)].filter((r) => !locked.has(r));
      await this.funds.lockMany(manager, fresh);
      for (const r of fresh) locked.add(r);
    };
    const loanRegions = [...lowered].flatMap(([key, views]) =>
      [before.get(key), ...views].flatMap((l) => (l?.region == null ? [] : [l.region])),
    );
    await lock([...loanRegions, ...eventRegions]);
    const waiting = await this.claims.waitingOfLoans(manager, [...lowered.keys()].map((key) => ids.get(key) as LoanId));
    if (waiting.length === 0) return { claims: [], events: [] };
    await lock(waiting.map((c) => c.region));
    const today = shanghaiToday(this.clock).toString();
    const claims: RejectedClaim[] = [];
    const events: RiskEvent[] = [];
    for (const claim of waiting) {
      const withdrawal = withdrawUnsupportedClaim(claim, lowered.get(loanKey(claim.bank, claim.loanRef)) ?? [], today);
      if (withdrawal === null) continue;
      claims.push(withdrawal.claim);
      events.push(withdrawal.event);
    }
    return { claims, events };
  }
}

/** One batch folded into the coverage view, not yet written. */
export interface CoverageBatch {
  /** The stored views of the loans the batch names, keyed by `loanKey`. */
  readonly before: ReadonlyMap<string, CoveredLoan>;
  /** Their views after the batch (null: registration reversed). */
  readonly view: ReadonlyMap<string, CoveredLoan | null>;
  readonly ids: ReadonlyMap<string, LoanId>;
  /** The `LoanCovered` the batch announces, in order (the service publishes them; a rebuild does not). */
  readonly published: RiskEvent[];
  /** Per loan: its view after each event that took loss from it, in stream order (claim withdrawal). */
  readonly lowered: ReadonlyMap<string, readonly (CoveredLoan | null)[]>;
}

/**
 * The coverage view's fold of a batch, shared by the service's consumer (`LoanEventsConsumer`) and
 * the rebuild (`CoverageReplay`): the shared policy lock, one read of the loans the batch names, one
 * read of the policies (only when it registers loans), then every event in stream order through
 * `applyLoanEvent`. `fixedTerms` (a rebuild): coverage that claims fixed. Null when the batch has no
 * loan event this version knows.
 */
export async function foldCoverageBatch(
  events: readonly ConsumedEvent[],
  manager: EntityManager,
  repos: { readonly loans: CoveredLoanRepository; readonly policies: PolicyRepository },
  fixedTerms?: FixedTerms,
): Promise<CoverageBatch | null> {
  const consumed = events.flatMap((event) => {
    const message = loanEventMessage(event.envelope);
    return message === null ? [] : [{ event, message }];
  });
  if (consumed.length === 0) return null;
  const messages = consumed.map((c) => c.message);
  await repos.policies.lockShared(manager);

  const ids = new Map<string, LoanId>();
  for (const { data } of messages) ids.set(loanKey(data.bank, data.loanRef), { bank: data.bank, loanRef: data.loanRef });
  const before = await repos.loans.load(manager, [...ids.values()]);
  const policies: FundPolicy[] = messages.some((msg) => msg.type === 'LoanRegistered')
    ? await repos.policies.all(manager)
    : [];

  const view = new Map<string, CoveredLoan | null>(before);
  const published: RiskEvent[] = [];
  const lowered = new Map<string, (CoveredLoan | null)[]>();
  for (const { event, message } of consumed) {
    const key = loanKey(message.data.bank, message.data.loanRef);
    const fold = foldOne(event, () => applyLoanEvent(view.get(key) ?? null, message, policies, fixedTerms));
    view.set(key, fold.loan);
    published.push(...fold.events);
    if (mayWithdrawClaims(message)) lowered.set(key, [...(lowered.get(key) ?? []), fold.loan]);
  }
  return { before, view, ids, published, lowered };
}

/** Writes a folded batch's views: one delete (reversed registrations) and one upsert. */
export async function saveCoverageBatch(manager: EntityManager, loans: CoveredLoanRepository, batch: CoverageBatch): Promise<void> {
  const saved: CoveredLoan[] = [];
  const removed: LoanId[] = [];
  for (const [key, loan] of batch.view) {
    if (loan === batch.before.get(key)) continue;
    if (loan !== null) saved.push(loan);
    else if (batch.before.has(key)) removed.push(batch.ids.get(key) as LoanId);
  }
  await loans.remove(manager, removed);
  await loans.save(manager, saved);
}

/** The fold of one event; a conflict or orphan becomes the consumer's `UnappliableEvent` for that event. */
function foldOne(event: ConsumedEvent, fold: () => LoanFold): LoanFold {
  try {
    return fold();
  } catch (error) {
    if (error instanceof LoanViewConflict) throw new UnappliableEvent(event, error.message);
    throw error;
  }
}
