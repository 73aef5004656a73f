import type {
  CapitalContributedV1, ClaimApprovedV1, ClaimFiledV1, ClaimPaidV1, ClaimRejectedV1, LoanCoveredV1, RecoverySharedV1,
} from '@ipfin/contracts';
import { Money } from '@ipfin/kernel';
import { DeltaBag, MEASURES, type ClaimStatus } from '../counters/deltas';
import { coverageId, type FundCoverage, type LoanCoverage, type LoanLoss } from './coverage.repository';

/**
 * Folds `ipfin.risk.v1` into the risk-fund facts (all in the fund's region). Pure: the consumer
 * loads the states the batch touches (claims, the loans' coverage and losses), folds, and writes
 * the deltas and the new states.
 */

/** What metrics remembers of a claim: enough to move it between status counts. */
export interface ClaimState {
  claimId: string;
  fundRegion: string;
  bank: string;
  loanRef: string;
  status: ClaimStatus;
  filedOn: string;
  /**
   * While approved and not yet paid: the bank's share counted on the approval day, so a waiting
   * claim withdrawn by risk-compensation (its default reversed) takes it back out.
   */
  approval?: { bankShareFen: bigint; approvedOn: string };
}

export interface RiskStates {
  claims: ReadonlyMap<string, ClaimState>;
  coverage: ReadonlyMap<string, LoanCoverage>;
  losses: ReadonlyMap<string, readonly LoanLoss[]>;
}

export interface FoldedRisk {
  bag: DeltaBag;
  /** Claims as they are after the batch. */
  claims: Map<string, ClaimState>;
  /** Coverage of the loans whose `LoanCovered` the batch carried, as it is after the batch (per fund). */
  coverage: Map<string, LoanCoverage>;
}

export type RiskEventForFold = { ceType: string; data: unknown };

const typeName = (ceType: string): string => ceType.split('.')[2] ?? '';
const fen = (amount: string): bigint => Money.parse(amount).fen;

