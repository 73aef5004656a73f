import { declareOpenLicence, takeOpenLicence, withdrawOpenLicence } from '..';
import {
  PV_MODULE,
  d,
  listedBy,
  longhaiEnergy,
  longhaiEnergyToken,
  minnanNormal,
  openLicence,
  refusal,
  simingManufacturing,
  simingManufacturingToken,
  xiangchengOptics,
  xiangchengOpticsToken,
} from './fixtures';

describe('withdrawing an open licence keeps the licences already taken', () => {
  // Declared 2024-09-01 for 3 years (to 2027-08-31), ¥20 000 lump sum.
  const declared = declareOpenLicence(listedBy(minnanNormal, PV_MODULE), openLicence(), minnanNormal).state;
  const firstTaker = takeOpenLicence(
    declared,
    { licenceId: 'ol-1', licensee: xiangchengOptics, takenOn: d('2024-10-08') },
    xiangchengOpticsToken,
  );
  const secondTaker = takeOpenLicence(
    firstTaker.state,
    { licenceId: 'ol-2', licensee: simingManufacturing, takenOn: d('2024-11-20') },
    simingManufacturingToken,
  );
  const withdrawal = withdrawOpenLicence(secondTaker.state, { withdrawnOn: d('2025-01-01') }, minnanNormal);

  it('gives each taker an ordinary licence on the declared terms to the end of the declared term', () => {
    expect(firstTaker.events[0]).toEqual({
      type: 'OpenLicenceTaken',
      key: PV_MODULE,
      data: {
        number: PV_MODULE,
        kind: 'invention',
        licenceId: 'ol-1',
        owner: { sub: 'univ-minnan-normal', role: 'university', uscc: minnanNormal.uscc, region: '350600' },
        licensee: { uscc: xiangchengOptics.uscc, name: xiangchengOptics.name, regionCode: '350602' },
        takenOn: '2024-10-08',
        endsOn: '2027-08-31',
        declaredOn: '2024-09-01',
        royalty: { kind: 'lump_sum', amount: '20000.00' },
      },
    });
  });

  it('keeps both takers’ licences, unshortened, after the withdrawal', () => {
    const takers = withdrawal.state.licences.filter((l) => l.viaOpenLicence);
    expect(takers.map((l) => [l.id, l.kind, l.startsOn.toString(), l.endsOn.toString()])).toEqual([
      ['ol-1', 'ordinary', '2024-10-08', '2027-08-31'],
      ['ol-2', 'ordinary', '2024-11-20', '2027-08-31'],
    ]);
    expect(withdrawal.events[0]).toEqual({
      type: 'OpenLicenceWithdrawn',
      key: PV_MODULE,
      data: {
        number: PV_MODULE,
        kind: 'invention',
        declaredOn: '2024-09-01',
        withdrawnOn: '2025-01-01',
        owner: { sub: 'univ-minnan-normal', role: 'university', uscc: minnanNormal.uscc, region: '350600' },
      },
    });
  });

  it('lets nobody take the licence from the withdrawal day on', () => {
    const late = refusal(() =>
      takeOpenLicence(
        withdrawal.state,
        { licenceId: 'ol-3', licensee: longhaiEnergy, takenOn: d('2025-01-01') },
        longhaiEnergyToken,
      ),
    );
    expect(late.code).toBe('open-licence-not-declared');
    expect(() =>
      takeOpenLicence(
        withdrawal.state,
        { licenceId: 'ol-3', licensee: longhaiEnergy, takenOn: d('2024-12-31') },
        longhaiEnergyToken,
      ),
    ).not.toThrow();
  });

  it('refuses a back-dated withdrawal that would undo a taking', () => {
    const error = refusal(() => withdrawOpenLicence(secondTaker.state, { withdrawnOn: d('2024-11-20') }, minnanNormal));
    expect(error).toMatchObject({ code: 'withdrawal-predates-taking', context: { licenceId: 'ol-2' } });
  });

  it('refuses a second withdrawal, and one without a declaration', () => {
    expect(
      refusal(() => withdrawOpenLicence(withdrawal.state, { withdrawnOn: d('2025-02-01') }, minnanNormal)).code,
    ).toBe('open-licence-not-declared');
    expect(
      refusal(() =>
        withdrawOpenLicence(listedBy(minnanNormal, PV_MODULE), { withdrawnOn: d('2025-02-01') }, minnanNormal),
      ).code,
    ).toBe('open-licence-not-declared');
  });

  it('allows a new declaration after the withdrawal, without touching the old takers', () => {
    const again = declareOpenLicence(
      withdrawal.state,
      openLicence({ declaredOn: d('2025-06-01'), termYears: 1, royalty: { kind: 'percent_of_sales', percent: '3.5' } }),
      minnanNormal,
    );
    expect(again.state.openLicence).toMatchObject({
      termYears: 1,
      royalty: { kind: 'percent_of_sales', percent: '3.5' },
    });
    expect(again.state.licences).toHaveLength(2);
    // An existing taker still holds its licence: no second one.
    expect(
      refusal(() =>
        takeOpenLicence(
          again.state,
          { licenceId: 'ol-4', licensee: xiangchengOptics, takenOn: d('2025-06-02') },
          xiangchengOpticsToken,
        ),
      ).code,
    ).toBe('already-licensed');
  });
});
