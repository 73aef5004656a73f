import { EMPTY_PLEDGE_INDEX, applyLoanEvent, listPatent, pledgesOf, recordLicence, unlistedPatent } from '..';
import { ZZ_RURAL, TEA_DRYER, d, licence, listingOf, loanRegistered, refusal, zhangzhouVocational } from './fixtures';

describe('a pledge registered before the patent is listed still locks it', () => {
  // The bank writes the number with its ZL prefix and spaces; the registry normalises it.
  const loan = loanRegistered(ZZ_RURAL, 'NC-2024-0042', [`ZL ${TEA_DRYER.slice(0, 4)} ${TEA_DRYER.slice(4)}`], {
    trademarks: ['43219876'],
  });
  const { index, locks } = applyLoanEvent(EMPTY_PLEDGE_INDEX, loan);

  it('locks the patent right and ignores the trademark', () => {
    expect(locks).toEqual([{ number: TEA_DRYER, bank: ZZ_RURAL, loanRef: 'NC-2024-0042' }]);
    expect(pledgesOf(index, TEA_DRYER)).toEqual([{ bank: ZZ_RURAL, loanRef: 'NC-2024-0042' }]);
  });

  it('keeps the pledge when the college lists the patent, and refuses a licence without consent', () => {
    const known = unlistedPatent(TEA_DRYER, pledgesOf(index, TEA_DRYER));
    const { state, outcome } = listPatent(known, listingOf(TEA_DRYER), zhangzhouVocational, d('2024-03-01'));
    expect(outcome).toBe('listed');
    expect(state.pledges).toEqual([{ bank: ZZ_RURAL, loanRef: 'NC-2024-0042' }]);

    const error = refusal(() => recordLicence(state, licence({ endsOn: d('2026-03-14') }), zhangzhouVocational));
    expect(error).toMatchObject({ code: 'patent-pledged', context: { pledgees: [ZZ_RURAL] } });
    const consented = recordLicence(
      state,
      licence({ endsOn: d('2026-03-14'), pledgeeConsent: true }),
      zhangzhouVocational,
    );
    expect(consented.events[0].data).toMatchObject({ pledgeeConsent: true });
  });

  it('answers not-found, not not-owner, for commands on a number that is only pledged', () => {
    const known = unlistedPatent(TEA_DRYER, pledgesOf(index, TEA_DRYER));
    expect(refusal(() => recordLicence(known, licence(), zhangzhouVocational))).toMatchObject({
      code: 'patent-not-found',
      kind: 'not-found',
    });
  });
});
