import { Forbidden, RegionCode } from '@ipfin/kernel';
import { assertRegionAccess, type Principal } from '@ipfin/http';

export interface MetricsScope {
  region: RegionCode | null;
  /** Set when a bank reads its own rows only. */
  bank?: string;
}

/**
 * Who may read which aggregate: a regulator its region and the regions below it (default: its
 * own), an admin anything, a bank only its own rows; everyone else is refused.
 */
export function metricsScope(principal: Principal, requested: string | undefined, opts: { bankRows: boolean }): MetricsScope {
  switch (principal.role) {
    case 'admin':
      return { region: requested ? RegionCode.parse(requested) : null };
    case 'regulator': {
      const region = RegionCode.parse(requested ?? principal.region!);
      assertRegionAccess(principal, region);
      return { region };
    }
    case 'bank':
      if (opts.bankRows) return { region: requested ? RegionCode.parse(requested) : null, bank: principal.sub };
      break;
    case 'fund':
    case 'university':
    case 'enterprise':
    case 'agency':
      break;
  }
  throw new Forbidden(`A ${principal.role} may not read region-wide figures.`, 'metrics-forbidden');
}
