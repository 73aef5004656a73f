import { PatentsNotEligible } from '../product.errors';
import { checkPatentForFiling } from '../patent-eligibility';
import { PATENTS, asParty, file, filing, listed, minxinValves, registry, thrownBy } from './zhangzhou.fixtures';

describe('filing a product with a lapsed patent', () => {
  const own = asParty(minxinValves);

  it('is refused with patent-lapsed when the registry lists it as lapsed', () => {
    const view = registry(
      listed(PATENTS.sealRing, own, '2021-02-01'),
      listed(PATENTS.sealRing, own, '2023-10-09', 'lapsed'),
    );

    const error = thrownBy(() =>
      file(view, filing(minxinValves, { patents: [PATENTS.sealRing], filedOn: '2024-03-15' })),
    ) as PatentsNotEligible;

    expect(error.patents).toEqual([expect.objectContaining({ number: PATENTS.sealRing, reason: 'patent-lapsed' })]);
  });

  it('judges the status on the filing date: a lapse listed after filing does not undo it', () => {
    const view = registry(
      listed(PATENTS.sealRing, own, '2021-02-01'),
      listed(PATENTS.sealRing, own, '2024-08-01', 'lapsed'),
    );

    expect(checkPatentForFiling(view, PATENTS.sealRing, minxinValves.uscc, '2024-03-15').ok).toBe(true);
    expect(checkPatentForFiling(view, PATENTS.sealRing, minxinValves.uscc, '2024-08-01')).toMatchObject({
      ok: false,
      reason: 'patent-lapsed',
    });
  });

  it('accepts the patent again once the owner re-lists it as valid (annuities paid late, rights restored)', () => {
    const view = registry(
      listed(PATENTS.sealRing, own, '2021-02-01'),
      listed(PATENTS.sealRing, own, '2023-10-09', 'lapsed'),
      listed(PATENTS.sealRing, own, '2024-01-15', 'valid'),
    );

    expect(checkPatentForFiling(view, PATENTS.sealRing, minxinValves.uscc, '2024-03-15').ok).toBe(true);
  });
});
