import { ZZ, borrower, defaulted, disbursed, foldLoan, known, registered, repaid, reversal, settled } from './domain/scenarios/scenario-fixtures';
import { coveredLoanFromJson, coveredLoanToJson } from './covered-loan.codec';

/** `covered_loans.view` keeps the whole fold, so a reversal after a reload undoes exactly the right event. */
describe('covered loan view codec', () => {
  const ref = { bank: 'bank-icbc-zz', loanRef: 'ZZ-CODEC-1' };

  it('round-trips a loan with tranches, repayments, defaults and a settlement through JSON', () => {
    const loan = known(
      foldLoan(
        [
          registered({ ...ref, borrower: borrower('350602', 'MA2Y0A0B1'), principal: '500000.00', occurredOn: '2024-03-01' }),
          disbursed(ref, 'd1', '2024-03-05', '300000.00'),
          disbursed(ref, 'd2', '2024-04-05', '200000.00'),
          repaid(ref, 'r1', '2024-09-01', '100000.01'),
          defaulted(ref, 'x1', '2025-04-10', '123456.79'),
          disbursed(ref, 'd3', '2024-05-05', '1.00'),
          reversal(disbursed(ref, 'd3', '2024-05-05', '1.00'), 'rev-d3', '2024-05-06'),
          settled(ref, 's1', '2025-06-01'),
        ],
        [ZZ],
      ),
    );
    const stored = JSON.parse(JSON.stringify(coveredLoanToJson(loan)));
    expect(stored).toMatchObject({ principal: '500000.00', outstanding: '276543.20', reportedLoss: '123456.79', status: 'settled', reversals: ['rev-d3'] });
    expect(coveredLoanFromJson(stored)).toEqual(loan);
  });

  it('round-trips a loan no fund is concerned with', () => {
    const loan = known(
      foldLoan(
        [registered({ bank: 'bank-sy-1', loanRef: 'SY-1', borrower: borrower('430502', 'MA2Y0A0B2'), principal: '1.00', occurredOn: '2024-03-01' })],
        [ZZ],
      ),
    );
    expect(loan.region).toBeNull();
    expect(coveredLoanFromJson(JSON.parse(JSON.stringify(coveredLoanToJson(loan))))).toEqual(loan);
  });
});
