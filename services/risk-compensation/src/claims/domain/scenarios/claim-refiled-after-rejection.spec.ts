import { approveClaim, fileClaim, rejectClaim, type Claim } from '../claim';
import { claimProblemError } from '../claim-problems';
import {
  ZZ,
  borrower,
  contractErrors,
  defaultedLoan,
  fundWith,
  mustApprove,
  mustFile,
  registered,
  foldLoan,
  known,
  settleFund,
  yuan,
} from './scenario-fixtures';

/**
 * One open claim per loan: a filed, waiting or paid claim blocks another; a rejected claim does not,
 * so the bank can file again with better evidence. Only the loan's bank may claim.
 */
describe('claim re-filed after a rejection', () => {
  const policies = [ZZ];
  const loan = defaultedLoan({
    bank: 'bank-ccb-zz',
    loanRef: 'ZZ-2024-001001',
    borrower: borrower('350605', 'MA33CT1Q4', 'small', '漳州市长泰区云岭茶业有限公司'),
    principal: '600000.00',
    registeredOn: '2024-05-06',
    disbursedOn: '2024-05-08',
    loss: '250000.00',
    defaultedOn: '2025-01-06',
    policies,
  });
  const file = (claimId: string, filedOn: string, existing: readonly Claim[], bank = 'bank-ccb-zz') =>
    fileClaim(
      loan,
      {
        loanRef: loan.loanRef,
        principalLoss: yuan('250000.00'),
        defaultedOn: '2025-01-06',
        evidence: ['(2025)闽0605民初123号判决书'],
      },
      { claimId, bank, filedOn },
      existing,
      ZZ,
    );
  const codes = (result: ReturnType<typeof file>): string[] => (result.ok ? [] : result.problems.map((p) => p.code));

  it('blocks a second claim while the first is filed, waiting or paid', () => {
    const first = mustFile(loan, '250000.00', '2025-01-10', policies);
    expect(codes(file('second', '2025-01-11', [first]))).toEqual(['claim-already-open']);

    const waiting = mustApprove(first, loan, policies, '2025-01-15', [first]);
    expect(codes(file('second', '2025-01-16', [waiting]))).toEqual(['claim-already-open']);

    const [paid] = settleFund(fundWith('350600', '1000000.00'), [waiting], '2025-01-15').paid;
    expect(codes(file('second', '2025-02-01', [paid]))).toEqual(['claim-already-open']);
  });

  it('allows a new claim after a rejection, and the rejection tells the bank why', () => {
    const first = mustFile(loan, '250000.00', '2025-01-10', policies);
    const rejection = rejectClaim(first, '缺少法院判决书,请补充处置证明', '2025-01-20');
    if (!rejection.ok) throw new Error(rejection.problems[0].detail);
    expect(rejection.claim).toMatchObject({
      status: 'rejected',
      rejectedOn: '2025-01-20',
      rejectionReason: '缺少法院判决书,请补充处置证明',
    });
    expect(contractErrors([rejection.event])).toEqual([]);

    const again = file('second', '2025-01-22', [rejection.claim]);
    expect(again.ok).toBe(true);
    if (again.ok) expect(again.event.data.evidence).toEqual(['(2025)闽0605民初123号判决书']);
  });

  it('approves or rejects only a filed claim, and a rejection needs a reason', () => {
    const first = mustFile(loan, '250000.00', '2025-01-10', policies);
    expect(rejectClaim(first, '   ', '2025-01-20')).toMatchObject({
      ok: false,
      problems: [{ code: 'rejection-reason-required' }],
    });
    const waiting = mustApprove(first, loan, policies, '2025-01-15', [first]);
    expect(rejectClaim(waiting, 'too late', '2025-01-20')).toMatchObject({
      ok: false,
      problems: [{ code: 'claim-not-filed' }],
    });
    expect(approveClaim(waiting, ZZ, { approvedOn: '2025-01-16', approvalSequence: 2 }, loan)).toMatchObject({
      ok: false,
      problems: [{ code: 'claim-not-filed' }],
    });
  });

  it('refuses another bank (not-your-loan) and a loan it does not know (unknown-loan)', () => {
    expect(codes(file('x', '2025-01-10', [], 'bank-icbc-zz'))).toEqual(['not-your-loan']);
    const unknown = fileClaim(
      null,
      { loanRef: 'ZZ-NOPE', principalLoss: yuan('1.00'), defaultedOn: '2025-01-06' },
      { claimId: 'x', bank: 'bank-ccb-zz', filedOn: '2025-01-10' },
      [],
      null,
    );
    expect(unknown).toMatchObject({ ok: false, problems: [{ code: 'unknown-loan' }] });
  });

  it('refuses a claim on a loan that never defaulted', () => {
    const ref = { bank: 'bank-ccb-zz', loanRef: 'ZZ-2024-001002' };
    const current = known(
      foldLoan(
        [
          registered({
            ...ref,
            borrower: borrower('350605', 'MA33CT1Q4'),
            principal: '300000.00',
            occurredOn: '2024-05-06',
          }),
        ],
        policies,
      ),
    );
    const result = fileClaim(
      current,
      { loanRef: ref.loanRef, principalLoss: yuan('1.00'), defaultedOn: '2025-01-06' },
      { claimId: 'x', bank: ref.bank, filedOn: '2025-01-10' },
      [],
      ZZ,
    );
    expect(result).toMatchObject({ ok: false, problems: [{ code: 'loan-not-defaulted' }] });
  });

  it('turns the problems into one domain error with a stable code, listing them all', () => {
    const result = fileClaim(
      loan,
      { loanRef: loan.loanRef, principalLoss: yuan('250000.01'), defaultedOn: '2025-01-07' },
      { claimId: 'x', bank: 'bank-ccb-zz', filedOn: '2025-01-10' },
      [],
      ZZ,
    );
    if (result.ok) throw new Error('expected a refusal');
    const error = claimProblemError(result.problems);
    expect(error).toMatchObject({ code: 'default-date-mismatch', kind: 'rule' });
    expect(error.errors?.map((e) => e.field)).toEqual(['defaultedOn', 'principalLoss']);
    expect((error.context?.problems as { code: string }[]).map((p) => p.code)).toEqual([
      'default-date-mismatch',
      'claim-exceeds-reported-loss',
    ]);
  });
});
