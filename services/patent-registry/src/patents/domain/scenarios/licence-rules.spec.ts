import { Money } from '@ipfin/kernel';
import { isAvailableOn, recordLicence, unlistedPatent, type LicenceKind, type ListedPatentState } from '..';
import {
  PV_MODULE,
  d,
  licence,
  listedBy,
  longhaiEnergy,
  minnanNormal,
  pledged,
  refusal,
  simingManufacturing,
} from './fixtures';

describe('recording licence contracts', () => {
  const patent = listedBy(minnanNormal, PV_MODULE);
  const withLicence = (kind: LicenceKind): ListedPatentState =>
    recordLicence(
      patent,
      licence({
        licenceId: 'lic-first',
        kind,
        licensee: longhaiEnergy,
        startsOn: d('2024-01-01'),
        endsOn: d('2025-12-31'),
      }),
      minnanNormal,
    ).state;

  it('accepts a free licence to a staff start-up (royalty 0)', () => {
    const { events } = recordLicence(
      patent,
      licence({ royalty: Money.ZERO, recordedOn: d('2024-04-10') }),
      minnanNormal,
    );
    expect(events).toEqual([
      {
        type: 'LicenceRecorded',
        key: PV_MODULE,
        data: expect.objectContaining({
          royalty: '0.00',
          licenceKind: 'ordinary',
          recordedOn: '2024-04-10',
          viaOpenLicence: false,
          licensee: expect.objectContaining({ regionCode: '350602' }),
        }) as unknown,
      },
    ]);
  });

  // Rows: existing licence; columns: new licence over an overlapping period.
  it.each([
    ['exclusive', 'exclusive', 'licence-conflict'],
    ['exclusive', 'sole', 'licence-conflict'],
    ['exclusive', 'ordinary', 'licence-conflict'],
    ['sole', 'exclusive', 'licence-conflict'],
    ['sole', 'sole', 'licence-conflict'],
    ['sole', 'ordinary', 'licence-conflict'],
    ['ordinary', 'exclusive', 'licence-conflict'],
    ['ordinary', 'sole', 'licence-conflict'],
    ['ordinary', 'ordinary', undefined],
  ] as const)('an existing %s licence and a new %s one over the same period: %s', (existing, kind, code) => {
    const act = (): unknown =>
      recordLicence(
        withLicence(existing),
        licence({
          licenceId: 'lic-second',
          kind,
          licensee: simingManufacturing,
          startsOn: d('2025-06-01'),
          endsOn: d('2026-05-31'),
        }),
        minnanNormal,
      );
    if (code === undefined) expect(act).not.toThrow();
    else expect(refusal(act)).toMatchObject({ code, context: { conflictsWith: 'lic-first' } });
  });

  it('accepts an exclusive licence that starts the day after another ends', () => {
    expect(() =>
      recordLicence(
        withLicence('exclusive'),
        licence({ licenceId: 'lic-second', kind: 'exclusive', startsOn: d('2026-01-01'), endsOn: d('2027-12-31') }),
        minnanNormal,
      ),
    ).not.toThrow();
  });

  it('refuses endsOn before startsOn as a field error', () => {
    const error = refusal(() =>
      recordLicence(patent, licence({ startsOn: d('2025-01-01'), endsOn: d('2024-12-31') }), minnanNormal),
    );
    expect(error).toMatchObject({ code: 'validation-failed', kind: 'validation', errors: [{ field: 'endsOn' }] });
  });

  it('is for the owner only', () => {
    const stranger = { sub: 'univ-other', role: 'university' as const, region: '350600' };
    expect(refusal(() => recordLicence(patent, licence(), stranger))).toMatchObject({
      code: 'not-owner',
      kind: 'forbidden',
    });
  });
});

describe('availability in the public search', () => {
  const patent = listedBy(minnanNormal, PV_MODULE);

  it('is available when valid, unpledged and free of an exclusive licence on the day (api.md)', () => {
    expect(isAvailableOn(patent, d('2024-06-01'))).toBe(true);
    const ordinary = recordLicence(patent, licence({ kind: 'ordinary' }), minnanNormal).state;
    expect(isAvailableOn(ordinary, d('2024-06-01'))).toBe(true);
    const term = { startsOn: d('2024-01-01'), endsOn: d('2024-12-31') };
    const exclusive = recordLicence(patent, licence({ kind: 'exclusive', ...term }), minnanNormal).state;
    expect(isAvailableOn(exclusive, d('2024-06-01'))).toBe(false);
    expect(isAvailableOn(exclusive, d('2025-01-01'))).toBe(true);
    // A sole licence leaves the patent available: api.md names exclusive licences only.
    const sole = recordLicence(patent, licence({ kind: 'sole', ...term }), minnanNormal).state;
    expect(isAvailableOn(sole, d('2024-06-01'))).toBe(true);
  });

  it('is not available when pledged, lapsed or not listed', () => {
    expect(isAvailableOn(pledged(patent, { bank: 'bank-icbc-zz', loanRef: 'ZZ-1' }), d('2024-06-01'))).toBe(false);
    expect(isAvailableOn(listedBy(minnanNormal, PV_MODULE, { listing: { status: 'lapsed' } }), d('2024-06-01'))).toBe(
      false,
    );
    expect(isAvailableOn(unlistedPatent(PV_MODULE), d('2024-06-01'))).toBe(false);
  });
});
