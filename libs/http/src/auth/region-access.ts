import { Forbidden, RegionCode } from '@ipfin/kernel';
import type { Principal } from './principal';

/**
 * Whether the caller may act for `region`: `admin` anywhere; `regulator` and `fund` for the
 * region they govern and every region inside it (350600 → 3506xx); everyone else only for their own.
 */
export function canAccessRegion(principal: Principal, region: RegionCode | string): boolean {
  if (principal.role === 'admin') return true;
  if (principal.region === undefined || !RegionCode.isValid(principal.region)) return false;
  const target = typeof region === 'string' ? RegionCode.validate(region) : { ok: true as const, value: region };
  if (!target.ok) return false;
  const own = RegionCode.parse(principal.region);
  switch (principal.role) {
    case 'regulator':
    case 'fund':
      return own.contains(target.value);
    case 'bank':
    case 'university':
    case 'enterprise':
    case 'agency':
      return own.equals(target.value);
  }
}

/** Throws a 403 (`region-forbidden`) unless `canAccessRegion`. */
export function assertRegionAccess(principal: Principal, region: RegionCode | string): void {
  if (!canAccessRegion(principal, region)) {
    throw new Forbidden(`A ${principal.role} of region ${principal.region ?? '(none)'} may not act for region ${String(region)}.`, 'region-forbidden', { region: String(region) });
  }
}
