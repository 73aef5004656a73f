import { MEASURES } from '../counters/deltas';
import { foldLoanEvents, type LoanDimension, type LoanEventForFold } from './financing-fold';

const base = (type: string, loanRef: string, occurredOn: string, sequence: number, data: Record<string, unknown> = {}) => ({
  ceType: `ipfin.loans.${type}.v1`,
  data: { bank: 'bank-zz', loanRef, eventId: `${loanRef}-${sequence}`, sequence, occurredOn, recordedAt: '2024-03-01T08:00:00Z', ...data },
});

const registered = (loanRef: string, occurredOn: string, principal: string, size = 'small', uscc = '91350600MA2XXXXXX1', kinds = ['patent']) =>
  base('LoanRegistered', loanRef, occurredOn, 1, {
    borrower: { uscc, name: 'Zhangzhou Optics', size, regionCode: '350602' },
    principal, annualRate: '0.0385', termMonths: 12, inclusive: true,
    pledge: { registrationNo: `Y2024-${loanRef}`, registeredOn: occurredOn, appraisedValue: '9000000.00', rights: kinds.map((kind, i) => ({ kind, number: `n${i}` })) },
  });

describe('folding loan events into financing facts', () => {
  it('sums registrations, tranches, repayments and losses on their own days', () => {
    const events: LoanEventForFold[] = [
      registered('L1', '2024-03-01', '5000000.00'),
      base('LoanDisbursed', 'L1', '2024-03-05', 2, { amount: '3000000.00' }),
      base('LoanDisbursed', 'L1', '2024-03-05', 3, { amount: '2000000.00' }),
      base('RepaymentReceived', 'L1', '2024-06-30', 4, { principal: '1000000.01', interest: '48000.00' }),
      base('LoanDefaulted', 'L1', '2024-09-01', 5, { principalLoss: '3999999.99' }),
    ];
    const folded = foldLoanEvents(events, new Map());
    const byDay = Object.fromEntries([...folded.facts.values()].map((f) => [f.key.day, f.delta]));
    expect(byDay['2024-03-01']).toMatchObject({ loans: 1, inclusiveLoans: 1, contractedFen: 500000000n });
    expect(byDay['2024-03-05']).toMatchObject({ disbursedFen: 500000000n, loans: 0 });
    expect(byDay['2024-06-30']).toMatchObject({ repaidFen: 100000001n });
    expect(byDay['2024-09-01']).toMatchObject({ defaults: 1, lossFen: 399999999n });
    expect([...folded.borrowers.values()]).toEqual([expect.objectContaining({ borrowerUscc: '91350600MA2XXXXXX1', loans: 1, day: '2024-03-01' })]);
  });

  it('attributes later events through the stored dimension and undoes a reversed tranche exactly', () => {
    const known = new Map<string, LoanDimension>([['bank-zz:L2', {
      bank: 'bank-zz', loanRef: 'L2', borrowerUscc: 'U', borrowerSize: 'medium', region: '350603', registeredOn: '2023-12-01',
      principalFen: 100n, rightKind: 'trademark', inclusive: false, agencyId: null, live: true,
    }]]);
    const tranche = base('LoanDisbursed', 'L2', '2024-01-02', 2, { amount: '0.99' });
    const folded = foldLoanEvents([
      tranche,
      base('EventReversed', 'L2', '2024-01-03', 3, { reversedEventId: 'L2-2', reversedType: 'LoanDisbursed', reversed: tranche.data }),
    ], known);
    const facts = [...folded.facts.values()];
    expect(facts).toHaveLength(1);
    expect(facts[0].key).toMatchObject({ region: '350603', rightKind: 'trademark', borrowerSize: 'medium' });
    expect(facts[0].delta.disbursedFen).toBe(0n);
  });

  it('reversing a registration removes the loan, its contracted amount and its borrower', () => {
    const reg = registered('L3', '2024-02-02', '100.00', 'micro', 'B1', ['trademark', 'patent']);
    const folded = foldLoanEvents([
      reg,
      base('EventReversed', 'L3', '2024-02-03', 2, { reversedEventId: 'L3-1', reversedType: 'LoanRegistered', reversed: reg.data }),
    ], new Map());
    const delta = [...folded.facts.values()][0].delta;
    expect(delta).toMatchObject({ loans: 0, contractedFen: 0n, inclusiveLoans: 0 });
    expect([...folded.borrowers.values()][0].loans).toBe(0);
    expect(folded.dimensions.get('bank-zz:L3')).toMatchObject({ live: false, rightKind: 'patent' });
  });

  it('does not count large borrowers as SMEs served', () => {
    const folded = foldLoanEvents([registered('L4', '2024-05-01', '1.00', 'large')], new Map());
    expect(folded.borrowers.size).toBe(0);
    expect([...folded.facts.values()][0].delta.loans).toBe(1);
  });
});

