import { Forbidden } from '@ipfin/kernel';
import { canAccessRegion, type Principal } from '@ipfin/http';

/**
 * Whether the caller is the fund manager of exactly this fund region. A fund manager acts for its
 * own fund only: a prefecture fund does not manage its counties' funds (one loan, at most one fund).
 */
export const isFundOf = (principal: Principal, region: string): boolean =>
  principal.role === 'fund' && principal.region === region;

/** 403 `region-forbidden` unless the caller is the fund of `region`. */
export function assertFundOf(principal: Principal, region: string): void {
  if (!isFundOf(principal, region)) {
    throw new Forbidden(
      `Only the fund manager of region ${region} may do this; you are a ${principal.role} of ${principal.region ?? '(no region)'}.`,
      'region-forbidden',
      { region },
    );
  }
}

/** Who may read a fund's figures: its own fund manager, a regulator of its region or above, an admin. */
export function assertMayReadFund(principal: Principal, region: string): void {
  const allowed =
    isFundOf(principal, region) ||
    principal.role === 'admin' ||
    (principal.role === 'regulator' && canAccessRegion(principal, region));
  if (!allowed) {
    throw new Forbidden(
      `A ${principal.role} of ${principal.region ?? '(no region)'} may not read the fund of region ${region}.`,
      'region-forbidden',
      { region },
    );
  }
}
