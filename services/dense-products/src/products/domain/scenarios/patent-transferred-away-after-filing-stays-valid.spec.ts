import { recogniseProduct } from '../product';
import { checkPatentForFiling } from '../patent-eligibility';
import { BusinessDate } from '@ipfin/kernel';
import {
  PATENTS,
  TODAY,
  asParty,
  file,
  filing,
  jiulongOptics,
  listed,
  minnanUniversity,
  minxinValves,
  registry,
  transferred,
} from './zhangzhou.fixtures';

describe('a patent transferred away after the product was filed', () => {
  it('does not undo the filing: the patent is judged on the filing date', () => {
    const view = registry(
      listed(PATENTS.valveControl, minnanUniversity, '2022-11-01'),
      transferred(PATENTS.valveControl, minnanUniversity, minxinValves, '2023-02-01'),
    );
    const product = file(view, filing(minxinValves, { filedOn: '2024-03-15' }));

    // Later Minxin sells the patent to Jiulong Optics.
    view.apply(transferred(PATENTS.valveControl, asParty(minxinValves), jiulongOptics, '2024-05-10'));

    expect(checkPatentForFiling(view, PATENTS.valveControl, minxinValves.uscc, product.filedOn)).toEqual({
      ok: true,
      value: { number: PATENTS.valveControl, basis: 'owner' },
    });
    expect(checkPatentForFiling(view, PATENTS.valveControl, minxinValves.uscc, '2024-05-10')).toMatchObject({
      ok: false,
      reason: 'not-owned-or-licensed',
    });
    // The filed product can still be recognised.
    expect(
      recogniseProduct(
        product,
        { recognisedOn: BusinessDate.of(2024, 6, 18), certificateNo: 'ZLMJ-2024-0012' },
        { today: TODAY },
      ).status,
    ).toBe('recognised');
  });

  it('is judged the same whatever order the transfers arrive in, by contract date', () => {
    const first = transferred(PATENTS.valveControl, minnanUniversity, minxinValves, '2023-02-01');
    const second = transferred(PATENTS.valveControl, asParty(minxinValves), jiulongOptics, '2024-05-10');
    const inOrder = registry(listed(PATENTS.valveControl, minnanUniversity, '2022-11-01'), first, second);
    const lateArrival = registry(listed(PATENTS.valveControl, minnanUniversity, '2022-11-01'), second, first);

    for (const view of [inOrder, lateArrival]) {
      expect(checkPatentForFiling(view, PATENTS.valveControl, minxinValves.uscc, '2024-03-15').ok).toBe(true);
      expect(checkPatentForFiling(view, PATENTS.valveControl, jiulongOptics.uscc, '2024-03-15').ok).toBe(false);
      expect(checkPatentForFiling(view, PATENTS.valveControl, jiulongOptics.uscc, '2024-05-10').ok).toBe(true);
    }
  });
});
