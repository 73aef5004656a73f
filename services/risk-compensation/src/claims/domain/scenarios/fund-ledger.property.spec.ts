import fc from 'fast-check';
import { Money } from '@ipfin/kernel';
import {
  balancesFromLedger,
  emptyFund,
  ledgerIdentityHolds,
  type FundBalances,
  type LedgerEntry,
} from '../../../funds/domain/fund-ledger';
import { computeShares, type PaidClaim, type WaitingClaim } from '../claim';
import { receiveContribution, settleFund } from '../claim-payout';
import { recordRecovery } from '../recovery';

/** A percentage 0–100 with up to four decimals, as policies carry it. */
const percentArb = fc.oneof(
  fc.integer({ min: 0, max: 100 }).map(String),
  fc
    .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 9999 }))
    .map(([whole, places, fraction]) => `${whole}.${String(fraction % 10 ** places).padStart(places, '0')}`),
);
const fenArb = (max: bigint) => fc.bigInt({ min: 0n, max });

/** Independent half-up of `fen × percent / 100` for a decimal-string percent. */
function referenceFundShare(fen: bigint, percent: string): bigint {
  const [whole, fraction = ''] = percent.split('.');
  const numerator = BigInt(whole + fraction);
  const denominator = 100n * 10n ** BigInt(fraction.length);
  return (2n * fen * numerator + denominator) / (2n * denominator);
}

describe('property: shares always add up', () => {
  it('fundShare + bankShare = loss, both non-negative, fundShare = half-up(loss × percent) capped', () => {
    fc.assert(
      fc.property(
        fenArb(10n ** 14n),
        percentArb,
        fc.option(fenArb(10n ** 12n), { nil: undefined }),
        (lossFen, percent, capFen) => {
          const loss = Money.fromFen(lossFen);
          const cap = capFen === undefined ? undefined : Money.fromFen(capFen);
          const { fundShare, bankShare, capped } = computeShares(loss, percent, cap);
          const expected = referenceFundShare(lossFen, percent);
          expect(fundShare.add(bankShare).equals(loss)).toBe(true);
          expect(fundShare.isNegative() || bankShare.isNegative()).toBe(false);
          expect(fundShare.fen).toBe(capFen !== undefined && expected > capFen ? capFen : expected);
          expect(capped).toBe(capFen !== undefined && expected > capFen);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

type Operation =
  | { kind: 'contribute'; fen: bigint }
  | { kind: 'approve'; lossFen: bigint; percent: string }
  | { kind: 'recover'; pick: number; fen: bigint };

const operationArb: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ kind: fc.constant('contribute' as const), fen: fc.bigInt({ min: 1n, max: 50_000_000n }) }),
  fc.record({ kind: fc.constant('approve' as const), lossFen: fenArb(80_000_000n), percent: percentArb }),
  fc.record({ kind: fc.constant('recover' as const), pick: fc.nat(), fen: fc.bigInt({ min: 1n, max: 80_000_000n }) }),
);

describe('property: the fund ledger stays sound', () => {
  it('keeps balance = capital − paidOut + recoveredToFund, never negative, and pays strictly in approval order', () => {
    fc.assert(
      fc.property(fc.array(operationArb, { minLength: 1, maxLength: 60 }), (operations) => {
        const region = '350600';
        let fund: FundBalances = emptyFund(region);
        let waiting: WaitingClaim[] = [];
        const paid = new Map<string, PaidClaim>();
        const ledger: LedgerEntry[] = [];
        let sequence = 0;
        let recoveredToFund = Money.ZERO;

        const absorb = (step: {
          fund: FundBalances;
          entries: readonly LedgerEntry[];
          paid: readonly PaidClaim[];
          waiting: readonly WaitingClaim[];
        }) => {
          fund = step.fund;
          ledger.push(...step.entries);
          for (const c of step.paid) paid.set(c.id, c);
          waiting = [...step.waiting];
        };

        operations.forEach((op, i) => {
          const day = '2025-06-30';
          switch (op.kind) {
            case 'contribute': {
              const result = receiveContribution(
                fund,
                { contributionId: `k${i}`, amount: Money.fromFen(op.fen), receivedOn: day },
                waiting,
                day,
              );
              if (!result.ok) throw new Error(result.problem.detail);
              absorb(result);
              break;
            }
            case 'approve': {
              sequence += 1;
              const loss = Money.fromFen(op.lossFen);
              const claim: WaitingClaim = {
                id: `c${sequence}`,
                region,
                bank: 'bank-icbc-zz',
                loanRef: `L${sequence}`,
                principalLoss: loss,
                defaultedOn: '2025-01-02',
                filedOn: '2025-01-03',
                policyVersion: '2024-02-02',
                evidence: [],
                status: 'waiting',
                fundSharePercent: op.percent,
                ...computeShares(loss, op.percent),
                approvedOn: day,
                approvalSequence: sequence,
              };
              absorb(settleFund(fund, [...waiting, claim], day));
              break;
            }
            case 'recover': {
              const candidates = [...paid.values()];
              if (candidates.length === 0) return;
              const claim = candidates[op.pick % candidates.length];
              const result = recordRecovery(
                fund,
                claim,
                { recoveryId: `r${i}`, amount: Money.fromFen(op.fen), recoveredOn: day },
                claim.bank,
                waiting,
                day,
              );
              if (!result.ok) throw new Error(result.problems[0].detail);
              expect(result.shares.fundPart.add(result.shares.bankPart).equals(Money.fromFen(op.fen))).toBe(true);
              recoveredToFund = recoveredToFund.add(result.shares.fundPart);
              paid.set(result.claim.id, result.claim);
              absorb(result);
              break;
            }
          }

          expect(ledgerIdentityHolds(fund)).toBe(true);
          expect(fund.balance.equals(fund.capital.subtract(fund.paidOut).add(fund.recoveredToFund))).toBe(true);
          expect(fund.balance.isNegative()).toBe(false);
          expect(balancesFromLedger(region, ledger)).toEqual(fund);
          expect(fund.recoveredToFund.equals(recoveredToFund)).toBe(true);
          // Strict order: every paid claim was approved before every waiting one.
          const lastPaid = Math.max(0, ...[...paid.values()].map((c) => c.approvalSequence));
          const firstWaiting = Math.min(Number.MAX_SAFE_INTEGER, ...waiting.map((c) => c.approvalSequence));
          expect(lastPaid).toBeLessThan(firstWaiting);
          // The head of the queue waits only because the balance cannot cover it.
          if (waiting.length > 0) expect(waiting[0].fundShare.greaterThan(fund.balance)).toBe(true);
          // The fund never gets back more than it paid on a claim.
          for (const c of paid.values()) expect(c.recoveredToFund.lessThanOrEqual(c.fundShare)).toBe(true);
          expect(fund.paidOut.equals(Money.sum([...paid.values()].map((c) => c.fundShare)))).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });
});
