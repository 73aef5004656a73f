import { Forbidden, ValidationFailed } from '@ipfin/kernel';
import type { FilingEnterprise } from './product';

/** Who files, from the verified token (the same fields as `@ipfin/http`'s `Principal`). */
export interface FilingCaller {
  readonly role: string;
  readonly sub: string;
  readonly region?: string;
  readonly uscc?: string;
}

export interface ResolvedFiler {
  readonly enterprise: FilingEnterprise;
  /** Set when an agency files on the enterprise's behalf. */
  readonly agencyId?: string;
}

/**
 * The enterprise a filing is for (api.md: role `enterprise`, or `agency` on its behalf):
 * - an agency must name the enterprise (`enterprise {uscc, name, regionCode, size}`) and becomes
 *   the filing's `agencyId`;
 * - an enterprise files for itself: its token must carry its `uscc` and `region`; it may send the
 *   `enterprise` block to give its name and size, but not for another USCC or region (403
 *   `enterprise-mismatch`: the region decides the reward policy). Without the block its name is
 *   its `sub`.
 */
export function resolveFiler(caller: FilingCaller, given: FilingEnterprise | undefined): ResolvedFiler {
  switch (caller.role) {
    case 'agency':
      if (given === undefined)
        throw new ValidationFailed([
          { field: 'enterprise', message: 'An agency must name the enterprise it files for.' },
        ]);
      return { enterprise: given, agencyId: caller.sub };
    case 'enterprise': {
      if (caller.uscc === undefined || caller.region === undefined) {
        throw new Forbidden(
          'An enterprise token must carry the uscc and region claims to file products.',
          'enterprise-identity-missing',
        );
      }
      if (given !== undefined && (given.uscc !== caller.uscc || given.regionCode !== caller.region)) {
        throw new Forbidden(
          `An enterprise files only its own products, in its own region: ${given.uscc}/${given.regionCode} is not ${caller.uscc}/${caller.region}.`,
          'enterprise-mismatch',
        );
      }
      return { enterprise: given ?? { uscc: caller.uscc, name: caller.sub, regionCode: caller.region } };
    }
    default:
      throw new Forbidden('Only an enterprise, or an agency on its behalf, files products.', 'forbidden');
  }
}
