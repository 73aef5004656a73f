import type { BusinessDate, Money } from '@ipfin/kernel';
import type { Actor, Counterparty } from './patent-vocabulary';
import { counterpartyV1, ownerV1, patentEvent, type PatentEvent } from './patent-events';
import { invalidField, ruleViolation, transferOutOfOrder } from './patent-problems';
import {
  isPledged,
  ownerActingAs,
  requireOwnedBy,
  withoutUndefined,
  type ListedPatentState,
  type PatentOwner,
  type PatentState,
  type Transfer,
} from './patent-state';

/** The new state to store and the events to put in the outbox, in the same transaction. */
export interface PatentDecision {
  readonly state: ListedPatentState;
  readonly events: readonly PatentEvent[];
}

/** `POST /v1/patents/{number}/transfers`, after the DTO; `transferId` is chosen by the service. */
export interface TransferCommand {
  readonly transferId: string;
  readonly assignee: Counterparty;
  readonly price: Money;
  readonly contractDate: BusinessDate;
  readonly recordedOn?: BusinessDate;
  readonly pledgeeConsent?: boolean;
  readonly agencyId?: string;
}

/**
 * Transfers the patent to the assignee.
 *
 * - Only the current owner: `patent-not-found` (404) if not listed, `not-owner` (403) otherwise.
 * - `recordedOn` before `contractDate`: 400 on `recordedOn`.
 * - A lapsed patent cannot be transferred: `patent-lapsed`.
 * - To the owner itself (same USCC): `transfer-to-owner`.
 * - `contractDate` before the contract date of the latest transfer on record:
 *   `transfer-out-of-order` (422 on `contractDate`). Ownership is a line in contract-date order,
 *   the order consumers such as dense-products read it in; the same date is accepted.
 * - Pledged (any registered, unsettled loan) without `pledgeeConsent: true`: `patent-pledged`. With
 *   consent the pledge stays on the patent: it follows the right, not the owner.
 * - Licences, exclusive ones included, survive the transfer (a licence contract binds the
 *   assignee, 买卖不破租赁 applied to licences), and so does a declared open licence: the assignee
 *   takes the patent as published and may withdraw the declaration itself.
 * - Ownership moves to the assignee, identified by its USCC until it acts with a token.
 */
export function transferPatent(state: PatentState, command: TransferCommand, actor: Actor): PatentDecision {
  const patent = requireOwnedBy(state, actor, 'transfer it');
  if (command.recordedOn !== undefined && command.recordedOn.isBefore(command.contractDate)) {
    throw invalidField(
      'recordedOn',
      `recordedOn ${command.recordedOn.toString()} is before contractDate ${command.contractDate.toString()}.`,
    );
  }
  if (patent.status === 'lapsed') {
    throw ruleViolation('patent-lapsed', `Patent ${patent.number} has lapsed and can no longer be transferred.`, {
      number: patent.number,
    });
  }
  if (patent.owner.uscc !== undefined && patent.owner.uscc === command.assignee.uscc) {
    throw ruleViolation(
      'transfer-to-owner',
      `The assignee ${command.assignee.uscc} already owns patent ${patent.number}.`,
      { number: patent.number },
    );
  }
  const latest = latestTransfer(patent.transfers);
  if (latest !== undefined && command.contractDate.isBefore(latest.contractDate)) {
    throw transferOutOfOrder(patent.number, command.contractDate, latest);
  }
  requirePledgeeConsent(patent, command.pledgeeConsent, 'transferred');

  const from = ownerActingAs(patent.owner, actor);
  const to: PatentOwner = {
    uscc: command.assignee.uscc,
    name: command.assignee.name,
    region: command.assignee.regionCode,
  };
  const transfer: Transfer = withoutUndefined({
    id: command.transferId,
    from,
    assignee: command.assignee,
    price: command.price,
    contractDate: command.contractDate,
    recordedOn: command.recordedOn,
    agencyId: command.agencyId,
    pledgeeConsent: command.pledgeeConsent === true,
  });
  const next: ListedPatentState = { ...patent, owner: to, transfers: [...patent.transfers, transfer] };
  const event = patentEvent(
    'PatentTransferred',
    withoutUndefined({
      number: patent.number,
      kind: patent.kind,
      transferId: command.transferId,
      from: ownerV1(from),
      assignee: counterpartyV1(command.assignee),
      price: command.price.toString(),
      contractDate: command.contractDate.toString(),
      recordedOn: command.recordedOn?.toString(),
      agencyId: command.agencyId,
      pledgeeConsent: command.pledgeeConsent,
    }),
  );
  return { state: next, events: [event] };
}

/** The transfer with the latest contract date (of equal dates, the one recorded last). */
export function latestTransfer(transfers: readonly Transfer[]): Transfer | undefined {
  return transfers.reduce<Transfer | undefined>(
    (latest, t) => (latest === undefined || !t.contractDate.isBefore(latest.contractDate) ? t : latest),
    undefined,
  );
}

/** `patent-pledged` unless the patent is free or the pledgee consented. */
export function requirePledgeeConsent(patent: PatentState, pledgeeConsent: boolean | undefined, what: string): void {
  if (!isPledged(patent) || pledgeeConsent === true) return;
  const banks = [...new Set(patent.pledges.map((p) => p.bank))].sort();
  throw ruleViolation(
    'patent-pledged',
    `Patent ${patent.number} is pledged (to ${banks.join(', ')}) and cannot be ${what} without the pledgee's consent (pledgeeConsent: true).`,
    { number: patent.number, pledgees: banks },
  );
}
