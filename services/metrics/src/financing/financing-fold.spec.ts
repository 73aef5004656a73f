import { OrphanEvent } from '../common/orphan-event';
import { MEASURES } from '../counters/deltas';
import {
  addDefaultedLoans, defaultedOn, foldLoanEvents, loanId, type LoanDefaultDay, type LoanDimension, type LoanEventForFold,
} from './financing-fold';

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
    addDefaultedLoans(folded, new Map(), new Map());
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

describe('events of a loan metrics never registered (its LoanRegistered was dead-lettered) are orphans, not dropped', () => {
  const failure = (events: LoanEventForFold[], known: ReadonlyMap<string, LoanDimension> = new Map()): unknown => {
    try {
      foldLoanEvents(events, known);
    } catch (error) {
      return error;
    }
    return undefined;
  };
  const reason = (loanRef: string): string =>
    `orphan: no LoanRegistered for bank-zz:${loanRef} was applied (dead-lettered or never published)`;
  const reg = registered('L5', '2024-02-02', '100.00');

  it('refuses every kind of later event, naming its place in the batch', () => {
    const later = [
      base('LoanDisbursed', 'L5', '2024-02-05', 2, { amount: '100.00' }),
      base('RepaymentReceived', 'L5', '2024-03-05', 3, { principal: '1.00', interest: '0.10' }),
      base('LoanOverdue', 'L5', '2024-04-05', 4, { overdueDays: 3 }),
      base('LoanDefaulted', 'L5', '2024-05-05', 5, { principalLoss: '99.00' }),
      base('LoanSettled', 'L5', '2024-06-05', 6),
      base('EventReversed', 'L5', '2024-06-06', 7, { reversedEventId: 'L5-1', reversedType: 'LoanRegistered', reversed: reg.data }),
    ];
    for (const event of later) {
      const error = failure([registered('L6', '2024-02-02', '1.00'), event]);
      expect(error).toBeInstanceOf(OrphanEvent);
      expect(error).toMatchObject({ index: 1, message: reason('L5') });
    }
  });

  it('refuses events after the registration was reversed, also when the reversal came in an earlier batch', () => {
    const reversal = base('EventReversed', 'L5', '2024-02-03', 2, { reversedEventId: 'L5-1', reversedType: 'LoanRegistered', reversed: reg.data });
    const tranche = base('LoanDisbursed', 'L5', '2024-02-05', 3, { amount: '100.00' });
    expect(failure([reg, reversal, tranche])).toMatchObject({ index: 2, message: reason('L5') });
    const stored = foldLoanEvents([reg, reversal], new Map()).dimensions;
    expect(failure([tranche], stored)).toMatchObject({ index: 0 });
    // A second reversal of the same registration would undo it twice.
    expect(failure([reversal], stored)).toMatchObject({ index: 0 });
  });

  it('folds a loan registered in the same batch or stored before, and a registration again after its reversal', () => {
    const stored = foldLoanEvents([reg], new Map()).dimensions;
    expect(() => foldLoanEvents([base('LoanDisbursed', 'L5', '2024-02-05', 2, { amount: '100.00' })], stored)).not.toThrow();
    const reversal = base('EventReversed', 'L5', '2024-02-03', 2, { reversedEventId: 'L5-1', reversedType: 'LoanRegistered', reversed: reg.data });
    const again = { ...registered('L5', '2024-02-04', '50.00'), data: { ...registered('L5', '2024-02-04', '50.00').data, eventId: 'L5-3', sequence: 3 } };
    const folded = foldLoanEvents([reg, reversal, again, base('LoanDisbursed', 'L5', '2024-02-05', 4, { amount: '50.00' })], new Map());
    expect(folded.dimensions.get('bank-zz:L5')).toMatchObject({ live: true, principalFen: 5000n });
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
    expect([...foldLoanEvents([defaulted], known).losses.values()]).toEqual([{ bank: 'bank-zz', loanRef: 'L7', day: '2024-06-01', lossFen: 30000n, defaults: 1 }]);
    const undone = foldLoanEvents([
      base('EventReversed', 'L7', '2024-06-03', 5, { reversedEventId: 'L7-4', reversedType: 'LoanDefaulted', reversed: defaulted.data }),
    ], known);
    expect([...undone.losses.values()]).toEqual([{ bank: 'bank-zz', loanRef: 'L7', day: '2024-06-01', lossFen: -30000n, defaults: -1 }]);
  });
});

