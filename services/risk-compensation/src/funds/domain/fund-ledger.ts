import { BusinessDate, Money } from '@ipfin/kernel';
import { fundProblem, type FundProblem } from './fund-problems';
import { riskEvent, type RiskEventOf } from './risk-event';

/*
 * Each fund keeps a small double-entry ledger of four accounts:
 *
 * | account     | normal side | what it holds                                    |
 * |-------------|-------------|--------------------------------------------------|
 * | `capital`   | credit      | Σ contributions received                         |
 * | `balance`   | debit       | the cash the fund holds                          |
 * | `paid_out`  | debit       | Σ fund shares paid on claims                     |
 * | `recovered` | credit      | Σ fund parts of recoveries returned to the fund  |
 *
 * | operation    | debit      | credit     |
 * |--------------|------------|------------|
 * | contribution | `balance`  | `capital`  |
 * | payout       | `paid_out` | `balance`  |
 * | recovery     | `balance`  | `recovered`|
 *
 * Every entry balances (Σ debits = Σ credits), so at all times
 * `balance + paidOut = capital + recoveredToFund`, i.e. `balance = capital − paidOut + recoveredToFund`
 * (the identity `GET /v1/funds/{region}` and the metrics `risk-fund` shape state). Posting refuses any
 * entry that would take `balance` below zero: money out never exceeds money in.
 */

export const FUND_ACCOUNTS = ['capital', 'balance', 'paid_out', 'recovered'] as const;
export type FundAccount = (typeof FUND_ACCOUNTS)[number];

const DEBIT_NORMAL: ReadonlySet<FundAccount> = new Set(['balance', 'paid_out']);

export interface LedgerLine {
  readonly account: FundAccount;
  readonly side: 'debit' | 'credit';
  /** Positive. */
  readonly amount: Money;
}

export const LEDGER_ENTRY_KINDS = ['contribution', 'payout', 'recovery'] as const;
export type LedgerEntryKind = (typeof LEDGER_ENTRY_KINDS)[number];

export interface LedgerEntry {
  readonly region: string;
  readonly kind: LedgerEntryKind;
  /** The contribution, claim (payout) or recovery id the entry records. */
  readonly reference: string;
  readonly postedOn: string;
  readonly lines: readonly LedgerLine[];
}

/** The four accounts' balances, each on its normal side. */
export interface FundBalances {
  readonly region: string;
  readonly capital: Money;
  readonly balance: Money;
  readonly paidOut: Money;
  readonly recoveredToFund: Money;
}

/** A ledger invariant would break: a programming error, never a user's mistake. */
export class LedgerInvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LedgerInvariantError';
  }
}

export function emptyFund(region: string): FundBalances {
  return { region, capital: Money.ZERO, balance: Money.ZERO, paidOut: Money.ZERO, recoveredToFund: Money.ZERO };
}

/** `balance + paidOut = capital + recoveredToFund` and `balance ≥ 0`. */
export function ledgerIdentityHolds(fund: FundBalances): boolean {
  return fund.balance.add(fund.paidOut).equals(fund.capital.add(fund.recoveredToFund)) && !fund.balance.isNegative();
}

function transfer(
  region: string,
  kind: LedgerEntryKind,
  reference: string,
  postedOn: string,
  debit: FundAccount,
  credit: FundAccount,
  amount: Money,
): LedgerEntry {
  if (!amount.isPositive())
    throw new LedgerInvariantError(`A ${kind} entry needs a positive amount, got ${amount.toString()}.`);
  BusinessDate.parse(postedOn);
  return {
    region,
    kind,
    reference,
    postedOn,
    lines: [
      { account: debit, side: 'debit', amount },
      { account: credit, side: 'credit', amount },
    ],
  };
}

export const contributionEntry = (
  region: string,
  contributionId: string,
  amount: Money,
  receivedOn: string,
): LedgerEntry => transfer(region, 'contribution', contributionId, receivedOn, 'balance', 'capital', amount);

export const payoutEntry = (region: string, claimId: string, fundShare: Money, paidOn: string): LedgerEntry =>
  transfer(region, 'payout', claimId, paidOn, 'paid_out', 'balance', fundShare);

export const recoveryEntry = (region: string, recoveryId: string, fundPart: Money, recoveredOn: string): LedgerEntry =>
  transfer(region, 'recovery', recoveryId, recoveredOn, 'balance', 'recovered', fundPart);

