import { declareOpenLicence, takeOpenLicence } from '..';
import {
  ICBC_ZZ,
  NARCISSUS_VASE,
  PV_MODULE,
  TEA_DRYER,
  d,
  listedBy,
  longhaiEnergy,
  minnanNormal,
  openLicence,
  pledged,
  refusal,
  simingManufacturing,
  xiangchengOptics,
  xiangchengOpticsToken,
  zhangzhouVocational,
} from './fixtures';

describe('declaring an open licence', () => {
  it('needs a term of at least one year', () => {
    const error = refusal(() =>
      declareOpenLicence(listedBy(minnanNormal, PV_MODULE), openLicence({ termYears: 0 }), minnanNormal),
    );
    expect(error).toMatchObject({ code: 'open-licence-term-too-short', kind: 'rule' });
  });

  it.each([TEA_DRYER, NARCISSUS_VASE])(
    'needs a patent evaluation report for utility models and designs (%s)',
    (number) => {
      const patent = listedBy(zhangzhouVocational, number);
      expect(refusal(() => declareOpenLicence(patent, openLicence({ termYears: 2 }), zhangzhouVocational)).code).toBe(
        'evaluation-report-required',
      );
      const { events } = declareOpenLicence(
        patent,
        openLicence({ termYears: 2, evaluationReportNo: ' PJ2024350600017 ' }),
        zhangzhouVocational,
      );
      expect(events[0].data).toMatchObject({ evaluationReportNo: 'PJ2024350600017' });
    },
  );

  it('does not need one for inventions', () => {
    expect(() => declareOpenLicence(listedBy(minnanNormal, PV_MODULE), openLicence(), minnanNormal)).not.toThrow();
  });

  it('is refused while pledged, unless the pledgee consents', () => {
    const patent = pledged(listedBy(minnanNormal, PV_MODULE), { bank: ICBC_ZZ, loanRef: 'ZZ-2024-000123' });
    expect(refusal(() => declareOpenLicence(patent, openLicence(), minnanNormal)).code).toBe('patent-pledged');
    const { state, events } = declareOpenLicence(patent, openLicence({ pledgeeConsent: true }), minnanNormal);
    expect(state.openLicence?.pledgeeConsent).toBe(true);
    expect(events[0].data).toMatchObject({ pledgeeConsent: true });
  });

  it('is refused while one is already in force, and accepted after it expired', () => {
    const declared = declareOpenLicence(
      listedBy(minnanNormal, PV_MODULE),
      openLicence({ declaredOn: d('2024-09-01'), termYears: 1 }),
      minnanNormal,
    ).state;
    expect(
      refusal(() => declareOpenLicence(declared, openLicence({ declaredOn: d('2025-08-31') }), minnanNormal)).code,
    ).toBe('open-licence-already-declared');
    const renewed = declareOpenLicence(declared, openLicence({ declaredOn: d('2025-09-01') }), minnanNormal);
    expect(renewed.state.openLicence?.declaredOn.toString()).toBe('2025-09-01');
  });

  it('is only for the owner', () => {
    expect(
      refusal(() => declareOpenLicence(listedBy(minnanNormal, PV_MODULE), openLicence(), zhangzhouVocational)).code,
    ).toBe('not-owner');
  });

  it('announces the royalty terms and the owner region that open-licence figures count in', () => {
    const { events } = declareOpenLicence(
      listedBy(minnanNormal, PV_MODULE),
      openLicence({ royalty: { kind: 'percent_of_sales', percent: '2.5' }, termYears: 5, declaredOn: d('2024-02-29') }),
      minnanNormal,
    );
    expect(events).toEqual([
      {
        type: 'OpenLicenceDeclared',
        key: PV_MODULE,
        data: {
          number: PV_MODULE,
          kind: 'invention',
          termYears: 5,
          declaredOn: '2024-02-29',
          expiresOn: '2029-02-28',
          royalty: { kind: 'percent_of_sales', percent: '2.5' },
          owner: { sub: 'univ-minnan-normal', role: 'university', uscc: minnanNormal.uscc, region: '350600' },
        },
      },
    ]);
  });
});

describe('taking an open licence', () => {
  const declared = declareOpenLicence(listedBy(minnanNormal, PV_MODULE), openLicence(), minnanNormal).state;

  it('is refused before the declaration and after its term', () => {
    for (const takenOn of ['2024-08-31', '2027-09-01']) {
      const error = refusal(() =>
        takeOpenLicence(
          declared,
          { licenceId: 'ol-1', licensee: xiangchengOptics, takenOn: d(takenOn) },
          xiangchengOpticsToken,
        ),
      );
      expect(error.code).toBe('open-licence-not-declared');
    }
  });

  it('gives one licence per licensee while it is in force', () => {
    const taken = takeOpenLicence(
      declared,
      { licenceId: 'ol-1', licensee: xiangchengOptics, takenOn: d('2024-10-08') },
      xiangchengOpticsToken,
    ).state;
    const again = refusal(() =>
      takeOpenLicence(
        taken,
        { licenceId: 'ol-2', licensee: xiangchengOptics, takenOn: d('2025-10-08') },
        xiangchengOpticsToken,
      ),
    );
    expect(again).toMatchObject({ code: 'already-licensed', context: { licenceId: 'ol-1' } });
  });

  it('is taken by an enterprise for itself only', () => {
    const error = refusal(() =>
      takeOpenLicence(
        declared,
        { licenceId: 'ol-1', licensee: simingManufacturing, takenOn: d('2024-10-08') },
        xiangchengOpticsToken,
      ),
    );
    expect(error).toMatchObject({ code: 'not-licensee', kind: 'forbidden' });
  });

  it('is refused to an enterprise token without a uscc claim, whoever it names (403 enterprise-identity-missing)', () => {
    const { uscc: _uscc, ...withoutUscc } = xiangchengOpticsToken;
    for (const licensee of [xiangchengOptics, simingManufacturing]) {
      const error = refusal(() =>
        takeOpenLicence(declared, { licenceId: 'ol-1', licensee, takenOn: d('2024-10-08') }, withoutUscc),
      );
      expect(error).toMatchObject({ code: 'enterprise-identity-missing', kind: 'forbidden' });
    }
  });

  it('follows the patent after a transfer, and counts in the new owner’s region', () => {
    const sold = {
      ...declared,
      owner: { uscc: longhaiEnergy.uscc, name: longhaiEnergy.name, region: longhaiEnergy.regionCode },
    };
    const [event] = takeOpenLicence(
      sold,
      { licenceId: 'ol-1', licensee: xiangchengOptics, takenOn: d('2024-10-08') },
      xiangchengOpticsToken,
    ).events;
    if (event.type !== 'OpenLicenceTaken') throw new Error(`unexpected ${event.type}`);
    expect(event.data.owner).toEqual({ uscc: longhaiEnergy.uscc, name: longhaiEnergy.name, region: '350681' });
  });
});
