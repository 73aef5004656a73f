/** Risk-compensation data for system tests: Zhangzhou's seeded fund and its cooperating banks. */
import { Money } from '@ipfin/kernel';
import { borrower, event, patent, registration, XIANGCHENG } from './fixtures';

export { ZHANGZHOU } from './fixtures';

/** A cooperating bank of the seeded Zhangzhou policy (2024-02-02 … 2029-02-01, 80 %). */
export const COOPERATING_BANK = 'bank-icbc-zz';

/**
 * The loan events of a covered Zhangzhou loan that defaulted: an SME borrower in Xiangcheng
 * (350602), registered while the seeded policy is in force, disbursed in full, then a principal loss.
 */
export function coveredDefaultedLoan(opts: {
  loanRef: string;
  serial: number;
  principal: string;
  loss: string;
  registeredOn: string;
  defaultedOn: string;
}) {
  const id = (suffix: string) => `${opts.loanRef}-${suffix}`;
  return [
    registration(id('reg'), opts.loanRef, opts.registeredOn, {
      borrower: borrower(opts.serial, 'small', XIANGCHENG), principal: opts.principal, patents: [patent(opts.serial)],
    }),
    event(id('disb'), 'LoanDisbursed', opts.loanRef, opts.registeredOn, { amount: opts.principal }),
    event(id('def'), 'LoanDefaulted', opts.loanRef, opts.defaultedOn, { principalLoss: opts.loss }),
  ];
}

/** Decimal-string arithmetic for asserting ledger figures (exact, in fen). */
export const plus = (a: string, b: string): string => Money.parse(a).add(Money.parse(b)).toString();