const FIELD_OF: Readonly<Record<FundAccount, keyof Omit<FundBalances, 'region'>>> = {
  capital: 'capital',
  balance: 'balance',
  paid_out: 'paidOut',
  recovered: 'recoveredToFund',
};

/**
 * Posts one entry. Throws `LedgerInvariantError` when the entry is for another fund, does not
 * balance, has a non-positive line, or would leave `balance` negative.
 */
export function postEntry(fund: FundBalances, entry: LedgerEntry): FundBalances {
  if (entry.region !== fund.region)
    throw new LedgerInvariantError(`Entry ${entry.reference} of fund ${entry.region} posted to fund ${fund.region}.`);
  let debits = Money.ZERO;
  let credits = Money.ZERO;
  const next: { -readonly [K in keyof FundBalances]: FundBalances[K] } = { ...fund };
  for (const line of entry.lines) {
    if (!line.amount.isPositive())
      throw new LedgerInvariantError(`Entry ${entry.reference} has a non-positive line on ${line.account}.`);
    if (line.side === 'debit') debits = debits.add(line.amount);
    else credits = credits.add(line.amount);
    const increases = DEBIT_NORMAL.has(line.account) === (line.side === 'debit');
    const field = FIELD_OF[line.account];
    next[field] = increases ? next[field].add(line.amount) : next[field].subtract(line.amount);
  }
  if (!debits.equals(credits)) {
    throw new LedgerInvariantError(
      `Entry ${entry.reference} does not balance: debits ${debits.toString()}, credits ${credits.toString()}.`,
    );
  }
  if (next.balance.isNegative()) {
    throw new LedgerInvariantError(
      `Entry ${entry.reference} would take fund ${fund.region}'s balance to ${next.balance.toString()}.`,
    );
  }
  return next;
}

export function postEntries(fund: FundBalances, entries: readonly LedgerEntry[]): FundBalances {
  return entries.reduce(postEntry, fund);
}

/** Rebuilds a fund's balances from its whole ledger. */
export function balancesFromLedger(region: string, entries: readonly LedgerEntry[]): FundBalances {
  return postEntries(emptyFund(region), entries);
}

export interface ContributionInput {
  readonly contributionId: string;
  readonly amount: Money;
  readonly receivedOn: string;
}

export type Contribution =
  | {
      readonly ok: true;
      readonly fund: FundBalances;
      readonly entry: LedgerEntry;
      readonly event: RiskEventOf<'CapitalContributed'>;
    }
  | { readonly ok: false; readonly problem: FundProblem };

/**
 * Capital arrives (`POST /v1/funds/{region}/contributions`). The new balance may pay waiting claims:
 * the caller follows with `settleFund` in the same transaction (`receiveContribution` does both).
 */
export function contributeCapital(fund: FundBalances, input: ContributionInput): Contribution {
  if (!input.amount.isPositive()) {
    return {
      ok: false,
      problem: fundProblem(
        'contribution-not-positive',
        `A contribution must be a positive amount, got ${input.amount.toString()}.`,
        { errors: [{ field: 'amount', message: 'must be positive' }] },
      ),
    };
  }
  const entry = contributionEntry(fund.region, input.contributionId, input.amount, input.receivedOn);
  return {
    ok: true,
    fund: postEntry(fund, entry),
    entry,
    event: riskEvent('CapitalContributed', {
      region: fund.region,
      contributionId: input.contributionId,
      amount: input.amount.toString(),
      receivedOn: input.receivedOn,
    }),
  };
}

/** `GET /v1/funds/{region}`: the ledger balances plus Σ fund shares approved and waiting. */
export interface FundSummary {
  readonly region: string;
  readonly capital: Money;
  readonly paidOut: Money;
  readonly recoveredToFund: Money;
  readonly balance: Money;
  readonly pendingPayouts: Money;
}

/** `waitingClaims`: the fund's approved, unpaid claims (others' are ignored). */
export function fundSummary(
  fund: FundBalances,
  waitingClaims: readonly { readonly region: string; readonly fundShare: Money }[],
): FundSummary {
  return {
    region: fund.region,
    capital: fund.capital,
    paidOut: fund.paidOut,
    recoveredToFund: fund.recoveredToFund,
    balance: fund.balance,
    pendingPayouts: Money.sum(waitingClaims.filter((c) => c.region === fund.region).map((c) => c.fundShare)),
  };
}
