import { PatentsNotEligible } from '../product.errors';
import { checkPatentForFiling } from '../patent-eligibility';
import { PATENTS, asParty, file, filing, listed, minxinValves, registry, thrownBy } from './zhangzhou.fixtures';

describe('filing a product with a patent that is not an invention', () => {
  const own = asParty(minxinValves);
  const view = registry(
    listed(PATENTS.valveHousingUtility, own, '2023-01-05'),
    listed(PATENTS.valveDesign, own, '2023-08-01'),
    listed(PATENTS.pctActuator, own, '2023-01-05'),
    listed(PATENTS.valveControl, own, '2023-01-05'),
  );

  it('refuses a utility model it owns with not-invention', () => {
    const error = thrownBy(() =>
      file(view, filing(minxinValves, { patents: [PATENTS.valveControl, PATENTS.valveHousingUtility] })),
    ) as PatentsNotEligible;

    expect(error).toBeInstanceOf(PatentsNotEligible);
    expect(error.patents).toEqual([
      expect.objectContaining({ index: 1, number: PATENTS.valveHousingUtility, reason: 'not-invention' }),
    ]);
    expect(error.patents[0].message).toContain('utility model');
  });

  it('refuses a design with not-invention', () => {
    expect(checkPatentForFiling(view, PATENTS.valveDesign, minxinValves.uscc, '2024-03-15')).toMatchObject({
      ok: false,
      reason: 'not-invention',
    });
  });

  it('accepts an invention that entered China through the PCT (type digit 8)', () => {
    expect(checkPatentForFiling(view, PATENTS.pctActuator, minxinValves.uscc, '2024-03-15')).toEqual({
      ok: true,
      value: { number: PATENTS.pctActuator, basis: 'owner' },
    });
  });

  it('refuses a number with a wrong check character as not a valid invention patent', () => {
    const wrongCheck = `${PATENTS.valveControl.slice(0, -1)}${PATENTS.valveControl.endsWith('0') ? '1' : '0'}`;

    expect(checkPatentForFiling(view, wrongCheck, minxinValves.uscc, '2024-03-15')).toMatchObject({
      ok: false,
      reason: 'not-invention',
    });
  });

  it('normalises a ZL-prefixed number before looking it up', () => {
    expect(checkPatentForFiling(view, `ZL${PATENTS.valveControl}`, minxinValves.uscc, '2024-03-15')).toEqual({
      ok: true,
      value: { number: PATENTS.valveControl, basis: 'owner' },
    });
  });
});
