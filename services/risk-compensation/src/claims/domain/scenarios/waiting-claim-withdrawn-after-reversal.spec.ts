import { Money } from '@ipfin/kernel';
import { emptyFund } from '../../../funds/domain/fund-ledger';
import { pendingPayouts, withdrawUnsupportedClaim, type Claim, type WaitingClaim } from '../claim';
import { receiveContribution } from '../claim-payout';
import { applyLoanEvent, mayWithdrawClaims, type CoveredLoan, type LoanEventMessage } from '../covered-loan';
import {
  ZZ,
  borrower,
  contractErrors,
  defaulted,
  disbursed,
  foldLoan,
  fundWith,
  known,
  mustApprove,
  mustFile,
  registered,
  repaid,
  reversal,
  settleFund,
  yuan,
} from './scenario-fixtures';

/**
 * audit F1: a claim approved on an empty fund waits; the bank then reverses the wrongly reported
 * default. `EventReversed` undoes the default "with all its effects downstream", so the waiting
 * claim is withdrawn (rejected, `default-reversed`) and capital arriving later pays nothing for it.
 * A claim the loan events still support keeps waiting; a paid claim stays paid.
 */
describe('a waiting claim whose loss the loan events withdraw', () => {
  const policies = [ZZ];
  const ref = { bank: 'bank-abc-zz', loanRef: 'ZZ-2024-000777' };
  const registration = registered({
    ...ref,
    borrower: borrower('350624', 'MA2ANH0N1', 'small', '诏安县海峡水产品加工有限公司'),
    principal: '700000.00',
    occurredOn: '2024-05-10',
  });
  const tranche = disbursed(ref, 'd1', '2024-05-13', '700000.00');
  const firstDefault = defaulted(ref, 'def1', '2025-02-10', '300000.00');
  const loan = known(foldLoan([registration, tranche, firstDefault], policies));
  const filed = mustFile(loan, '300000.00', '2025-02-12', policies);
  const waiting = mustApprove(filed, loan, policies, '2025-02-13', [filed]);

  /** The loan's view after each event that may withdraw a claim, as the consumer collects them. */
  function lowered(start: CoveredLoan, messages: readonly LoanEventMessage[]): (CoveredLoan | null)[] {
    const views: (CoveredLoan | null)[] = [];
    let current: CoveredLoan | null = start;
    for (const message of messages) {
      current = applyLoanEvent(current, message, policies).loan;
      if (mayWithdrawClaims(message)) views.push(current);
    }
    return views;
  }

  it('rejects the waiting claim as default-reversed, and capital then pays nothing', () => {
    // Approved with a zero balance: the claim waits.
    expect(settleFund(emptyFund('350600'), [waiting], '2025-02-13').waiting).toEqual([waiting]);

    const views = lowered(loan, [reversal(firstDefault, 'rev-def1', '2025-02-14')]);
    expect(views).toHaveLength(1);
    expect(views[0]?.defaultedOn).toBeUndefined();

    const withdrawal = withdrawUnsupportedClaim(waiting, views, '2025-02-15');
    expect(withdrawal).not.toBeNull();
    const { code, claim, event } = withdrawal!;
    expect(code).toBe('default-reversed');
    expect(claim).toMatchObject({
      id: waiting.id,
      status: 'rejected',
      rejectedOn: '2025-02-15',
      principalLoss: yuan('300000.00'),
      defaultedOn: '2025-02-10',
    });
    expect(claim.rejectionReason).toMatch(/^default-reversed: /);
    expect(claim).not.toHaveProperty('approvalSequence');
    expect(claim).not.toHaveProperty('fundShare');
    expect(event).toMatchObject({
      type: 'ClaimRejected',
      key: '350600',
      data: { claimId: waiting.id, bank: ref.bank, loanRef: ref.loanRef, rejectedOn: '2025-02-15', reason: claim.rejectionReason },
    });
    expect(contractErrors([event])).toEqual([]);

    // The queue no longer holds it: a contribution pays nothing and the balance keeps the capital.
    const regionClaims: Claim[] = [claim];
    expect(pendingPayouts(regionClaims)).toEqual(Money.ZERO);
    const queue = regionClaims.filter((c): c is WaitingClaim => c.status === 'waiting');
    const op = receiveContribution(
      emptyFund('350600'),
      { contributionId: 'c-1', amount: yuan('1000000.00'), receivedOn: '2025-03-01' },
      queue,
      '2025-03-01',
    );
    expect(op.ok && op.paid).toEqual([]);
    expect(op.ok && op.fund.balance.toString()).toBe('1000000.00');
    expect(op.ok && op.events.map((e) => e.type)).toEqual(['CapitalContributed']);
  });

  it('rejects it as claim-exceeds-reported-loss when a reversal leaves less loss than approved', () => {
    const top = defaulted(ref, 'def2', '2025-02-20', '100000.00');
    const twoDefaults = known(foldLoan([registration, tranche, firstDefault, top], policies));
    const claim400 = mustApprove(
      mustFile(twoDefaults, '400000.00', '2025-02-21', policies),
      twoDefaults,
      policies,
      '2025-02-22',
      [],
    );
    const withdrawal = withdrawUnsupportedClaim(claim400, lowered(twoDefaults, [reversal(top, 'rev-def2', '2025-02-23')]), '2025-02-24');
    expect(withdrawal?.code).toBe('claim-exceeds-reported-loss');
    expect(withdrawal?.claim.rejectionReason).toContain('300000.00');
    // A claim the remaining loss still covers keeps waiting.
    const claim300 = mustApprove(
      mustFile(twoDefaults, '300000.00', '2025-02-21', policies),
      twoDefaults,
      policies,
      '2025-02-22',
      [],
    );
    expect(withdrawUnsupportedClaim(claim300, lowered(twoDefaults, [reversal(top, 'rev-def2', '2025-02-23')]), '2025-02-24')).toBeNull();
  });

  it('rejects it as registration-reversed when the loan no longer exists', () => {
    const views = lowered(loan, [reversal(registration, 'rev-reg', '2025-02-14')]);
    expect(views).toEqual([null]);
    expect(withdrawUnsupportedClaim(waiting, views, '2025-02-15')?.code).toBe('registration-reversed');
  });

  it('judges every step, so batching cannot change the outcome: report the correction first to keep the claim', () => {
    const corrected = defaulted(ref, 'def1-fixed', '2025-02-10', '320000.00');
    // Reversed first: in between, the loan reports no loss — withdrawn, even if the correction follows in the same batch.
    const reverseThenReport = lowered(loan, [reversal(firstDefault, 'rev-def1', '2025-02-14'), corrected]);
    expect(withdrawUnsupportedClaim(waiting, reverseThenReport, '2025-02-15')?.code).toBe('default-reversed');
    // Corrected first: the loss never drops below the claim — it keeps waiting.
    const reportThenReverse = lowered(loan, [corrected, reversal(firstDefault, 'rev-def1', '2025-02-14')]);
    expect(withdrawUnsupportedClaim(waiting, reportThenReverse, '2025-02-15')).toBeNull();
  });

  it('keeps an approved claim whose default date moved while its loss is still reported', () => {
    const earlier = defaulted(ref, 'def0', '2025-01-20', '300000.00');
    const both = known(foldLoan([earlier], policies, loan));
    // Reversing the claim's own default leaves the earlier one: 300 000.00 still reported.
    const views = lowered(both, [reversal(firstDefault, 'rev-def1', '2025-02-14')]);
    expect(views[0]?.defaultedOn).toBe('2025-01-20');
    expect(withdrawUnsupportedClaim(waiting, views, '2025-02-15')).toBeNull();
  });

  it('never withdraws a filed, paid or rejected claim', () => {
    const views = lowered(loan, [reversal(firstDefault, 'rev-def1', '2025-02-14')]);
    expect(withdrawUnsupportedClaim(filed, views, '2025-02-15')).toBeNull();
    const [paid] = settleFund(fundWith('350600', '240000.00'), [waiting], '2025-02-13').paid;
    expect(paid.status).toBe('paid');
    expect(withdrawUnsupportedClaim(paid, views, '2025-02-15')).toBeNull();
    const rejected = withdrawUnsupportedClaim(waiting, views, '2025-02-15')!.claim;
    expect(withdrawUnsupportedClaim(rejected, views, '2025-02-15')).toBeNull();
    // No step that took loss: nothing to judge.
    expect(withdrawUnsupportedClaim(waiting, [], '2025-02-15')).toBeNull();
  });

  it('checks claims only after a reversed default or registration', () => {
    expect(mayWithdrawClaims(reversal(firstDefault, 'r1', '2025-02-14'))).toBe(true);
    expect(mayWithdrawClaims(reversal(registration, 'r2', '2025-02-14'))).toBe(true);
    expect(mayWithdrawClaims(reversal(tranche, 'r3', '2025-02-14'))).toBe(false);
    expect(mayWithdrawClaims(reversal(repaid(ref, 'p1', '2024-11-13', '1.00'), 'r4', '2025-02-14'))).toBe(false);
    expect(mayWithdrawClaims(firstDefault)).toBe(false);
  });
});
