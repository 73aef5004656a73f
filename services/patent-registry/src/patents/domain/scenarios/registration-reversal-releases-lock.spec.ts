import { EMPTY_PLEDGE_INDEX, OrphanLoanEvent, applyLoanEvent, pledgesOf, type PledgeIndex } from '..';
import {
  BATTERY_SEPARATOR,
  ICBC_ZZ,
  PV_MODULE,
  ZZ_RURAL,
  loanDefaulted,
  loanRegistered,
  loanSettled,
  reversalOf,
} from './fixtures';

describe('reversals of loan events move the pledge locks back', () => {
  const registration = loanRegistered(ICBC_ZZ, 'ZZ-2024-000200', [PV_MODULE, BATTERY_SEPARATOR]);
  const registered = applyLoanEvent(EMPTY_PLEDGE_INDEX, registration).index;

  it('releases every patent of a loan whose registration is reversed, and forgets the loan', () => {
    const effect = applyLoanEvent(registered, reversalOf(registration));
    expect(effect.releases.map((r) => r.number).sort()).toEqual([BATTERY_SEPARATOR, PV_MODULE].sort());
    expect(effect.loan).toBeNull();
    expect(pledgesOf(effect.index, PV_MODULE)).toEqual([]);
    expect(effect.index.loans.size).toBe(0);
    expect(effect.index.byPatent.size).toBe(0);
  });

  it('re-locks the patents when a settlement is reversed', () => {
    const settlement = loanSettled(ICBC_ZZ, 'ZZ-2024-000200');
    const settled = applyLoanEvent(registered, settlement).index;
    expect(pledgesOf(settled, PV_MODULE)).toEqual([]);
    const effect = applyLoanEvent(settled, reversalOf(settlement));
    expect(effect.locks.map((l) => l.number).sort()).toEqual([BATTERY_SEPARATOR, PV_MODULE].sort());
    expect(pledgesOf(effect.index, PV_MODULE)).toEqual([{ bank: ICBC_ZZ, loanRef: 'ZZ-2024-000200' }]);
  });

  it('releases a settled loan’s registration reversal without re-locking anything', () => {
    const settled = applyLoanEvent(registered, loanSettled(ICBC_ZZ, 'ZZ-2024-000200')).index;
    const effect = applyLoanEvent(settled, reversalOf(registration));
    expect(effect.releases).toEqual([]);
    expect(effect.locks).toEqual([]);
    expect(effect.index.loans.size).toBe(0);
  });

  it('keeps another loan’s pledge of the same patent', () => {
    // A second-ranking pledge on the same patent at another bank (the loan service decides whether that is allowed).
    const second = loanRegistered(ZZ_RURAL, 'NC-2024-0077', [PV_MODULE]);
    const both = applyLoanEvent(registered, second).index;
    expect(pledgesOf(both, PV_MODULE)).toHaveLength(2);
    const after = applyLoanEvent(both, reversalOf(registration)).index;
    expect(pledgesOf(after, PV_MODULE)).toEqual([{ bank: ZZ_RURAL, loanRef: 'NC-2024-0077' }]);
    expect(pledgesOf(after, BATTERY_SEPARATOR)).toEqual([]);
  });

  it('ignores reversals of other events, and replays', () => {
    const defaulted = loanDefaulted(ICBC_ZZ, 'ZZ-2024-000200');
    const unchanged = (index: PledgeIndex): void =>
      expect(pledgesOf(index, PV_MODULE)).toEqual([{ bank: ICBC_ZZ, loanRef: 'ZZ-2024-000200' }]);
    unchanged(applyLoanEvent(registered, defaulted).index);
    unchanged(applyLoanEvent(registered, reversalOf(defaulted)).index);
    unchanged(applyLoanEvent(registered, registration).index);
    expect(applyLoanEvent(registered, registration).locks).toEqual([]);
    const settled = applyLoanEvent(registered, loanSettled(ICBC_ZZ, 'ZZ-2024-000200')).index;
    const replayAfterSettlement = applyLoanEvent(settled, registration);
    expect(replayAfterSettlement.locks).toEqual([]);
    expect(pledgesOf(replayAfterSettlement.index, PV_MODULE)).toEqual([]);
  });

  it('keeps a trademark-only loan, with no patents and no locks, so its later events are not orphans', () => {
    const trademarkOnly = loanRegistered(ZZ_RURAL, 'TM-2024-0001', [], { trademarks: ['12345678'] });
    const effect = applyLoanEvent(EMPTY_PLEDGE_INDEX, trademarkOnly);
    expect(effect).toMatchObject({ loan: { bank: ZZ_RURAL, loanRef: 'TM-2024-0001', patents: [], settled: false }, locks: [], releases: [] });
    expect(effect.index.byPatent.size).toBe(0);
    const settled = applyLoanEvent(effect.index, loanSettled(ZZ_RURAL, 'TM-2024-0001'));
    expect(settled).toMatchObject({ loan: { patents: [], settled: true }, locks: [], releases: [] });
    expect(applyLoanEvent(settled.index, reversalOf(trademarkOnly)).index.loans.size).toBe(0);
  });

  it('refuses every event of a loan it does not know: its registration was never applied', () => {
    const orphanRegistration = loanRegistered(ZZ_RURAL, 'NOT-KNOWN', [PV_MODULE]);
    for (const orphan of [loanSettled(ZZ_RURAL, 'NOT-KNOWN'), loanDefaulted(ZZ_RURAL, 'NOT-KNOWN'), reversalOf(orphanRegistration)]) {
      expect(() => applyLoanEvent(registered, orphan)).toThrow(OrphanLoanEvent);
      expect(() => applyLoanEvent(registered, orphan)).toThrow(
        `orphan: no LoanRegistered for ${ZZ_RURAL}:NOT-KNOWN was applied (dead-lettered or never published)`,
      );
    }
    expect(pledgesOf(registered, PV_MODULE)).toEqual([{ bank: ICBC_ZZ, loanRef: 'ZZ-2024-000200' }]);
  });

  it('on a view upgraded from one that did not keep trademark-only loans, refuses only a provable orphan', () => {
    const legacy = { allLoansKnown: false };
    // Perhaps a trademark-only loan folded before the upgrade: nothing to do, as before.
    const stranger = applyLoanEvent(registered, loanSettled(ZZ_RURAL, 'NOT-KNOWN'), legacy);
    expect(stranger).toMatchObject({ loan: null, locks: [], releases: [] });
    expect(stranger.index).toBe(registered);
    const trademarkOnly = loanRegistered(ZZ_RURAL, 'TM-OLD', [], { trademarks: ['12345678'] });
    expect(applyLoanEvent(registered, reversalOf(trademarkOnly), legacy).index).toBe(registered);
    // A reversed registration that pledged a patent must have been applied.
    expect(() => applyLoanEvent(registered, reversalOf(loanRegistered(ZZ_RURAL, 'NOT-KNOWN', [PV_MODULE])), legacy)).toThrow(OrphanLoanEvent);
  });
});
