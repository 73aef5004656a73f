/** The roles a token may carry (api.md "Auth"). */
export const ROLES = ['bank', 'university', 'enterprise', 'agency', 'fund', 'regulator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Who is calling, from the verified token. `region` is present for every role but `admin`. */
export interface Principal {
  readonly sub: string;
  readonly role: Role;
  readonly region?: string;
  readonly uscc?: string;
}

const principals = new WeakMap<object, Principal>();

export function setPrincipal(req: object, principal: Principal): void {
  principals.set(req, principal);
}

/** The principal the auth guard attached to this request, if any. */
export function principalOf(req: object): Principal | undefined {
  return principals.get(req);
}
