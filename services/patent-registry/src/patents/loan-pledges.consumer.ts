import { Injectable } from '@nestjs/common';
import { TOPICS } from '@ipfin/contracts';
import { UnappliableEvent, type ConsumedEvent, type EventBatchHandler } from '@ipfin/messaging';
import type { EntityManager } from 'typeorm';
import {
  applyLoanEvent, OrphanLoanEvent, pledgeLoanKey, type LoanEventEffect, type LoanPledge, type LoanStreamEvent, type PledgeIndex,
} from './domain';
import { PledgeRepository } from './pledge.repository';

/** Consumer group (and inbox name) of the registry's pledge view. */
export const LOAN_PLEDGES_GROUP = 'patent-registry.loans';

const LOAN_CE_TYPE = /^ipfin\.loans\.([A-Za-z]+)\.v1$/;
const STREAM_TYPES: ReadonlySet<string> = new Set([
  'LoanRegistered', 'LoanDisbursed', 'RepaymentReceived', 'LoanOverdue', 'LoanDefaulted', 'LoanSettled', 'EventReversed',
]);

/** The loan event as the domain folds it; `undefined` for a type this version does not know. */
export function loanStreamEvent(event: ConsumedEvent): LoanStreamEvent | undefined {
  const name = LOAN_CE_TYPE.exec(event.envelope.type)?.[1];
  if (name === undefined || !STREAM_TYPES.has(name)) return undefined;
  // The consumer validated `data` against the contract of its `ce_type` before handing it over.
  return { type: name, data: event.envelope.data } as LoanStreamEvent;
}

const sameEntry = (a: LoanPledge | null, b: LoanPledge | null): boolean =>
  a === null || b === null
    ? a === b
    : a.settled === b.settled && a.patents.length === b.patents.length && a.patents.every((n, i) => n === b.patents[i]);

/**
 * Maintains the pledge locks from `ipfin.loans.v1` (domain `applyLoanEvent`): a patent in a
 * registered, unsettled loan is pledged, listed or not; settlement or reversal of the
 * registration releases it (a reversed settlement locks again). Per batch: one read of the loans
 * involved, the fold in memory, then one statement per table for the loans that changed. The
 * listed patents whose locks move are row-locked first, so a transfer or licence deciding on the
 * same patent runs entirely before or after.
 *
 * Every registered loan is kept (a trademark-only one with no patents), so an event of a loan the
 * view does not know is an orphan — its registration was dead-lettered or never published — and
 * fails the batch as an `UnappliableEvent`: the validating consumer dead-letters it at once, with
 * the reason, and applies the others. On a registry upgraded with loans folded before trademark-only
 * loans were kept (`pledge_view_state.all_loans_known` false, read only when an unknown loan shows
 * up), only a reversed registration that pledged a patent is an orphan.
 */
@Injectable()
export class LoanPledgesConsumer implements EventBatchHandler {
  readonly groupId = LOAN_PLEDGES_GROUP;
  readonly topics = [TOPICS.loans];

  constructor(private readonly pledges: PledgeRepository) {}

  async handle(events: ConsumedEvent[], manager: EntityManager): Promise<void> {
    const stream = events.flatMap((consumed) => {
      const e = loanStreamEvent(consumed);
      return e === undefined ? [] : [{ consumed, e }];
    });
    if (stream.length === 0) return;
    const touched = new Map<string, { bank: string; loanRef: string }>();
    for (const { e } of stream) touched.set(pledgeLoanKey(e.data.bank, e.data.loanRef), { bank: e.data.bank, loanRef: e.data.loanRef });

    const known = await this.pledges.loadLoans(manager, [...touched.values()]);
    const before = new Map<string, LoanPledge>(known.map((l) => [pledgeLoanKey(l.bank, l.loanRef), l]));
    let index: PledgeIndex = { loans: before, byPatent: byPatentOf(known) };
    let allLoansKnown: boolean | undefined;
    for (const { consumed, e } of stream) {
      let effect: LoanEventEffect;
      try {
        effect = applyLoanEvent(index, e, { allLoansKnown: allLoansKnown ?? true });
      } catch (error) {
        if (!(error instanceof OrphanLoanEvent)) throw error;
        allLoansKnown ??= await this.pledges.allLoansKnown(manager);
        if (allLoansKnown) throw new UnappliableEvent(consumed, error.message);
        try {
          effect = applyLoanEvent(index, e, { allLoansKnown });
        } catch (provable) {
          if (provable instanceof OrphanLoanEvent) throw new UnappliableEvent(consumed, provable.message);
          throw provable;
        }
      }
      index = effect.index;
    }

    const changed = [...touched.entries()]
      .map(([key, loan]) => ({ ...loan, previous: before.get(key) ?? null, entry: index.loans.get(key) ?? null }))
      .filter((l) => !sameEntry(l.previous, l.entry));
    if (changed.length === 0) return;

    const patents = new Set(changed.flatMap((l) => [...(l.previous?.patents ?? []), ...(l.entry?.patents ?? [])]));
    await this.pledges.lockPatents(manager, [...patents]);
    await this.pledges.saveLoans(manager, changed);
    const locks = changed.flatMap((l) =>
      l.entry === null || l.entry.settled ? [] : l.entry.patents.map((number) => ({ number, bank: l.bank, loanRef: l.loanRef })),
    );
    await this.pledges.replacePledges(manager, changed, locks);
  }
}

function byPatentOf(loans: readonly LoanPledge[]): Map<string, Set<string>> {
  const byPatent = new Map<string, Set<string>>();
  for (const loan of loans) {
    if (loan.settled) continue;
    for (const number of loan.patents) {
      byPatent.set(number, new Set(byPatent.get(number)).add(pledgeLoanKey(loan.bank, loan.loanRef)));
    }
  }
  return byPatent;
}
