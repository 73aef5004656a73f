import { Money } from '@ipfin/kernel';
import {
  balancesFromLedger,
  emptyFund,
  fundSummary,
  ledgerIdentityHolds,
  type FundBalances,
  type LedgerEntry,
} from '../../../funds/domain/fund-ledger';
import { settleQueue } from '../../../funds/domain/payout-queue';
import type { RiskEvent } from '../../../funds/domain/risk-event';
import { receiveContribution, settleFund } from '../claim-payout';
import {
  ZZ,
  borrower,
  contractErrors,
  defaultedLoan,
  fundWith,
  mustApprove,
  mustFile,
  yuan,
} from './scenario-fixtures';

/**
 * Money out of the fund never exceeds the money in it: an approved claim the balance cannot cover
 * waits, and waiting claims are paid strictly in approval order when capital arrives — a later,
 * smaller claim never overtakes the head of the queue.
 */
describe('approval when the fund is short: the claim waits, then is paid on contribution', () => {
  const policies = [ZZ];
  const loanA = defaultedLoan({
    bank: 'bank-icbc-zz',
    loanRef: 'ZZ-2024-000201',
    borrower: borrower('350602', 'MA31ABCD5', 'small', '漳州市芗城区芯创电子科技有限公司'),
    principal: '800000.00',
    registeredOn: '2024-03-01',
    disbursedOn: '2024-03-04',
    loss: '500000.00',
    defaultedOn: '2025-03-03',
    policies,
  });
  const loanB = defaultedLoan({
    bank: 'bank-psbc-zz',
    loanRef: 'ZZ-2024-000202',
    borrower: borrower('350622', 'MA2YX7QT9', 'micro', '云霄县枇杷农业专业合作社'),
    principal: '100000.00',
    registeredOn: '2024-04-01',
    disbursedOn: '2024-04-02',
    loss: '50000.00',
    defaultedOn: '2025-03-10',
    policies,
  });

  // Claim A (fund share 400 000.00) is approved first, claim B (fund share 40 000.00) second.
  const claimA = mustFile(loanA, '500000.00', '2025-03-05', policies, [], 'claim-A');
  const claimB = mustFile(loanB, '50000.00', '2025-03-12', policies, [], 'claim-B');
  const waitingA = mustApprove(claimA, loanA, policies, '2025-03-14', [claimA, claimB]);
  const waitingB = mustApprove(claimB, loanB, policies, '2025-03-17', [waitingA, claimB]);

  function expectSound(fund: FundBalances, ledger: readonly LedgerEntry[]): void {
    expect(ledgerIdentityHolds(fund)).toBe(true);
    expect(fund.balance.isNegative()).toBe(false);
    expect(balancesFromLedger(fund.region, ledger)).toEqual(fund);
  }

  it('fixes the approval order', () => {
    expect([waitingA.approvalSequence, waitingB.approvalSequence]).toEqual([1, 2]);
    expect([waitingA.fundShare.toString(), waitingB.fundShare.toString()]).toEqual(['400000.00', '40000.00']);
  });

  it('runs the whole story: short fund, waiting queue, contributions pay the head first', () => {
    const ledger: LedgerEntry[] = [];
    const events: RiskEvent[] = [];
    const seed = receiveContribution(
      emptyFund('350600'),
      { contributionId: 'zz-2025-q1', amount: yuan('100000.00'), receivedOn: '2025-01-15' },
      [],
      '2025-01-15',
    );
    if (!seed.ok) throw new Error(seed.problem.detail);
    let fund = seed.fund;
    ledger.push(...seed.entries);
    expect(fund.balance.toString()).toBe('100000.00');

    // A is approved: 400 000 does not fit into 100 000, it waits.
    let step = settleFund(fund, [waitingA], '2025-03-14');
    expect(step.paid).toEqual([]);
    expect(step.waiting).toEqual([waitingA]);

    // B is approved: 40 000 would fit, but A is ahead of it. Nothing is paid.
    step = settleFund(fund, [waitingB, waitingA], '2025-03-17');
    expect(step.paid).toEqual([]);
    expect(step.waiting.map((c) => c.id)).toEqual(['claim-A', 'claim-B']);
    expect(fundSummary(fund, step.waiting)).toMatchObject({
      balance: yuan('100000.00'),
      pendingPayouts: yuan('440000.00'),
    });

    // ¥300 000 arrives: the balance is now exactly A's share. A is paid, B keeps waiting.
    const first = receiveContribution(
      fund,
      { contributionId: 'zz-2025-apr', amount: yuan('300000.00'), receivedOn: '2025-04-01' },
      step.waiting,
      '2025-04-01',
    );
    if (!first.ok) throw new Error(first.problem.detail);
    fund = first.fund;
    ledger.push(...first.entries);
    events.push(...first.events);
    expect(first.paid.map((c) => [c.id, c.paidOn])).toEqual([['claim-A', '2025-04-01']]);
    expect(first.waiting.map((c) => c.id)).toEqual(['claim-B']);
    expect(fund.balance.toString()).toBe('0.00');
    expectSound(fund, ledger);

    // One fen short of B's share: B waits.
    const second = receiveContribution(
      fund,
      { contributionId: 'zz-2025-may', amount: yuan('39999.99'), receivedOn: '2025-05-06' },
      first.waiting,
      '2025-05-06',
    );
    if (!second.ok) throw new Error(second.problem.detail);
    fund = second.fund;
    ledger.push(...second.entries);
    events.push(...second.events);
    expect(second.paid).toEqual([]);
    expect(fundSummary(fund, second.waiting)).toMatchObject({
      balance: yuan('39999.99'),
      pendingPayouts: yuan('40000.00'),
    });

    // The last fen pays B.
    const third = receiveContribution(
      fund,
      { contributionId: 'zz-2025-may-2', amount: yuan('0.01'), receivedOn: '2025-05-07' },
      second.waiting,
      '2025-05-07',
    );
    if (!third.ok) throw new Error(third.problem.detail);
    fund = third.fund;
    ledger.push(...third.entries);
    events.push(...third.events);
    expect(third.paid.map((c) => c.id)).toEqual(['claim-B']);
    expect(fundSummary(fund, third.waiting)).toEqual({
      region: '350600',
      capital: yuan('440000.00'),
      paidOut: yuan('440000.00'),
      recoveredToFund: Money.ZERO,
      balance: Money.ZERO,
      pendingPayouts: Money.ZERO,
    });
    expectSound(fund, ledger);

    expect(events.map((e) => `${e.type}:${'claimId' in e.data ? e.data.claimId : ''}`)).toEqual([
      'CapitalContributed:',
      'ClaimPaid:claim-A',
      'CapitalContributed:',
      'CapitalContributed:',
      'ClaimPaid:claim-B',
    ]);
    expect(contractErrors(events)).toEqual([]);
  });

  it('refuses a contribution that is not positive', () => {
    const result = receiveContribution(
      fundWith('350600', '1.00'),
      { contributionId: 'zero', amount: Money.ZERO, receivedOn: '2025-01-01' },
      [],
      '2025-01-01',
    );
    expect(result).toMatchObject({ ok: false, problem: { code: 'contribution-not-positive' } });
  });

  describe('settleQueue', () => {
    const queued = (approvalSequence: number, fundShare: string) => ({ approvalSequence, fundShare: yuan(fundShare) });

    it('pays in approval order, whatever order it is given, and stops at the first claim that does not fit', () => {
      const result = settleQueue(yuan('100.00'), [
        queued(3, '10.00'),
        queued(1, '60.00'),
        queued(2, '50.00'),
        queued(4, '1.00'),
      ]);
      expect(result.pay.map((c) => c.approvalSequence)).toEqual([1]);
      expect(result.waiting.map((c) => c.approvalSequence)).toEqual([2, 3, 4]);
      expect(result.balanceAfter.toString()).toBe('40.00');
    });

    it('pays everything that fits in a row, including an exact fit', () => {
      const result = settleQueue(yuan('120.00'), [queued(1, '60.00'), queued(2, '50.00'), queued(3, '10.00')]);
      expect(result.pay).toHaveLength(3);
      expect(result.balanceAfter.isZero()).toBe(true);
    });

    it('refuses a repeated approval sequence and a negative balance', () => {
      expect(() => settleQueue(yuan('1.00'), [queued(1, '1.00'), queued(1, '1.00')])).toThrow(
        'share approval sequence 1',
      );
      expect(() => settleQueue(Money.parseSigned('-0.01'), [])).toThrow('never negative');
    });
  });

  it('never posts a payout the balance cannot cover', () => {
    const result = settleFund(fundWith('350600', '399999.99'), [waitingA], '2025-04-01');
    expect(result.entries).toEqual([]);
    expect(result.events).toEqual([]);
    expect(result.fund.balance.toString()).toBe('399999.99');
  });
});
