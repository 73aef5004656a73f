import { isDomainError } from '@ipfin/kernel';
import { PatentsNotEligible } from '../product.errors';
import { checkPatentForFiling } from '../patent-eligibility';
import {
  PATENTS,
  asParty,
  file,
  filing,
  jiulongOptics,
  listed,
  minnanUniversity,
  minxinValves,
  registry,
  thrownBy,
  transferred,
} from './zhangzhou.fixtures';

describe('filing a product with a patent the enterprise does not own', () => {
  // Minnan Normal University lists the valve-control invention; Minxin Valves never bought it.
  const view = registry(listed(PATENTS.valveControl, minnanUniversity, '2023-05-10'));

  it('is refused with one 422 naming the patent and not-owned-or-licensed', () => {
    const error = thrownBy(() => file(view, filing(minxinValves)));

    expect(error).toBeInstanceOf(PatentsNotEligible);
    const refusal = error as PatentsNotEligible;
    expect(isDomainError(refusal) && refusal.kind).toBe('rule');
    expect(refusal.code).toBe('patents-not-eligible');
    expect(refusal.patents).toEqual([
      expect.objectContaining({ index: 0, number: PATENTS.valveControl, reason: 'not-owned-or-licensed' }),
    ]);
    expect(refusal.errors).toEqual([
      { field: 'patents[0]', message: expect.stringContaining('not-owned-or-licensed') },
    ]);
    expect(refusal.detail).toContain(PATENTS.valveControl);
  });

  it('is refused when another enterprise owns it', () => {
    const sold = registry(
      listed(PATENTS.valveControl, minnanUniversity, '2023-05-10'),
      transferred(PATENTS.valveControl, minnanUniversity, jiulongOptics, '2023-09-01'),
    );

    expect(checkPatentForFiling(sold, PATENTS.valveControl, minxinValves.uscc, '2024-03-15')).toMatchObject({
      ok: false,
      reason: 'not-owned-or-licensed',
    });
    expect(checkPatentForFiling(sold, PATENTS.valveControl, jiulongOptics.uscc, '2024-03-15')).toEqual({
      ok: true,
      value: { number: PATENTS.valveControl, basis: 'owner' },
    });
  });

  it('names every failing patent with its own reason in the same 422', () => {
    const mixed = registry(
      listed(PATENTS.valveControl, asParty(minxinValves), '2023-01-05'),
      listed(PATENTS.flowSensor, minnanUniversity, '2023-05-10'),
      listed(PATENTS.sealRing, asParty(minxinValves), '2021-02-01', 'lapsed'),
    );
    const patents = [
      PATENTS.valveControl,
      PATENTS.flowSensor,
      PATENTS.neverListed,
      PATENTS.valveHousingUtility,
      PATENTS.sealRing,
    ];

    const error = thrownBy(() => file(mixed, filing(minxinValves, { patents }))) as PatentsNotEligible;

    expect(error.patents.map((p) => [p.index, p.number, p.reason])).toEqual([
      [1, PATENTS.flowSensor, 'not-owned-or-licensed'],
      [2, PATENTS.neverListed, 'unknown-patent'],
      [3, PATENTS.valveHousingUtility, 'not-invention'],
      [4, PATENTS.sealRing, 'patent-lapsed'],
    ]);
    expect(error.errors.map((e) => e.field)).toEqual(['patents[1]', 'patents[2]', 'patents[3]', 'patents[4]']);
    expect(error.context).toEqual({
      patents: [
        { number: PATENTS.flowSensor, reason: 'not-owned-or-licensed' },
        { number: PATENTS.neverListed, reason: 'unknown-patent' },
        { number: PATENTS.valveHousingUtility, reason: 'not-invention' },
        { number: PATENTS.sealRing, reason: 'patent-lapsed' },
      ],
    });
  });

  it('is accepted when the enterprise listed the patent as its own', () => {
    const own = registry(listed(PATENTS.valveControl, asParty(minxinValves), '2023-01-05'));

    const product = file(own, filing(minxinValves));

    expect(product).toMatchObject({
      status: 'filed',
      patents: [PATENTS.valveControl],
      holdings: [{ number: PATENTS.valveControl, basis: 'owner' }],
    });
  });
});
