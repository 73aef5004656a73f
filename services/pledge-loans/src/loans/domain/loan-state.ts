import type { Borrower, Pledge } from './loan-event';

export const LOAN_STATUSES = ['registered', 'disbursed', 'overdue', 'defaulted', 'settled'] as const;
/**
 * `registered` nothing disbursed yet; `disbursed` principal out and current; `overdue` a payment
 * is late (a repayment cures it); `defaulted` a principal loss was declared; `settled` closed and
 * the pledge released.
 */
export type LoanStatus = (typeof LOAN_STATUSES)[number];

/** A live loan, folded from its accepted, non-reversed events. Money in fen. */
export interface LoanState {
  readonly bank: string;
  readonly loanRef: string;
  readonly status: LoanStatus;
  readonly borrower: Borrower;
  /** Contracted principal. */
  readonly principal: bigint;
  readonly annualRate: string;
  readonly termMonths: number;
  readonly inclusive: boolean;
  readonly pledge: Pledge;
  readonly agencyId?: string;
  /** Σ tranches. */
  readonly disbursed: bigint;
  readonly repaidPrincipal: bigint;
  readonly interestPaid: bigint;
  readonly principalLoss: bigint;
  /** Days overdue as last reported; set only while `overdue`. */
  readonly overdueDays?: number;
  /** `occurredOn` of the registration (the contract date). */
  readonly registeredOn: string;
  /** `registeredOn` + `termMonths`. */
  readonly maturesOn: string;
  /**
   * The earliest `occurredOn` among the non-reversed `LoanDefaulted` events (not the first one
   * received: a default sent later may be dated earlier), kept while defaulted or settled after
   * default. risk-compensation requires a claim's `defaultedOn` to be this date.
   */
  readonly defaultedOn?: string;
  readonly settledOn?: string;
  /** `eventId` of the `LoanRegistered` this state grew from. */
  readonly registrationEventId: string;
}

/** Principal still owed: disbursed − repaid principal − principal loss. */
export function outstanding(state: Pick<LoanState, 'disbursed' | 'repaidPrincipal' | 'principalLoss'>): bigint {
  return state.disbursed - state.repaidPrincipal - state.principalLoss;
}

/** A loan's rights are pledged from registration until settlement (or until the registration is reversed). */
export function pledgeInForce(state: LoanState | null): state is LoanState {
  return state !== null && state.status !== 'settled';
}
