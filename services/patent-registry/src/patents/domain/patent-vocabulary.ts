import { PATENT_KINDS, type PatentKind } from '@ipfin/kernel';

/*
 * The registry's words. They are the same strings as the `ipfin.patents.v1` contract uses; the
 * event builders are typed against the contract classes, so a drift fails the type check.
 */

export { PATENT_KINDS, type PatentKind };

export const PATENT_STATUSES = ['valid', 'lapsed'] as const;
export type PatentStatus = (typeof PATENT_STATUSES)[number];

/** Grade of a stock patent in the university's pool (分级): A best. */
export const PATENT_GRADES = ['A', 'B', 'C'] as const;
export type PatentGrade = (typeof PATENT_GRADES)[number];

/**
 * 独占 exclusive: only the licensee exploits, not even the owner; 排他 sole: the licensee and the
 * owner, nobody else; 普通 ordinary: the owner may license others too.
 */
export const LICENCE_KINDS = ['exclusive', 'sole', 'ordinary'] as const;
export type LicenceKind = (typeof LICENCE_KINDS)[number];

export const ROYALTY_KINDS = ['lump_sum', 'percent_of_sales'] as const;
export type RoyaltyKind = (typeof ROYALTY_KINDS)[number];

/** Token roles (api.md "Auth"); only `university` and `enterprise` own patents on the platform. */
export const ACTOR_ROLES = ['bank', 'university', 'enterprise', 'agency', 'fund', 'regulator', 'admin'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

/** Who is acting, from the verified token. The service builds it from the request principal. */
export interface Actor {
  readonly sub: string;
  readonly role: ActorRole;
  /** The institution's 6-digit region code (the token's `region`). */
  readonly region: string;
  /** The institution's USCC when the token carries one. */
  readonly uscc?: string;
}

/** An assignee or licensee as the owner names it (USCC check character already verified). */
export interface Counterparty {
  readonly uscc: string;
  readonly name: string;
  readonly regionCode: string;
}

export function isPatentKind(value: unknown): value is PatentKind {
  return typeof value === 'string' && (PATENT_KINDS as readonly string[]).includes(value);
}
