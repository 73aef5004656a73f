import { DeltaBag } from './deltas';

describe('DeltaBag', () => {
  it('merges changes of one key and drops the ones that cancel out', () => {
    const bag = new DeltaBag();
    const key = { measure: 'm', region: '350602', dim: '', day: '2024-01-01' };
    bag.count(key, 1, 100n);
    bag.count(key, 2, 50n);
    bag.count({ ...key, day: '2024-01-02' }, 1);
    bag.count({ ...key, day: '2024-01-02' }, -1);
    expect(bag.counterDeltas()).toEqual([{ ...key, n: 3, amountFen: 150n }]);
  });

  it('orders keys so concurrent writers lock rows alike', () => {
    const bag = new DeltaBag();
    bag.count({ measure: 'b', region: '1', dim: '', day: '2024-01-01' }, 1);
    bag.count({ measure: 'a', region: '2', dim: '', day: '2024-01-01' }, 1);
    bag.count({ measure: 'a', region: '1', dim: 'z', day: '2024-01-01' }, 1);
    bag.count({ measure: 'a', region: '1', dim: 'y', day: '2024-01-01' }, 1);
    expect(bag.counterDeltas().map((d) => `${d.measure}${d.region}${d.dim}`)).toEqual(['a1y', 'a1z', 'a2', 'b1']);
  });

  it('keeps member changes per member', () => {
    const bag = new DeltaBag();
    const key = { measure: 'm', region: 'r', dim: 'agency', day: '2024-01-01' };
    bag.member({ ...key, member: 'B' }, 1);
    bag.member({ ...key, member: 'A' }, 1);
    bag.member({ ...key, member: 'B' }, -1);
    expect(bag.memberDeltas()).toEqual([{ ...key, member: 'A', n: 1 }]);
  });
});
