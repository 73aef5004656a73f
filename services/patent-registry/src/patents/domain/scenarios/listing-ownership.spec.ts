import { listPatent, transferPatent, unlistedPatent } from '..';
import {
  BATTERY_SEPARATOR,
  PV_MODULE,
  cny,
  d,
  listedBy,
  listingOf,
  longhaiEnergy,
  longhaiEnergyToken,
  minnanNormal,
  refusal,
  zhangzhouVocational,
} from './fixtures';

describe('listing and re-listing stock patents', () => {
  it('lists a new patent for the caller and announces it', () => {
    const { outcome, state, events } = listPatent(
      undefined,
      listingOf(PV_MODULE, { ipc: 'H01L31/048', keywords: ['光伏', ' 封装 ', '光伏'] }),
      minnanNormal,
      d('2024-01-10'),
    );
    expect(outcome).toBe('listed');
    expect(state).toMatchObject({
      listed: true,
      kind: 'invention',
      filedYear: 2023,
      pct: false,
      status: 'valid',
      pledges: [],
      licences: [],
      transfers: [],
    });
    expect(state.listing.keywords).toEqual(['光伏', '封装']);
    expect(events).toEqual([
      {
        type: 'PatentListed',
        key: PV_MODULE,
        data: {
          number: PV_MODULE,
          kind: 'invention',
          title: '一种光伏组件的封装方法',
          status: 'valid',
          filedYear: 2023,
          pct: false,
          owner: { sub: 'univ-minnan-normal', role: 'university', uscc: minnanNormal.uscc, region: '350600' },
          ipc: 'H01L31/048',
          grade: 'A',
          category: '新能源',
          listedOn: '2024-01-10',
        },
      },
    ]);
  });

  it('updates the listing when its owner lists it again, and ignores an identical replay', () => {
    const first = listedBy(minnanNormal, PV_MODULE);
    const updated = listPatent(first, listingOf(PV_MODULE, { grade: 'B' }), minnanNormal, d('2024-02-01'));
    expect(updated.outcome).toBe('updated');
    expect(updated.state).toMatchObject({
      listedOn: first.listedOn,
      updatedOn: d('2024-02-01'),
      listing: { grade: 'B' },
    });
    expect(updated.events).toHaveLength(1);

    const replay = listPatent(updated.state, listingOf(PV_MODULE, { grade: 'B' }), minnanNormal, d('2024-02-02'));
    expect(replay).toEqual({ outcome: 'unchanged', state: updated.state, events: [] });
  });

  it('refuses another institution listing the same number with 409 patent-owned-by-another', () => {
    const error = refusal(() =>
      listPatent(listedBy(minnanNormal, PV_MODULE), listingOf(PV_MODULE), zhangzhouVocational, d('2024-02-01')),
    );
    expect(error).toMatchObject({ code: 'patent-owned-by-another', kind: 'conflict' });
  });

  it('lets the assignee re-list a patent it bought, adopting its token as the owner', () => {
    const sold = transferPatent(
      listedBy(minnanNormal, PV_MODULE),
      {
        transferId: 'tr-1',
        assignee: longhaiEnergy,
        price: cny('300000.00'),
        contractDate: d('2024-06-18'),
      },
      minnanNormal,
    ).state;
    expect(refusal(() => listPatent(sold, listingOf(PV_MODULE), minnanNormal, d('2024-07-01'))).code).toBe(
      'patent-owned-by-another',
    );
    const relisted = listPatent(sold, listingOf(PV_MODULE, { grade: 'B' }), longhaiEnergyToken, d('2024-07-01'));
    expect(relisted.state.owner).toEqual({
      sub: 'ent-longhai-energy',
      role: 'enterprise',
      uscc: longhaiEnergy.uscc,
      name: longhaiEnergy.name,
      region: '350681',
    });
    expect(relisted.state.transfers).toHaveLength(1);
  });

  it('refuses a state that belongs to another number (a programming error)', () => {
    expect(() =>
      listPatent(unlistedPatent(PV_MODULE), listingOf(BATTERY_SEPARATOR), minnanNormal, d('2024-01-01')),
    ).toThrow(/state of/);
  });
});
