import { applyLoanEvent, claimFixedTerms, reassessCoverage, type CoveredLoan, type FixingClaim, type LoanEventMessage } from '../covered-loan';
import type { FundPolicy } from '../../../funds/domain/fund-policy';
import { ZHANGZHOU_POLICY_INPUT } from '../../../funds/domain/fund-policy.seeds';
import {
  ZZ, borrower, defaulted, disbursed, foldLoan, known, mustApprove, mustFile, registered, reversal, zhangzhouWith,
} from './scenario-fixtures';

/**
 * A policy change never re-judges a loan whose claim is approved or paid: its terms were fixed. A
 * rebuild of the coverage view judges every registration under today's policies, so it takes those
 * loans' coverage from their claims (`claimFixedTerms`) and comes out with the view the service
 * left — and every other loan is judged under the policies as before.
 */
describe('approved claim terms survive a rebuild of the coverage view', () => {
  const BANK = 'bank-icbc-zz';
  const approvedRef = { bank: BANK, loanRef: 'ZZ-2024-000901' };
  const otherRef = { bank: BANK, loanRef: 'ZZ-2024-000902' };
  const approvedEvents: LoanEventMessage[] = [
    registered({ ...approvedRef, borrower: borrower('350602', 'MA31RB015'), principal: '800000.00', occurredOn: '2024-04-01' }),
    disbursed(approvedRef, 'd1', '2024-04-03', '800000.00'),
    defaulted(approvedRef, 'def1', '2025-04-20', '300000.00'),
  ];
  const otherEvents: LoanEventMessage[] = [
    registered({ ...otherRef, borrower: borrower('350603', 'MA31RB023'), principal: '500000.00', occurredOn: '2024-05-01' }),
  ];
  /** The bank leaves the fund: the seeded version, replaced without it. */
  const withoutBank: FundPolicy[] = [zhangzhouWith({ cooperatingBanks: ZHANGZHOU_POLICY_INPUT.cooperatingBanks.filter((b) => b !== BANK) })];

  // As the service lived it: folded under the seed, the claim approved, then the policy changed —
  // which re-judges the other loan and skips the approved one.
  const approvedLoan = known(foldLoan(approvedEvents, [ZZ]));
  const claim = mustApprove(mustFile(approvedLoan, '300000.00', '2025-05-06', [ZZ]), approvedLoan, [ZZ], '2025-05-08', []);
  const otherLoan = known(reassessCoverage(known(foldLoan(otherEvents, [ZZ])), withoutBank));
  const fixing: FixingClaim = {
    bank: claim.bank, loanRef: claim.loanRef, region: claim.region, policyVersion: claim.policyVersion, filedAt: new Date('2025-05-06T02:00:00Z'),
  };

  const replay = (events: readonly LoanEventMessage[], terms = claimFixedTerms([fixing])): CoveredLoan | null => {
    let loan: CoveredLoan | null = null;
    for (const message of events) loan = applyLoanEvent(loan, message, withoutBank, terms).loan;
    return loan;
  };

  it('is covered in the view the service left, though today’s policy refuses its bank', () => {
    expect(approvedLoan).toMatchObject({ covered: true, region: '350600', policyVersion: '2024-02-02', reasons: [] });
    expect(known(foldLoan(approvedEvents, withoutBank)).reasons.map((r) => r.rule)).toEqual(['bank-not-cooperating']);
  });

  it('comes back exactly as the service left it: the fund and version its claim recorded, no reasons, the same figures', () => {
    expect(replay(approvedEvents)).toEqual(approvedLoan);
  });

  it('leaves every other loan to today’s policies, as the policy change judged it', () => {
    expect(replay(otherEvents)).toEqual(otherLoan);
    expect(otherLoan).toMatchObject({ covered: false, reasons: [expect.objectContaining({ rule: 'bank-not-cooperating' })] });
  });

  it('does not give a claim’s terms to a registration recorded after the claim was filed (the loanRef registered anew)', () => {
    const gone = reversal(approvedEvents[0], 'rev-reg', '2025-06-01');
    const anew = registered({ ...approvedRef, borrower: borrower('350602', 'MA31RB015'), principal: '800000.00', occurredOn: '2025-06-02', eventId: 'reg-2' });
    const replayed = replay([approvedEvents[0], gone, anew]);
    expect(replayed).toMatchObject({ registrationEventId: 'reg-2', covered: false, reasons: [expect.objectContaining({ rule: 'bank-not-cooperating' })] });
  });
});
