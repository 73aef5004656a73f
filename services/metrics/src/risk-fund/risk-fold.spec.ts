import { DeltaBag, MEASURES } from '../counters/deltas';
import type { LoanCoverage, LoanLoss } from './coverage.repository';
import { addCoveredLosses, foldRiskEvents, type ClaimState, type RiskStates } from './risk-fold';

const ev = (name: string, data: Record<string, unknown>) => ({ ceType: `ipfin.risk.${name}.v1`, data: { region: '350600', ...data } });
const claim = (name: string, claimId: string, data: Record<string, unknown> = {}) => ev(name, { claimId, bank: 'bank-zz', loanRef: `L-${claimId}`, ...data });
const covered = (loanRef: string, isCovered: boolean, principal = '1000000.00', registeredOn = '2024-03-01', region = '350600') =>
  ev('LoanCovered', {
    region, bank: 'bank-zz', loanRef, registrationEventId: 'e1', covered: isCovered, reasons: [], borrower: { uscc: 'U', size: 'small', regionCode: '350602' },
    principal, registeredOn, cause: 'registered',
  });
const none: RiskStates = { claims: new Map(), coverage: new Map(), losses: new Map() };
const figures = (bag: ReturnType<typeof foldRiskEvents>['bag']) =>
  Object.fromEntries(bag.counterDeltas().map((d) => [`${d.measure}@${d.day}`, { n: d.n, amountFen: d.amountFen }]));

