import { approveClaim } from '../claim';
import {
  ZZ,
  borrower,
  defaulted,
  disbursed,
  foldLoan,
  known,
  mustFile,
  registered,
  reversal,
  zhangzhouWith,
} from './scenario-fixtures';

/**
 * audit F5: filing requires `defaultedOn` to be the loan's first live default and judges the claim
 * window on it; approval checks it again, so a default date the loan events moved after filing
 * (an earlier default reported, or the first one reversed) is not approved under the old date.
 */
describe('approval re-checks the default date', () => {
  const policies = [ZZ];
  const ref = { bank: 'bank-abc-zz', loanRef: 'ZZ-2024-000888' };
  const registration = registered({
    ...ref,
    borrower: borrower('350624', 'MA2ANH0N1', 'small'),
    principal: '700000.00',
    occurredOn: '2024-05-10',
  });
  const tranche = disbursed(ref, 'd1', '2024-05-13', '700000.00');
  const def1 = defaulted(ref, 'def1', '2025-02-10', '300000.00');
  const loan = known(foldLoan([registration, tranche, def1], policies));
  const filed = mustFile(loan, '300000.00', '2025-02-12', policies);
  const approval = { approvedOn: '2025-02-20', approvalSequence: 1 };

  it('approves while the loan events report the claimed default date', () => {
    expect(approveClaim(filed, ZZ, approval, loan)).toMatchObject({ ok: true, claim: { status: 'waiting', defaultedOn: '2025-02-10' } });
  });

  it('refuses when an earlier default is reported after filing', () => {
    const after = known(foldLoan([defaulted(ref, 'def0', '2024-09-01', '100000.00')], policies, loan));
    expect(after.defaultedOn).toBe('2024-09-01');
    expect(approveClaim(filed, ZZ, approval, after)).toMatchObject({
      ok: false,
      problems: [
        {
          code: 'default-date-mismatch',
          context: { reportedDefaultedOn: '2024-09-01', claimDefaultedOn: '2025-02-10' },
        },
      ],
    });
  });

  it('refuses when the claimed default is reversed and a later one remains, even with enough loss', () => {
    const later = defaulted(ref, 'def2', '2025-02-11', '300000.00');
    const both = known(foldLoan([later], policies, loan));
    const filedBoth = mustFile(both, '300000.00', '2025-02-12', policies);
    const after = known(foldLoan([reversal(def1, 'rev-def1', '2025-02-15')], policies, both));
    expect(after).toMatchObject({ defaultedOn: '2025-02-11' });
    expect(after.reportedLoss.toString()).toBe('300000.00');
    const refused = approveClaim(filedBoth, ZZ, approval, after);
    expect(refused).toMatchObject({ ok: false, problems: [{ code: 'default-date-mismatch' }] });
  });

  it('would let a claim out of its window through on the old date: the window is judged on the reported default', () => {
    // With a 30-day window, a default reported on 2024-09-01 closed the window on 2024-10-01;
    // the claim filed on 2025-02-12 under the later date must not be approved.
    const windowed = zhangzhouWith({ claimWindowDays: 30 });
    const windowedLoan = known(foldLoan([registration, tranche, def1], [windowed]));
    const filedInTime = mustFile(windowedLoan, '300000.00', '2025-02-12', [windowed]);
    const moved = known(foldLoan([defaulted(ref, 'def0', '2024-09-01', '100000.00')], [windowed], windowedLoan));
    expect(approveClaim(filedInTime, windowed, approval, moved)).toMatchObject({
      ok: false,
      problems: [{ code: 'default-date-mismatch' }],
    });
  });
});
