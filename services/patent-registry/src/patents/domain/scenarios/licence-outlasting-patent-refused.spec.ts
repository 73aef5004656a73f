import { makePatentNumber } from '@ipfin/kernel';
import { declareOpenLicence, lastDayOfTerm, recordLicence, unlistedPatent } from '..';
import {
  NARCISSUS_VASE,
  PV_MODULE,
  TEA_DRYER,
  d,
  licence,
  listedBy,
  minnanNormal,
  openLicence,
  refusal,
  zhangzhouVocational,
} from './fixtures';

describe('a licence may not outlast the patent', () => {
  it('counts the term from 1 January of the application year when no filing date is known', () => {
    expect(lastDayOfTerm(unlistedPatent(PV_MODULE)).toString()).toBe('2042-12-31'); // invention, 20 years
    expect(lastDayOfTerm(unlistedPatent(TEA_DRYER)).toString()).toBe('2031-12-31'); // utility model, 10 years
    // A design of 2021 may have been filed before 2021-06-01 (10-year term): the earliest expiry counts.
    expect(lastDayOfTerm(unlistedPatent(NARCISSUS_VASE)).toString()).toBe('2030-12-31');
    expect(lastDayOfTerm(unlistedPatent(makePatentNumber(2022, 3, 1))).toString()).toBe('2036-12-31');
  });

  it('uses a known filing date instead', () => {
    expect(lastDayOfTerm(unlistedPatent(PV_MODULE, [], d('2023-08-15'))).toString()).toBe('2043-08-14');
  });

  it('counts a PCT national-phase number from the earliest international filing date its entry year allows', () => {
    // Entered China in 2023: the international filing may date from as early as May 2020.
    expect(lastDayOfTerm(unlistedPatent(makePatentNumber(2023, 8, 1))).toString()).toBe('2040-04-30');
  });

  it('refuses an invention licence running into 2043 and accepts one ending 2042-12-31', () => {
    const patent = listedBy(minnanNormal, PV_MODULE);
    const error = refusal(() =>
      recordLicence(patent, licence({ startsOn: d('2030-01-01'), endsOn: d('2043-01-01') }), minnanNormal),
    );
    expect(error).toMatchObject({ code: 'licence-outlasts-patent', kind: 'rule', context: { lastDay: '2042-12-31' } });
    expect(() =>
      recordLicence(patent, licence({ startsOn: d('2030-01-01'), endsOn: d('2042-12-31') }), minnanNormal),
    ).not.toThrow();
  });

  it('refuses a ten-year licence of a utility model filed in 2022 that starts in 2024', () => {
    const patent = listedBy(zhangzhouVocational, TEA_DRYER);
    const error = refusal(() =>
      recordLicence(patent, licence({ startsOn: d('2024-03-15'), endsOn: d('2034-03-14') }), zhangzhouVocational),
    );
    expect(error.code).toBe('licence-outlasts-patent');
  });

  it('refuses an open licence declared for longer than the patent has left', () => {
    const patent = listedBy(zhangzhouVocational, TEA_DRYER);
    const tooLong = openLicence({ declaredOn: d('2029-01-01'), termYears: 4, evaluationReportNo: 'PJ2023350600123' });
    expect(refusal(() => declareOpenLicence(patent, tooLong, zhangzhouVocational)).code).toBe(
      'licence-outlasts-patent',
    );
    expect(() => declareOpenLicence(patent, { ...tooLong, termYears: 3 }, zhangzhouVocational)).not.toThrow();
  });
});