describe('folding risk events', () => {
  it('dates capital, bank shares, payouts and recoveries by their own dates', () => {
    const out = foldRiskEvents([
      ev('CapitalContributed', { contributionId: 'c1', amount: '1000000.00', receivedOn: '2024-02-05' }),
      claim('ClaimFiled', 'K1', { principalLoss: '100.00', defaultedOn: '2024-05-01', filedOn: '2024-05-03', policyVersion: '2024-02-02' }),
      claim('ClaimApproved', 'K1', { principalLoss: '100.00', fundSharePercent: '80', capped: false, fundShare: '80.00', bankShare: '20.00', approvedOn: '2024-05-10', approvalSequence: 1 }),
      claim('ClaimPaid', 'K1', { fundShare: '80.00', paidOn: '2024-05-11', approvalSequence: 1 }),
      claim('RecoveryShared', 'K1', { recoveryId: 'r1', amount: '10.00', fundPart: '8.00', bankPart: '2.00', recoveredOn: '2024-09-01' }),
    ], none);
    expect(figures(out.bag)).toEqual({
      [`${MEASURES.capital}@2024-02-05`]: { n: 1, amountFen: 100000000n },
      [`${MEASURES.claims('paid')}@2024-05-03`]: { n: 1, amountFen: 0n },
      [`${MEASURES.bankShare}@2024-05-10`]: { n: 1, amountFen: 2000n },
      [`${MEASURES.paidOut}@2024-05-11`]: { n: 1, amountFen: 8000n },
      [`${MEASURES.recoveredToFund}@2024-09-01`]: { n: 1, amountFen: 800n },
    });
    expect(out.claims.get('K1')).toMatchObject({ status: 'paid', filedOn: '2024-05-03' });
  });

  it('moves a stored claim between statuses, dated by its filing day', () => {
    const known: ClaimState = { claimId: 'K2', fundRegion: '350600', bank: 'bank-zz', loanRef: 'L-K2', status: 'filed', filedOn: '2023-12-30' };
    const out = foldRiskEvents([claim('ClaimRejected', 'K2', { reason: 'late', rejectedOn: '2024-01-05' })], { ...none, claims: new Map([['K2', known]]) });
    expect(figures(out.bag)).toEqual({
      [`${MEASURES.claims('filed')}@2023-12-30`]: { n: -1, amountFen: 0n },
      [`${MEASURES.claims('rejected')}@2023-12-30`]: { n: 1, amountFen: 0n },
    });
  });

  describe('a waiting claim withdrawn because its default was reversed', () => {
    const approve = claim('ClaimApproved', 'K3', { principalLoss: '100.00', fundSharePercent: '80', capped: false, fundShare: '80.00', bankShare: '20.00', approvedOn: '2024-05-10', approvalSequence: 1 });
    const withdraw = claim('ClaimRejected', 'K3', { reason: 'default-reversed: the default of the loan was reversed', rejectedOn: '2024-06-02' });
    const filed: ClaimState = { claimId: 'K3', fundRegion: '350600', bank: 'bank-zz', loanRef: 'L-K3', status: 'filed', filedOn: '2024-05-03' };

    it('gives the approval\'s bank share back, in one batch', () => {
      const out = foldRiskEvents([approve, withdraw], { ...none, claims: new Map([['K3', filed]]) });
      expect(figures(out.bag)).toEqual({
        [`${MEASURES.claims('filed')}@2024-05-03`]: { n: -1, amountFen: 0n },
        [`${MEASURES.claims('rejected')}@2024-05-03`]: { n: 1, amountFen: 0n },
      }); // the share counted and given back in one batch nets to nothing
      expect(out.claims.get('K3')).toEqual({ ...filed, status: 'rejected' });
    });

    it('gives it back from the stored approval when the withdrawal comes in a later batch', () => {
      const approved = foldRiskEvents([approve], { ...none, claims: new Map([['K3', filed]]) });
      const stored = approved.claims.get('K3')!;
      expect(stored).toEqual({ ...filed, status: 'waiting', approval: { bankShareFen: 2000n, approvedOn: '2024-05-10' } });
      const out = foldRiskEvents([withdraw], { ...none, claims: new Map([['K3', stored]]) });
      expect(figures(out.bag)).toEqual({
        [`${MEASURES.claims('waiting')}@2024-05-03`]: { n: -1, amountFen: 0n },
        [`${MEASURES.claims('rejected')}@2024-05-03`]: { n: 1, amountFen: 0n },
        [`${MEASURES.bankShare}@2024-05-10`]: { n: -1, amountFen: -2000n },
      });
    });

    it('keeps the bank share of a claim that was paid', () => {
      const out = foldRiskEvents([approve, claim('ClaimPaid', 'K3', { fundShare: '80.00', paidOn: '2024-05-11', approvalSequence: 1 })], { ...none, claims: new Map([['K3', filed]]) });
      expect(figures(out.bag)[`${MEASURES.bankShare}@2024-05-10`]).toEqual({ n: 1, amountFen: 2000n });
      expect(out.claims.get('K3')).toEqual({ ...filed, status: 'paid' });
    });
  });

  it('counts a covered loan with the losses already recorded, and restates when coverage is withdrawn', () => {
    const losses = new Map<string, LoanLoss[]>([['bank-zz:L1', [{ day: '2024-08-01', lossFen: 5000n }]]]);
    const first = foldRiskEvents([covered('L1', true)], { ...none, losses });
    expect(figures(first.bag)).toEqual({
      [`${MEASURES.coveredLoans}@2024-03-01`]: { n: 1, amountFen: 100000000n },
      [`${MEASURES.coveredLoss}@2024-08-01`]: { n: 0, amountFen: 5000n },
    });
    const stored: LoanCoverage = first.coverage.get('bank-zz:L1')!;
    const withdrawn = foldRiskEvents([covered('L1', false)], { ...none, losses, coverage: new Map([['bank-zz:L1', stored]]) });
    expect(figures(withdrawn.bag)).toEqual({
      [`${MEASURES.coveredLoans}@2024-03-01`]: { n: -1, amountFen: -100000000n },
      [`${MEASURES.coveredLoss}@2024-08-01`]: { n: 0, amountFen: -5000n },
    });
    expect(withdrawn.coverage.get('bank-zz:L1')?.coveredBy.size).toBe(0);
  });

  it('nets out coverage flipping within one batch', () => {
    const out = foldRiskEvents([covered('L1', true), covered('L1', false), covered('L1', true, '2.00')], none);
    expect(figures(out.bag)).toEqual({ [`${MEASURES.coveredLoans}@2024-03-01`]: { n: 1, amountFen: 200n } });
  });

  describe('a loan moved from the 350600 fund to the 350602 county fund by a policy change', () => {
    // risk-compensation (reassessCoverage) publishes {350600, covered:false} keyed 350600, then
    // {350602, covered:true} keyed 350602: two keys, possibly two partitions, folded in either order.
    const principal = '1000000.00';
    const before = covered('L9', true, principal, '2024-03-01', '350600');
    const leaves = covered('L9', false, principal, '2024-03-01', '350600');
    const joins = covered('L9', true, principal, '2024-03-01', '350602');
    const lossBefore: LoanLoss = { day: '2024-06-01', lossFen: 30000n };
    const lossAfter = { bank: 'bank-zz', loanRef: 'L9', day: '2024-09-01', lossFen: 20000n };

    /** The figures per fund after folding `batches` one after the other (each batch's state stored), then the late loss. */
    function run(batches: ReturnType<typeof covered>[][]) {
      const bag = new DeltaBag();
      let coverage = new Map<string, LoanCoverage>();
      const losses = new Map<string, LoanLoss[]>([['bank-zz:L9', [lossBefore]]]);
      for (const batch of batches) {
        const out = foldRiskEvents(batch, { ...none, losses, coverage });
        for (const d of out.bag.counterDeltas()) bag.count(d, d.n, d.amountFen);
        coverage = new Map([...coverage, ...out.coverage]);
      }
      // A default declared after the move, folded by the loans consumer under the coverage lock.
      addCoveredLosses(bag, coverage, [lossAfter]);
      // Net figures per fund, all days together (a fund whose changes cancel out shows nothing).
      const perFund: Record<string, Record<string, { n: number; amountFen: bigint }>> = {};
      for (const d of bag.counterDeltas()) {
        const f = ((perFund[d.region] ??= {})[d.measure] ??= { n: 0, amountFen: 0n });
        f.n += d.n;
        f.amountFen += d.amountFen;
      }
      return { perFund, coveredBy: [...(coverage.get('bank-zz:L9')?.coveredBy.keys() ?? [])] };
    }

    const expected = {
      perFund: {
        // 350600: its +1 and −1 (and the loss before the move) cancel out.
        '350602': { [MEASURES.coveredLoans]: { n: 1, amountFen: 100000000n }, [MEASURES.coveredLoss]: { n: 0, amountFen: 50000n } },
      },
      coveredBy: ['350602'],
    };

    it('counts it in the new fund only when the old fund\'s partition is folded first', () => {
      expect(run([[before, leaves], [joins]])).toEqual(expected);
    });

    it('counts it in the new fund only when the new fund\'s partition is folded first', () => {
      expect(run([[before], [joins], [leaves]])).toEqual(expected);
    });

    it('gives the same figures when all three arrive in one batch, either way round', () => {
      expect(run([[before, joins, leaves]])).toEqual(expected);
      expect(run([[before, leaves, joins]])).toEqual(expected);
    });

    it('keeps a loan covered by two funds at once only until the old fund\'s withdrawal is folded', () => {
      expect(run([[before], [joins]]).coveredBy).toEqual(['350600', '350602']);
    });
  });

  it('ignores policies', () => {
    expect(foldRiskEvents([ev('PolicySet', { effectiveFrom: '2024-02-02' })], none).bag.counterDeltas()).toEqual([]);
  });
});
