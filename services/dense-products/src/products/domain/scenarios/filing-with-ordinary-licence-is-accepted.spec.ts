import { PatentsNotEligible } from '../product.errors';
import { checkPatentForFiling } from '../patent-eligibility';
import {
  PATENTS,
  file,
  filing,
  jiulongOptics,
  licensed,
  listed,
  minnanUniversity,
  minxinValves,
  openLicenceTaken,
  registry,
  thrownBy,
} from './zhangzhou.fixtures';

describe('filing a product with a licensed patent', () => {
  it('accepts an ordinary (non-exclusive) licence in force on the filing date', () => {
    const view = registry(
      listed(PATENTS.sealRing, minnanUniversity, '2022-03-01'),
      licensed(PATENTS.sealRing, minxinValves, 'ordinary', '2023-07-01', '2026-06-30', 'lic-mnnu-2023-017'),
    );

    const product = file(view, filing(minxinValves, { patents: [PATENTS.sealRing] }));

    expect(product.holdings).toEqual([
      {
        number: PATENTS.sealRing,
        basis: 'licence',
        licenceId: 'lic-mnnu-2023-017',
        licenceKind: 'ordinary',
        source: 'contract',
      },
    ]);
  });

  it('accepts exclusive and sole licences too, while another licensee may hold one as well', () => {
    const view = registry(
      listed(PATENTS.opticalCoating, minnanUniversity, '2020-01-10'),
      licensed(PATENTS.opticalCoating, jiulongOptics, 'sole', '2024-01-01', '2028-12-31'),
      licensed(PATENTS.opticalCoating, minxinValves, 'exclusive', '2022-01-01', '2023-12-31'),
    );

    expect(checkPatentForFiling(view, PATENTS.opticalCoating, jiulongOptics.uscc, '2024-05-20')).toMatchObject({
      ok: true,
      value: { basis: 'licence', licenceKind: 'sole' },
    });
    expect(checkPatentForFiling(view, PATENTS.opticalCoating, minxinValves.uscc, '2023-12-31')).toMatchObject({
      ok: true,
      value: { basis: 'licence', licenceKind: 'exclusive' },
    });
  });

  it('counts both ends of the licence term [startsOn, endsOn], and nothing outside it', () => {
    const view = registry(
      listed(PATENTS.sealRing, minnanUniversity, '2022-03-01'),
      licensed(PATENTS.sealRing, minxinValves, 'ordinary', '2023-07-01', '2023-12-31'),
    );

    expect(checkPatentForFiling(view, PATENTS.sealRing, minxinValves.uscc, '2023-07-01').ok).toBe(true);
    expect(checkPatentForFiling(view, PATENTS.sealRing, minxinValves.uscc, '2023-12-31').ok).toBe(true);
    expect(checkPatentForFiling(view, PATENTS.sealRing, minxinValves.uscc, '2023-06-30')).toMatchObject({
      ok: false,
      reason: 'not-owned-or-licensed',
    });

    const expired = thrownBy(() =>
      file(view, filing(minxinValves, { patents: [PATENTS.sealRing], filedOn: '2024-01-02' })),
    ) as PatentsNotEligible;
    expect(expired.patents).toEqual([expect.objectContaining({ reason: 'not-owned-or-licensed' })]);
  });

  it('accepts an open licence taken before the filing date, for the declaration term', () => {
    const view = registry(
      listed(PATENTS.flowSensor, minnanUniversity, '2023-05-10'),
      openLicenceTaken(PATENTS.flowSensor, minxinValves, '2024-02-20', '2026-05-31', 'open-mnnu-0042'),
    );

    expect(checkPatentForFiling(view, PATENTS.flowSensor, minxinValves.uscc, '2024-03-15')).toEqual({
      ok: true,
      value: {
        number: PATENTS.flowSensor,
        basis: 'licence',
        licenceId: 'open-mnnu-0042',
        licenceKind: 'ordinary',
        source: 'open-licence',
      },
    });
    expect(checkPatentForFiling(view, PATENTS.flowSensor, minxinValves.uscc, '2024-02-19')).toMatchObject({
      ok: false,
      reason: 'not-owned-or-licensed',
    });
    expect(checkPatentForFiling(view, PATENTS.flowSensor, minxinValves.uscc, '2026-06-01')).toMatchObject({
      ok: false,
      reason: 'not-owned-or-licensed',
    });
  });

  it('keeps an open licence already taken when the declaration is withdrawn', () => {
    const view = registry(
      listed(PATENTS.flowSensor, minnanUniversity, '2023-05-10'),
      { type: 'OpenLicenceDeclared', data: { number: PATENTS.flowSensor, kind: 'invention' } },
      openLicenceTaken(PATENTS.flowSensor, minxinValves, '2024-02-20', '2026-05-31'),
      { type: 'OpenLicenceWithdrawn', data: { number: PATENTS.flowSensor, kind: 'invention' } },
    );

    expect(checkPatentForFiling(view, PATENTS.flowSensor, minxinValves.uscc, '2025-01-10').ok).toBe(true);
  });
});