export function foldRiskEvents(events: readonly RiskEventForFold[], known: RiskStates): FoldedRisk {
  const out: FoldedRisk = { bag: new DeltaBag(), claims: new Map(), coverage: new Map() };
  const claim = (id: string): ClaimState | undefined => out.claims.get(id) ?? known.claims.get(id);
  const coverage = (id: string): LoanCoverage | undefined => out.coverage.get(id) ?? known.coverage.get(id);
  const count = (measure: string, region: string, day: string, n: number, amountFen = 0n): void =>
    out.bag.count({ measure, region, dim: '', day }, n, amountFen);

  /** Moves a claim to `status` (its count stays dated by its filing day). */
  const moveClaim = (c: ClaimState, status: ClaimStatus): void => {
    if (c.status === status) return;
    count(MEASURES.claims(c.status), c.fundRegion, c.filedOn, -1);
    count(MEASURES.claims(status), c.fundRegion, c.filedOn, 1);
    out.claims.set(c.claimId, { ...c, status });
  };

  /** A claim seen first after its filing (should not happen): counted from the day of this event. */
  const claimOrNew = (e: { claimId: string; region: string; bank: string; loanRef: string }, day: string, status: ClaimStatus): ClaimState => {
    const c = claim(e.claimId);
    if (c) return c;
    const fresh: ClaimState = { claimId: e.claimId, fundRegion: e.region, bank: e.bank, loanRef: e.loanRef, status, filedOn: day };
    count(MEASURES.claims(status), fresh.fundRegion, fresh.filedOn, 1);
    out.claims.set(fresh.claimId, fresh);
    return fresh;
  };

  /** Adds (sign 1) or removes (sign -1) a loan covered by `fund`, with its losses, in that fund. */
  const coveredLoan = (bank: string, loanRef: string, fund: string, c: FundCoverage, sign: 1 | -1): void => {
    const s = BigInt(sign);
    count(MEASURES.coveredLoans, fund, c.registeredOn, sign, c.principalFen * s);
    for (const loss of known.losses.get(coverageId(bank, loanRef)) ?? []) {
      count(MEASURES.coveredLoss, fund, loss.day, 0, loss.lossFen * s);
    }
  };

  for (const event of events) {
    const type = typeName(event.ceType);
    switch (type) {
      case 'CapitalContributed': {
        const e = event.data as CapitalContributedV1;
        count(MEASURES.capital, e.region, e.receivedOn, 1, fen(e.amount));
        break;
      }
      case 'LoanCovered': {
        // Only the event's own fund is restated: another fund's entry is decided by that fund's
        // events, which may be folded before or after this one (different key, partition).
        const e = event.data as LoanCoveredV1;
        const id = coverageId(e.bank, e.loanRef);
        const coveredBy = new Map(coverage(id)?.coveredBy);
        const before = coveredBy.get(e.region);
        if (before) coveredLoan(e.bank, e.loanRef, e.region, before, -1);
        coveredBy.delete(e.region);
        if (e.covered) {
          const after: FundCoverage = { principalFen: fen(e.principal), registeredOn: e.registeredOn };
          coveredLoan(e.bank, e.loanRef, e.region, after, 1);
          coveredBy.set(e.region, after);
        }
        out.coverage.set(id, { bank: e.bank, loanRef: e.loanRef, coveredBy });
        break;
      }
      case 'ClaimFiled': {
        const e = event.data as ClaimFiledV1;
        const c = claim(e.claimId);
        if (c) {
          moveClaim(c, 'filed');
        } else {
          const fresh: ClaimState = { claimId: e.claimId, fundRegion: e.region, bank: e.bank, loanRef: e.loanRef, status: 'filed', filedOn: e.filedOn };
          count(MEASURES.claims('filed'), fresh.fundRegion, fresh.filedOn, 1);
          out.claims.set(fresh.claimId, fresh);
        }
        break;
      }
      case 'ClaimApproved': {
        const e = event.data as ClaimApprovedV1;
        moveClaim(claimOrNew(e, e.approvedOn, 'filed'), 'waiting');
        const approval = { bankShareFen: fen(e.bankShare), approvedOn: e.approvedOn };
        out.claims.set(e.claimId, { ...claim(e.claimId)!, approval });
        count(MEASURES.bankShare, e.region, approval.approvedOn, 1, approval.bankShareFen);
        break;
      }
      case 'ClaimRejected': {
        // Filed → rejected by the fund, or waiting → rejected when risk-compensation withdraws an
        // approved claim its loan events no longer support: `bankShare` sums approved and paid
        // claims (api.md), so the withdrawn approval's share leaves it again, on its own day.
        const e = event.data as ClaimRejectedV1;
        const c = claimOrNew(e, e.rejectedOn, 'filed');
        if (c.status === 'waiting' && c.approval) count(MEASURES.bankShare, c.fundRegion, c.approval.approvedOn, -1, -c.approval.bankShareFen);
        moveClaim(c, 'rejected');
        const { approval: _withdrawn, ...rejected } = claim(e.claimId)!;
        out.claims.set(e.claimId, rejected);
        break;
      }
      case 'ClaimPaid': {
        const e = event.data as ClaimPaidV1;
        moveClaim(claimOrNew(e, e.paidOn, 'waiting'), 'paid');
        const { approval: _kept, ...paid } = claim(e.claimId)!;
        out.claims.set(e.claimId, paid);
        count(MEASURES.paidOut, e.region, e.paidOn, 1, fen(e.fundShare));
        break;
      }
      case 'RecoveryShared': {
        const e = event.data as RecoverySharedV1;
        count(MEASURES.recoveredToFund, e.region, e.recoveredOn, 1, fen(e.fundPart));
        break;
      }
      default:
        break; // PolicySet changes no figure; coverage changes arrive as LoanCovered.
    }
  }
  return out;
}

/**
 * The covered-loss facts of losses the loans topic declared (or reversed): each loss counts in
 * every fund that covers the loan as metrics knows it now (`coverage` locked by the caller); a
 * coverage folded later moves the loan's recorded losses itself (`foldRiskEvents`).
 */
export function addCoveredLosses(
  bag: DeltaBag,
  coverage: ReadonlyMap<string, LoanCoverage>,
  losses: readonly { bank: string; loanRef: string; day: string; lossFen: bigint }[],
): void {
  for (const l of losses) {
    for (const fund of coverage.get(coverageId(l.bank, l.loanRef))?.coveredBy.keys() ?? []) {
      bag.count({ measure: MEASURES.coveredLoss, region: fund, dim: '', day: l.day }, 0, l.lossFen);
    }
  }
}
