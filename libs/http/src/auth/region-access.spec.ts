import { DomainError } from '@ipfin/kernel';
import { Principal } from './principal';
import { assertRegionAccess, canAccessRegion } from './region-access';

const regulator = (region: string): Principal => ({ sub: `reg-${region}`, role: 'regulator', region });

describe('region access', () => {
  it('lets a Zhangzhou regulator act for its counties, not for Quanzhou', () => {
    expect(canAccessRegion(regulator('350600'), '350600')).toBe(true);
    expect(canAccessRegion(regulator('350600'), '350602')).toBe(true);
    expect(canAccessRegion(regulator('350600'), '350583')).toBe(false);
    expect(canAccessRegion(regulator('350600'), '350000')).toBe(false);
  });

  it('lets a Fujian fund act for every 35xxxx region', () => {
    const fund: Principal = { sub: 'fund-fj', role: 'fund', region: '350000' };
    expect(canAccessRegion(fund, '350583')).toBe(true);
    expect(canAccessRegion(fund, '430500')).toBe(false);
  });

  it('holds other roles to their own region, and lets admin anywhere', () => {
    const bank: Principal = { sub: 'bank-icbc-zz', role: 'bank', region: '350600' };
    expect(canAccessRegion(bank, '350600')).toBe(true);
    expect(canAccessRegion(bank, '350602')).toBe(false);
    expect(canAccessRegion({ sub: 'ops', role: 'admin' }, '430500')).toBe(true);
  });

  it('throws a forbidden DomainError', () => {
    let thrown: unknown;
    try {
      assertRegionAccess(regulator('350600'), '371002');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({ kind: 'forbidden', code: 'region-forbidden' });
  });

  it('refuses a malformed target region', () => {
    expect(canAccessRegion(regulator('350600'), '3506')).toBe(false);
  });
});
