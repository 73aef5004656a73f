import { declareOpenLicence, listPatent, recordLicence, takeOpenLicence, transferPatent } from '..';
import {
  BATTERY_SEPARATOR,
  cny,
  d,
  licence,
  listedBy,
  listingOf,
  longhaiEnergy,
  minnanNormal,
  openLicence,
  refusal,
  xiangchengOptics,
  xiangchengOpticsToken,
} from './fixtures';

describe('a lapsed patent can be listed but not transferred, licensed or declared open', () => {
  // Annuities unpaid: the university lists the patent as lapsed.
  const lapsed = listedBy(minnanNormal, BATTERY_SEPARATOR, { listing: { status: 'lapsed' } });

  it('refuses a transfer', () => {
    const transfer = { transferId: 't-1', assignee: longhaiEnergy, price: cny('1.00'), contractDate: d('2024-05-01') };
    expect(refusal(() => transferPatent(lapsed, transfer, minnanNormal))).toMatchObject({
      code: 'patent-lapsed',
      kind: 'rule',
    });
  });

  it('refuses a licence', () => {
    expect(refusal(() => recordLicence(lapsed, licence(), minnanNormal)).code).toBe('patent-lapsed');
  });

  it('refuses an open-licence declaration', () => {
    expect(refusal(() => declareOpenLicence(lapsed, openLicence(), minnanNormal)).code).toBe('patent-lapsed');
  });

  it('refuses taking a licence under a declaration made before it lapsed', () => {
    const declared = declareOpenLicence(listedBy(minnanNormal, BATTERY_SEPARATOR), openLicence(), minnanNormal).state;
    const nowLapsed = listPatent(
      declared,
      listingOf(BATTERY_SEPARATOR, { status: 'lapsed' }),
      minnanNormal,
      d('2025-01-05'),
    ).state;
    const error = refusal(() =>
      takeOpenLicence(
        nowLapsed,
        { licenceId: 'ol-1', licensee: xiangchengOptics, takenOn: d('2025-01-06') },
        xiangchengOpticsToken,
      ),
    );
    expect(error.code).toBe('patent-lapsed');
  });

  it('accepts everything again once the owner re-lists it as valid (rights restored)', () => {
    const restored = listPatent(
      lapsed,
      listingOf(BATTERY_SEPARATOR, { status: 'valid' }),
      minnanNormal,
      d('2024-04-01'),
    );
    expect(restored.outcome).toBe('updated');
    expect(() => recordLicence(restored.state, licence(), minnanNormal)).not.toThrow();
  });
});
