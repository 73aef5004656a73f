import { declareOpenLicence, recordLicence, withdrawOpenLicence } from '..';
import { d, licence, listedBy, minnanNormal, openLicence, PV_MODULE, refusal } from './fixtures';

describe('an exclusive or sole licence cannot be granted while an open licence is declared', () => {
  // Declared 2024-09-01 for 3 years: in force to 2027-08-31.
  const open = declareOpenLicence(listedBy(minnanNormal, PV_MODULE), openLicence(), minnanNormal).state;

  it.each(['exclusive', 'sole'] as const)('refuses %s licences overlapping the declared term', (kind) => {
    const error = refusal(() =>
      recordLicence(open, licence({ kind, startsOn: d('2025-01-01'), endsOn: d('2025-12-31') }), minnanNormal),
    );
    expect(error).toMatchObject({ code: 'open-licence-declared', kind: 'rule' });
  });

  it('still records ordinary licences', () => {
    const { state, events } = recordLicence(open, licence({ kind: 'ordinary' }), minnanNormal);
    expect(state.licences).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'LicenceRecorded',
      data: { licenceKind: 'ordinary', viaOpenLicence: false },
    });
  });

  it('accepts an exclusive licence starting after the declaration was withdrawn', () => {
    const withdrawn = withdrawOpenLicence(open, { withdrawnOn: d('2025-03-01') }, minnanNormal).state;
    const overlapping = refusal(() =>
      recordLicence(
        withdrawn,
        licence({ kind: 'exclusive', startsOn: d('2025-02-01'), endsOn: d('2025-12-31') }),
        minnanNormal,
      ),
    );
    expect(overlapping.code).toBe('open-licence-declared');
    const { state } = recordLicence(
      withdrawn,
      licence({ kind: 'exclusive', startsOn: d('2025-03-01'), endsOn: d('2026-12-31') }),
      minnanNormal,
    );
    expect(state.licences.map((l) => l.kind)).toEqual(['exclusive']);
  });

  it('accepts an exclusive licence after the declared term expired', () => {
    const { state } = recordLicence(
      open,
      licence({ kind: 'exclusive', startsOn: d('2027-09-01'), endsOn: d('2030-08-31') }),
      minnanNormal,
    );
    expect(state.licences[0].kind).toBe('exclusive');
  });
});