describe('defaults count defaulted loans, on the earliest live default day (pledge-loans\' defaultedOn)', () => {
  const L = 'L10';
  const dimension: LoanDimension = {
    bank: 'bank-zz', loanRef: L, borrowerUscc: 'U', borrowerSize: 'small', region: '350602', registeredOn: '2024-01-10',
    principalFen: 100_000_000n, rightKind: 'patent', inclusive: false, agencyId: null, live: true,
  };
  const known = new Map([[loanId('bank-zz', L), dimension]]);
  const june = base('LoanDefaulted', L, '2024-06-01', 3, { principalLoss: '300000.00' });
  const november = base('LoanDefaulted', L, '2024-11-20', 4, { principalLoss: '200000.00' });
  const reversal = (sequence: number, of: LoanEventForFold) => base('EventReversed', L, '2024-12-01', sequence, {
    reversedEventId: (of.data as { eventId: string }).eventId, reversedType: 'LoanDefaulted', reversed: of.data,
  });

  /** The consumer's path over batches: `loan_loss` kept in memory, the facts' defaults and losses summed per day. */
  function fold(batches: LoanEventForFold[][]): { defaults: Record<string, number>; lossFen: Record<string, bigint>; stored: LoanDefaultDay[] } {
    let stored: LoanDefaultDay[] = [];
    const defaults: Record<string, number> = {};
    const lossFen: Record<string, bigint> = {};
    for (const events of batches) {
      const folded = foldLoanEvents(events, known);
      addDefaultedLoans(folded, new Map([[loanId('bank-zz', L), stored]]), known);
      for (const { key, delta } of folded.facts.values()) {
        defaults[key.day] = (defaults[key.day] ?? 0) + delta.defaults;
        lossFen[key.day] = (lossFen[key.day] ?? 0n) + delta.lossFen;
      }
      const days = new Map(stored.map((d) => [d.day, { ...d }]));
      for (const l of folded.losses.values()) {
        const d = days.get(l.day) ?? { day: l.day, lossFen: 0n, defaults: 0 };
        days.set(l.day, { day: l.day, lossFen: d.lossFen + l.lossFen, defaults: d.defaults + l.defaults });
      }
      stored = [...days.values()].filter((d) => d.lossFen !== 0n || d.defaults !== 0);
    }
    const nonZero = <T>(r: Record<string, T>) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== 0 && v !== 0n));
    return { defaults: nonZero(defaults), lossFen: nonZero(lossFen), stored };
  }

  /** The figures of `fold`, without the stored rows. */
  const figures = (batches: LoanEventForFold[][]) => {
    const { defaults, lossFen } = fold(batches);
    return { defaults, lossFen };
  };

  it('a loan defaulting twice on different days counts once, on the earlier day; both losses count on their own days', () => {
    const expected = { defaults: { '2024-06-01': 1 }, lossFen: { '2024-06-01': 30_000_000n, '2024-11-20': 20_000_000n } };
    expect(figures([[june], [november]])).toEqual(expected);
    expect(figures([[june, november]])).toEqual(expected);
    expect(figures([[november], [june]])).toEqual(expected);
    // A later-sequenced default may carry an earlier date: the count follows the date.
    const march = base('LoanDefaulted', L, '2024-03-15', 5, { principalLoss: '1.00' });
    expect(figures([[june], [november], [march]])).toEqual({ defaults: { '2024-03-15': 1 }, lossFen: { ...expected.lossFen, '2024-03-15': 100n } });
  });

  it('reversing the earlier default moves the count to the later one; reversing both leaves nothing, losses included', () => {
    expect(figures([[june], [november], [reversal(5, june)]])).toEqual({ defaults: { '2024-11-20': 1 }, lossFen: { '2024-11-20': 20_000_000n } });
    expect(fold([[june], [november], [reversal(5, june)], [reversal(6, november)]])).toEqual({ defaults: {}, lossFen: {}, stored: [] });
    expect(fold([[june, november, reversal(5, november), reversal(6, june)]])).toEqual({ defaults: {}, lossFen: {}, stored: [] });
    // Reversing the later one moves nothing.
    expect(figures([[june], [november], [reversal(5, november)]])).toEqual({ defaults: { '2024-06-01': 1 }, lossFen: { '2024-06-01': 30_000_000n } });
  });

  it('a default without a loss still makes the loan defaulted on its day', () => {
    const april = base('LoanDefaulted', L, '2024-04-01', 5, { principalLoss: '0.00' });
    expect(figures([[june], [april]])).toEqual({ defaults: { '2024-04-01': 1 }, lossFen: { '2024-06-01': 30_000_000n } });
    expect(figures([[june], [april], [reversal(6, april)]])).toEqual({ defaults: { '2024-06-01': 1 }, lossFen: { '2024-06-01': 30_000_000n } });
    // Two defaults of one day: reversing the one with the loss leaves the day defaulted.
    const sameDay = base('LoanDefaulted', L, '2024-06-01', 5, { principalLoss: '0.00' });
    expect(fold([[june, sameDay], [reversal(6, june)]])).toEqual({
      defaults: { '2024-06-01': 1 }, lossFen: {}, stored: [{ day: '2024-06-01', lossFen: 0n, defaults: 1 }],
    });
  });

  it('the default day is the earliest day with a live default, also in rows kept before days were counted', () => {
    expect(defaultedOn([])).toBeNull();
    expect(defaultedOn([{ day: '2024-06-01', lossFen: 1n, defaults: 1 }, { day: '2024-03-01', lossFen: 0n, defaults: 1 }])).toBe('2024-03-01');
    // A migrated row (count 1 for two losses of a day) after one of them was reversed: still a loss, still defaulted.
    expect(defaultedOn([{ day: '2024-03-01', lossFen: 5n, defaults: 0 }, { day: '2024-06-01', lossFen: 1n, defaults: 1 }])).toBe('2024-03-01');
    // ... and after both were: nothing live that day.
    expect(defaultedOn([{ day: '2024-03-01', lossFen: 0n, defaults: -1 }, { day: '2024-06-01', lossFen: 1n, defaults: 1 }])).toBe('2024-06-01');
  });

  it('counts the loan under its own bank, region, right kind and size', () => {
    const folded = foldLoanEvents([june], known);
    addDefaultedLoans(folded, new Map(), known);
    expect([...folded.facts.values()].map((f) => f.key)).toEqual([
      { day: '2024-06-01', region: '350602', bank: 'bank-zz', rightKind: 'patent', borrowerSize: 'small' },
    ]);
  });
});
