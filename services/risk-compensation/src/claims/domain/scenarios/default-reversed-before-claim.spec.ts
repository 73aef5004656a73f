import { Money } from '@ipfin/kernel';
import { approveClaim, fileClaim } from '../claim';
import { applyLoanEvent, LoanViewConflict, OrphanLoanEvent, type CoveredLoan, type LoanEventMessage } from '../covered-loan';
import {
  ZZ,
  borrower,
  contractErrors,
  defaulted,
  disbursed,
  foldLoan,
  known,
  mustFile,
  registered,
  repaid,
  reversal,
  settled,
  yuan,
} from './scenario-fixtures';

/**
 * A bank corrects its loan events with `EventReversed`; the fund's view undoes exactly the reversed
 * event's effect. A default reversed before a claim leaves nothing to claim; a reversed
 * registration makes the loan unknown and is announced as `LoanCovered { covered: false }`.
 */
describe('reversal of the default before a claim', () => {
  const policies = [ZZ];
  const ref = { bank: 'bank-abc-zz', loanRef: 'ZZ-2024-000555' };
  const registration = registered({
    ...ref,
    borrower: borrower('350624', 'MA2ANH0N1', 'small', '诏安县海峡水产品加工有限公司'),
    principal: '700000.00',
    occurredOn: '2024-05-10',
  });
  const tranche = disbursed(ref, 'd1', '2024-05-13', '700000.00');
  const repayment = repaid(ref, 'r1', '2024-11-13', '100000.00', '13475.00');
  const firstDefault = defaulted(ref, 'def1', '2025-02-10', '300000.00');
  const secondDefault = defaulted(ref, 'def2', '2025-03-20', '200000.00');

  const claim = (loan: CoveredLoan, principalLoss: string, defaultedOn: string) =>
    fileClaim(
      loan,
      { loanRef: ref.loanRef, principalLoss: yuan(principalLoss), defaultedOn },
      { claimId: 'c-555', bank: ref.bank, filedOn: '2025-04-01' },
      [],
      ZZ,
    );

  it('removes the reported loss: the loan is current again and a claim finds no default', () => {
    const before = known(foldLoan([registration, tranche, repayment, firstDefault], policies));
    expect(before).toMatchObject({
      status: 'defaulted',
      defaultedOn: '2025-02-10',
      reportedLoss: yuan('300000.00'),
      outstanding: yuan('300000.00'),
    });

    const after = known(foldLoan([reversal(firstDefault, 'rev-def1', '2025-02-12')], policies, before));
    expect(after).toMatchObject({
      status: 'disbursed',
      reportedLoss: Money.ZERO,
      outstanding: yuan('600000.00'),
      covered: true,
    });
    expect(after.defaultedOn).toBeUndefined();
    expect(claim(after, '300000.00', '2025-02-10')).toMatchObject({
      ok: false,
      problems: [{ code: 'loan-not-defaulted' }],
    });
  });

  it('moves the default date to the next default when the first is reversed', () => {
    const loan = known(
      foldLoan(
        [registration, tranche, firstDefault, secondDefault, reversal(firstDefault, 'rev-def1', '2025-03-25')],
        policies,
      ),
    );
    expect(loan).toMatchObject({ defaultedOn: '2025-03-20', reportedLoss: yuan('200000.00'), status: 'defaulted' });
    expect(claim(loan, '200000.01', '2025-03-20')).toMatchObject({
      ok: false,
      problems: [{ code: 'claim-exceeds-reported-loss' }],
    });
    expect(claim(loan, '200000.00', '2025-03-20').ok).toBe(true);
  });

  it('refuses to approve a claim whose default was reversed after filing', () => {
    const defaultedView = known(foldLoan([registration, tranche, firstDefault], policies));
    const filed = mustFile(defaultedView, '300000.00', '2025-02-20', policies);
    const corrected = known(foldLoan([reversal(firstDefault, 'rev-def1', '2025-02-25')], policies, defaultedView));
    expect(approveClaim(filed, ZZ, { approvedOn: '2025-03-01', approvalSequence: 1 }, corrected)).toMatchObject({
      ok: false,
      problems: [{ code: 'loan-not-defaulted' }],
    });
  });

  it('undoes disbursements, repayments and settlements by event id', () => {
    const loan = known(foldLoan([registration, tranche, repayment, settled(ref, 's1', '2025-01-01')], policies));
    expect(loan.status).toBe('settled');
    const unsettled = known(
      foldLoan([reversal(settled(ref, 's1', '2025-01-01'), 'rev-s1', '2025-01-02')], policies, loan),
    );
    expect(unsettled).toMatchObject({ status: 'disbursed', outstanding: yuan('600000.00') });
    const unrepaid = known(foldLoan([reversal(repayment, 'rev-r1', '2025-01-03')], policies, unsettled));
    expect(unrepaid.outstanding.toString()).toBe('700000.00');
    const undisbursed = known(foldLoan([reversal(tranche, 'rev-d1', '2025-01-04')], policies, unrepaid));
    expect(undisbursed).toMatchObject({ status: 'registered', outstanding: Money.ZERO });
  });

  it('forgets a loan whose registration is reversed and tells the fund it is no longer covered', () => {
    const loan = known(foldLoan([registration], policies));
    const step = applyLoanEvent(loan, reversal(registration, 'rev-reg', '2024-05-11'), policies);
    expect(step.loan).toBeNull();
    expect(step.events).toHaveLength(1);
    expect(step.events[0]).toMatchObject({
      type: 'LoanCovered',
      key: '350600',
      data: {
        loanRef: ref.loanRef,
        covered: false,
        cause: 'registration-reversed',
        reasons: [{ rule: 'registration-reversed' }],
        registrationEventId: registration.data.eventId,
      },
    });
    expect(step.events[0].data).not.toHaveProperty('policyVersion');
    expect(contractErrors(step.events)).toEqual([]);

    // The bank may register the loanRef again; it is judged afresh.
    const again = foldLoan(
      [
        registered({
          ...ref,
          borrower: borrower('350624', 'MA2ANH0N1'),
          principal: '650000.00',
          occurredOn: '2024-05-12',
          eventId: 'reg-2',
        }),
      ],
      policies,
    );
    expect(known(again)).toMatchObject({ covered: true, registrationEventId: 'reg-2', principal: yuan('650000.00') });
  });

  it('ignores a re-delivered event, a reversal too', () => {
    const loan = known(foldLoan([registration, tranche, firstDefault], policies));
    expect(applyLoanEvent(loan, firstDefault, policies).loan).toBe(loan);
    expect(applyLoanEvent(loan, registration, policies)).toEqual({ loan, events: [] });
    const undo = reversal(firstDefault, 'rev-def1', '2025-02-12');
    const reversedOnce = known(applyLoanEvent(loan, undo, policies));
    expect(reversedOnce).toMatchObject({ reversals: ['rev-def1'], status: 'disbursed' });
    expect(applyLoanEvent(reversedOnce, undo, policies)).toEqual({ loan: reversedOnce, events: [] });
  });

  it('refuses, as orphans, events of a loan it does not know and reversals of events it never applied', () => {
    const loan = known(foldLoan([registration, tranche, firstDefault], policies));
    const key = `${ref.bank}:${ref.loanRef}`;
    const notApplied = 'was applied (dead-lettered or never published)';
    expect(() => applyLoanEvent(null, tranche, policies)).toThrow(OrphanLoanEvent);
    expect(() => applyLoanEvent(null, tranche, policies)).toThrow(`orphan: no LoanRegistered for ${key} ${notApplied}`);
    expect(() => applyLoanEvent(null, reversal(registration, 'rev-r', '2024-06-02'), policies)).toThrow(OrphanLoanEvent);
    const neverApplied = disbursed(ref, 'never-applied', '2024-06-01', '1.00');
    expect(() => applyLoanEvent(loan, reversal(neverApplied, 'rev-x', '2024-06-02'), policies)).toThrow(
      `orphan: no LoanDisbursed never-applied of ${key} ${notApplied}; rev-x cannot reverse it.`,
    );
    const otherRegistration = registered({ ...ref, eventId: 'reg-other', borrower: borrower('350624', 'MA2ANH0N1'), principal: '1.00', occurredOn: '2024-05-11' });
    expect(() => applyLoanEvent(loan, reversal(otherRegistration, 'rev-o', '2024-06-02'), policies)).toThrow(OrphanLoanEvent);
    // An overdue is not kept (it does not matter to coverage), so its reversal is not checked.
    const overdue: LoanEventMessage = {
      type: 'LoanOverdue',
      data: { ...tranche.data, eventId: 'od-1', occurredOn: '2024-06-01', overdueDays: 30 },
    };
    expect(applyLoanEvent(loan, reversal(overdue, 'rev-od', '2024-06-02'), policies)).toEqual({ loan: { ...loan, reversals: ['rev-od'] }, events: [] });
  });

  it('refuses a second registration under a live loanRef', () => {
    const loan = known(foldLoan([registration], policies));
    expect(() =>
      applyLoanEvent(
        loan,
        registered({
          ...ref,
          borrower: borrower('350624', 'MA2ANH0N1'),
          principal: '1.00',
          occurredOn: '2024-05-11',
          eventId: 'other',
        }),
        policies,
      ),
    ).toThrow(LoanViewConflict);
  });
});