describe('what the loan fold feeds beyond the financing facts', () => {
  it("counts an agency's inclusive borrowers and takes them out again on reversal", () => {
    const reg = registered('L5', '2024-04-01', '10.00');
    (reg.data as Record<string, unknown>).agencyId = 'agency-zz';
    const added = foldLoanEvents([reg], new Map());
    const member = { dim: 'agency-zz', member: '91350600MA2XXXXXX1', day: '2024-04-01', n: 1 };
    expect(added.bag.memberDeltas()).toEqual([
      expect.objectContaining({ ...member, measure: MEASURES.agencyInclusiveBorrowers }),
      expect.objectContaining({ ...member, measure: MEASURES.agencyInclusivePatentBorrowers }),
    ]);
    const both = foldLoanEvents([
      reg,
      base('EventReversed', 'L5', '2024-04-02', 2, { reversedEventId: 'L5-1', reversedType: 'LoanRegistered', reversed: reg.data }),
    ], new Map());
    expect(both.bag.memberDeltas()).toEqual([]);
  });

  it('keeps a trademark-only inclusive pledge out of the patent pledge set the Zhangzhou subsidy is judged on (§13)', () => {
    const reg = registered('L8', '2024-04-01', '10.00', 'small', '91350600MA2XXXXXX1', ['trademark']);
    (reg.data as Record<string, unknown>).agencyId = 'agency-zz';
    expect(foldLoanEvents([reg], new Map()).bag.memberDeltas().map((m) => m.measure)).toEqual([MEASURES.agencyInclusiveBorrowers]);
    const both = registered('L9', '2024-04-01', '10.00', 'small', '91350600MA2XXXXXX1', ['trademark', 'patent']);
    (both.data as Record<string, unknown>).agencyId = 'agency-zz';
    expect(foldLoanEvents([both], new Map()).bag.memberDeltas().map((m) => m.measure))
      .toEqual([MEASURES.agencyInclusiveBorrowers, MEASURES.agencyInclusivePatentBorrowers]);
  });

  it('does not count non-inclusive loans or loans without an agency', () => {
    const reg = registered('L6', '2024-04-01', '10.00');
    expect(foldLoanEvents([reg], new Map()).bag.memberDeltas()).toEqual([]);
  });

  it('records principal losses per loan and day, and their reversal', () => {
    const known = new Map<string, LoanDimension>([['bank-zz:L7', {
      bank: 'bank-zz', loanRef: 'L7', borrowerUscc: 'U', borrowerSize: 'small', region: '350602', registeredOn: '2024-01-01',
      principalFen: 100000n, rightKind: 'patent', inclusive: true, agencyId: null, live: true,
    }]]);
    const defaulted = base('LoanDefaulted', 'L7', '2024-06-01', 4, { principalLoss: '300.00' });
    expect([...foldLoanEvents([defaulted], known).losses.values()]).toEqual([{ bank: 'bank-zz', loanRef: 'L7', day: '2024-06-01', lossFen: 30000n }]);
    const undone = foldLoanEvents([
      base('EventReversed', 'L7', '2024-06-03', 5, { reversedEventId: 'L7-4', reversedType: 'LoanDefaulted', reversed: defaulted.data }),
    ], known);
    expect([...undone.losses.values()]).toEqual([{ bank: 'bank-zz', loanRef: 'L7', day: '2024-06-01', lossFen: -30000n }]);
  });
});
