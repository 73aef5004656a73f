import { Money } from '@ipfin/kernel';
import { ledgerIdentityHolds } from '../../../funds/domain/fund-ledger';
import type { PaidClaim } from '../claim';
import { recordRecovery, shareRecovery } from '../recovery';
import {
  WEIHAI_FIRST_YEAR,
  ZZ,
  borrower,
  contractErrors,
  defaultedLoan,
  fundWith,
  mustApprove,
  mustFile,
  settleFund,
  yuan,
} from './scenario-fixtures';

/**
 * After a payout the bank disposes of the pledged patents; what it recovers is shared back in the
 * claim's ratio, rounded half-up for the fund. The fund's part returns to its balance and may pay
 * waiting claims; it never exceeds what the fund still has at stake on the claim.
 */
describe('recovery after payout', () => {
  const policies = [ZZ];
  const loan = defaultedLoan({
    bank: 'bank-icbc-zz',
    loanRef: 'ZZ-2024-000301',
    borrower: borrower('350602', 'MA31ABCD5', 'small', '漳州市芗城区芯创电子科技有限公司'),
    principal: '500000.00',
    registeredOn: '2024-03-01',
    disbursedOn: '2024-03-04',
    loss: '300000.00',
    defaultedOn: '2025-03-03',
    policies,
  });
  const other = defaultedLoan({
    bank: 'bank-cib-zz',
    loanRef: 'ZZ-2024-000302',
    borrower: borrower('350603', 'MA2YQ8LL3', 'micro', '漳州市龙文区青禾食品有限公司'),
    principal: '100000.00',
    registeredOn: '2024-04-01',
    disbursedOn: '2024-04-02',
    loss: '50000.00',
    defaultedOn: '2025-03-10',
    policies,
  });

  const claim = mustFile(loan, '300000.00', '2025-03-05', policies, [], 'claim-301');
  const waiting = mustApprove(claim, loan, policies, '2025-03-14', [claim]);
  const payout = settleFund(fundWith('350600', '250000.00'), [waiting], '2025-03-14');
  const paid: PaidClaim = payout.paid[0];
  // A second claim waits: ¥40 000 does not fit into the ¥10 000 left.
  const otherClaim = mustFile(other, '50000.00', '2025-03-12', policies, [], 'claim-302');
  const otherWaiting = mustApprove(otherClaim, other, policies, '2025-03-17', [waiting, otherClaim]);

  it('starts from a paid claim and a waiting one', () => {
    expect(paid).toMatchObject({ status: 'paid', fundShare: yuan('240000.00'), paidOn: '2025-03-14' });
    expect(payout.fund.balance.toString()).toBe('10000.00');
    expect(settleFund(payout.fund, [otherWaiting], '2025-03-17').paid).toEqual([]);
  });

  it('shares ¥50 000.01 as fund 40 000.01 (half-up of 40 000.008) and bank 10 000.00, and the fund part pays the waiting claim', () => {
    const result = recordRecovery(
      payout.fund,
      paid,
      { recoveryId: 'rec-1', amount: yuan('50000.01'), recoveredOn: '2025-06-30' },
      'bank-icbc-zz',
      [otherWaiting],
      '2025-07-01',
    );
    if (!result.ok) throw new Error(result.problems[0].detail);

    expect(result.shares).toEqual({ fundPart: yuan('40000.01'), bankPart: yuan('10000.00'), capped: false });
    expect(result.claim).toMatchObject({ recoveredToFund: yuan('40000.01'), recoveredToBank: yuan('10000.00') });
    expect(result.paid.map((c) => [c.id, c.paidOn])).toEqual([['claim-302', '2025-07-01']]);
    expect(result.fund).toEqual({
      region: '350600',
      capital: yuan('250000.00'),
      paidOut: yuan('280000.00'),
      recoveredToFund: yuan('40000.01'),
      balance: yuan('10000.01'),
    });
    expect(ledgerIdentityHolds(result.fund)).toBe(true);
    expect(
      result.entries.map((e) => [
        e.kind,
        e.reference,
        e.lines.map((l) => `${l.side}:${l.account}:${l.amount.toString()}`),
      ]),
    ).toEqual([
      ['recovery', 'rec-1', ['debit:balance:40000.01', 'credit:recovered:40000.01']],
      ['payout', 'claim-302', ['debit:paid_out:40000.00', 'credit:balance:40000.00']],
    ]);
    expect(result.events.map((e) => e.type)).toEqual(['RecoveryShared', 'ClaimPaid']);
    expect(result.events[0].data).toEqual({
      region: '350600',
      claimId: 'claim-301',
      bank: 'bank-icbc-zz',
      loanRef: 'ZZ-2024-000301',
      recoveryId: 'rec-1',
      amount: '50000.01',
      fundPart: '40000.01',
      bankPart: '10000.00',
      recoveredOn: '2025-06-30',
    });
    expect(contractErrors(result.events)).toEqual([]);
  });

  it('never returns more to the fund than it paid on the claim, net of earlier recoveries', () => {
    const first = recordRecovery(
      payout.fund,
      paid,
      { recoveryId: 'rec-1', amount: yuan('50000.01'), recoveredOn: '2025-06-30' },
      'bank-icbc-zz',
      [],
      '2025-07-01',
    );
    if (!first.ok) throw new Error(first.problems[0].detail);
    // 80 % of 400 000 would be 320 000, but only 240 000 − 40 000.01 = 199 999.99 is still at stake.
    const second = recordRecovery(
      first.fund,
      first.claim,
      { recoveryId: 'rec-2', amount: yuan('400000.00'), recoveredOn: '2025-09-01' },
      'bank-icbc-zz',
      [],
      '2025-09-01',
    );
    if (!second.ok) throw new Error(second.problems[0].detail);
    expect(second.shares).toEqual({ fundPart: yuan('199999.99'), bankPart: yuan('200000.01'), capped: true });
    expect(second.claim.recoveredToFund).toEqual(paid.fundShare);

    // Once the fund is whole, everything further stays with the bank and nothing is posted.
    const third = recordRecovery(
      second.fund,
      second.claim,
      { recoveryId: 'rec-3', amount: yuan('1000.00'), recoveredOn: '2025-10-01' },
      'bank-icbc-zz',
      [],
      '2025-10-01',
    );
    if (!third.ok) throw new Error(third.problems[0].detail);
    expect(third.shares).toEqual({ fundPart: Money.ZERO, bankPart: yuan('1000.00'), capped: true });
    expect(third.entries).toEqual([]);
    expect(third.events.map((e) => e.type)).toEqual(['RecoveryShared']);
    expect(ledgerIdentityHolds(third.fund)).toBe(true);
  });

  it("shares a capped Weihai claim's recovery at the policy percent, up to what the fund paid", () => {
    // Fund paid 1 000 000 (capped) of a 2 500 000 loss: a 2 000 000 recovery gives the fund 60 % = 1 200 000, cut to 1 000 000.
    expect(shareRecovery(yuan('2000000.00'), WEIHAI_FIRST_YEAR.fundSharePercent, yuan('1000000.00'))).toEqual({
      fundPart: yuan('1000000.00'),
      bankPart: yuan('1000000.00'),
      capped: true,
    });
    expect(shareRecovery(yuan('0.01'), '60', yuan('1000000.00'))).toEqual({
      fundPart: yuan('0.01'),
      bankPart: Money.ZERO,
      capped: false,
    });
  });

  it.each([
    [
      'a claim that is not paid yet',
      () =>
        recordRecovery(
          payout.fund,
          otherWaiting,
          { recoveryId: 'r', amount: yuan('1.00'), recoveredOn: '2025-06-30' },
          'bank-cib-zz',
          [],
          '2025-06-30',
        ),
      'claim-not-paid',
    ],
    [
      'another bank',
      () =>
        recordRecovery(
          payout.fund,
          paid,
          { recoveryId: 'r', amount: yuan('1.00'), recoveredOn: '2025-06-30' },
          'bank-cib-zz',
          [],
          '2025-06-30',
        ),
      'not-your-claim',
    ],
    [
      'a date before the payout',
      () =>
        recordRecovery(
          payout.fund,
          paid,
          { recoveryId: 'r', amount: yuan('1.00'), recoveredOn: '2025-03-13' },
          'bank-icbc-zz',
          [],
          '2025-06-30',
        ),
      'recovery-before-payout',
    ],
    [
      'a zero amount',
      () =>
        recordRecovery(
          payout.fund,
          paid,
          { recoveryId: 'r', amount: Money.ZERO, recoveredOn: '2025-06-30' },
          'bank-icbc-zz',
          [],
          '2025-06-30',
        ),
      'recovery-not-positive',
    ],
  ])('refuses a recovery on %s', (_case, record, code) => {
    expect(record()).toMatchObject({ ok: false, problems: [{ code }] });
  });
});
