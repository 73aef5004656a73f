import { declareOpenLicence, recordLicence } from '..';
import { d, licence, listedBy, longhaiEnergy, minnanNormal, openLicence, PV_MODULE, refusal } from './fixtures';

describe('an open licence cannot be declared while an exclusive or sole licence runs', () => {
  // 闽南师范大学 licensed its PV-module invention exclusively to a Longhai enterprise for 2024-2026.
  const exclusive = recordLicence(
    listedBy(minnanNormal, PV_MODULE),
    licence({
      licenceId: 'lic-excl',
      licensee: longhaiEnergy,
      kind: 'exclusive',
      startsOn: d('2024-01-01'),
      endsOn: d('2026-12-31'),
    }),
    minnanNormal,
  ).state;

  it('refuses a declaration on a day the exclusive licence runs', () => {
    const error = refusal(() =>
      declareOpenLicence(exclusive, openLicence({ declaredOn: d('2024-09-01') }), minnanNormal),
    );
    expect(error).toMatchObject({
      code: 'exclusive-licence-in-force',
      kind: 'rule',
      context: { licenceId: 'lic-excl' },
    });
  });

  it('refuses a declaration whose term would reach into the exclusive licence', () => {
    const sole = recordLicence(
      listedBy(minnanNormal, PV_MODULE),
      licence({ licenceId: 'lic-sole', kind: 'sole', startsOn: d('2026-01-01'), endsOn: d('2027-12-31') }),
      minnanNormal,
    ).state;
    const error = refusal(() =>
      declareOpenLicence(sole, openLicence({ declaredOn: d('2024-09-01'), termYears: 3 }), minnanNormal),
    );
    expect(error.code).toBe('exclusive-licence-in-force');
  });

  it('accepts the declaration once the exclusive licence has ended', () => {
    const { state, events } = declareOpenLicence(
      exclusive,
      openLicence({ declaredOn: d('2027-01-01'), termYears: 2 }),
      minnanNormal,
    );
    expect(state.openLicence?.expiresOn.toString()).toBe('2028-12-31');
    expect(events[0]).toMatchObject({
      type: 'OpenLicenceDeclared',
      key: PV_MODULE,
      data: { declaredOn: '2027-01-01', expiresOn: '2028-12-31' },
    });
  });

  it('is not bothered by ordinary licences', () => {
    const ordinary = recordLicence(
      listedBy(minnanNormal, PV_MODULE),
      licence({ kind: 'ordinary' }),
      minnanNormal,
    ).state;
    expect(() => declareOpenLicence(ordinary, openLicence(), minnanNormal)).not.toThrow();
  });
});
