import { PatentsNotEligible } from '../product.errors';
import { checkPatentForFiling } from '../patent-eligibility';
import {
  PATENTS,
  file,
  filing,
  listed,
  minnanUniversity,
  minxinValves,
  registry,
  thrownBy,
  transferred,
} from './zhangzhou.fixtures';

describe('filing a product with a patent the enterprise acquires only after the filing date', () => {
  // The transfer contract is signed on 2024-04-01; the product was filed on 2024-03-15.
  const view = registry(
    listed(PATENTS.flowSensor, minnanUniversity, '2023-05-10'),
    transferred(PATENTS.flowSensor, minnanUniversity, minxinValves, '2024-04-01'),
  );

  it('is refused: on the filing date the university still owned it', () => {
    const error = thrownBy(() =>
      file(view, filing(minxinValves, { patents: [PATENTS.flowSensor], filedOn: '2024-03-15' })),
    ) as PatentsNotEligible;

    expect(error).toBeInstanceOf(PatentsNotEligible);
    expect(error.patents).toEqual([
      expect.objectContaining({ number: PATENTS.flowSensor, reason: 'not-owned-or-licensed' }),
    ]);
    expect(error.patents[0].message).toContain('only from 2024-04-01');
  });

  it('counts ownership from the contract date itself ([from, to) intervals)', () => {
    expect(checkPatentForFiling(view, PATENTS.flowSensor, minxinValves.uscc, '2024-03-31').ok).toBe(false);
    expect(checkPatentForFiling(view, PATENTS.flowSensor, minxinValves.uscc, '2024-04-01')).toEqual({
      ok: true,
      value: { number: PATENTS.flowSensor, basis: 'owner' },
    });
  });

  it('is accepted when the same product is filed on or after the contract date', () => {
    const product = file(view, filing(minxinValves, { patents: [PATENTS.flowSensor], filedOn: '2024-04-02' }));

    expect(product.holdings).toEqual([{ number: PATENTS.flowSensor, basis: 'owner' }]);
  });
});
