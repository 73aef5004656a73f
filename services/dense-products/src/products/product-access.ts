import { canAccessRegion, type Principal } from '@ipfin/http';
import { Forbidden, RegionCode } from '@ipfin/kernel';
import type { ProductListFilter } from './product.repository';
import type { Product } from './domain/product';

/*
 * Who sees and decides which products (api.md, domain.md "Who uses it"):
 * - an enterprise: its own filings (matched on the token's `uscc`), whoever filed them;
 * - an agency: the filings it made on enterprises' behalf;
 * - a regulator: the products of enterprises in its region and the regions below it; only a
 *   regulator decides (recognises, rejects, withdraws a recognition) and only there;
 * - an admin: reads everything, decides nothing.
 * A product outside the caller's reach is "not found", never "forbidden": ids do not leak.
 */

export function canSee(principal: Principal, product: Product): boolean {
  switch (principal.role) {
    case 'admin':
      return true;
    case 'regulator':
      return canAccessRegion(principal, product.enterprise.regionCode);
    case 'enterprise':
      return principal.uscc !== undefined && principal.uscc === product.enterprise.uscc;
    case 'agency':
      return product.agencyId !== undefined && product.agencyId === principal.sub;
    case 'bank':
    case 'university':
    case 'fund':
      return false;
  }
}

/** Only a regulator records the national IP office's decisions (403 for every other role). */
export function assertDecider(principal: Principal): void {
  if (principal.role !== 'regulator') {
    throw new Forbidden(`A ${principal.role} may not decide on products; a regulator records decisions.`, 'forbidden');
  }
}

/** Whether the regulator may decide on this product: its enterprise is in the regulator's region or below. */
export function canDecide(principal: Principal, product: Product): boolean {
  return principal.role === 'regulator' && canAccessRegion(principal, product.enterprise.regionCode);
}

/** The rows a caller's list may contain, narrowed by `?enterprise=`. */
export function listScope(
  principal: Principal,
  enterprise: string | undefined,
): Pick<ProductListFilter, 'enterpriseUscc' | 'agencyId' | 'regionFrom' | 'regionTo'> {
  switch (principal.role) {
    case 'admin':
      return enterprise === undefined ? {} : { enterpriseUscc: enterprise };
    case 'regulator': {
      const prefix = RegionCode.parse(requiredRegion(principal)).prefix();
      return {
        regionFrom: prefix.padEnd(6, '0'),
        regionTo: prefix.padEnd(6, '9'),
        ...(enterprise === undefined ? {} : { enterpriseUscc: enterprise }),
      };
    }
    case 'enterprise': {
      if (principal.uscc === undefined) {
        throw new Forbidden(
          'An enterprise token must carry the uscc claim to read products.',
          'enterprise-identity-missing',
        );
      }
      if (enterprise !== undefined && enterprise !== principal.uscc) {
        throw new Forbidden(
          `An enterprise reads only its own products, not those of ${enterprise}.`,
          'enterprise-mismatch',
        );
      }
      return { enterpriseUscc: principal.uscc };
    }
    case 'agency':
      return { agencyId: principal.sub, ...(enterprise === undefined ? {} : { enterpriseUscc: enterprise }) };
    case 'bank':
    case 'university':
    case 'fund':
      throw new Forbidden(`A ${principal.role} may not read products.`, 'forbidden');
  }
}

function requiredRegion(principal: Principal): string {
  if (principal.region === undefined) throw new Forbidden('The token carries no region.', 'region-forbidden');
  return principal.region;
}
