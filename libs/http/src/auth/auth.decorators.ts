import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Unauthenticated } from '@ipfin/kernel';
import type { Request } from 'express';
import { Principal, Role, principalOf } from './principal';

export const IS_PUBLIC_KEY = 'ipfin:auth:public';
export const ROLES_KEY = 'ipfin:auth:roles';

/** No token needed (health, docs, Prometheus, public search). A valid token, if sent, is still read. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);

/** Only these roles may call; any other authenticated caller gets 403. */
export const Roles = (...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

/** The verified caller. On a `@Public()` route without a token this throws 401: use `@OptionalPrincipal()` there. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const principal = principalOf(ctx.switchToHttp().getRequest<Request>());
  if (principal === undefined) throw new Unauthenticated('A bearer token is required.');
  return principal;
});

/** The caller when a valid token was sent, else `undefined` (for `@Public()` routes). */
export const OptionalPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal | undefined =>
  principalOf(ctx.switchToHttp().getRequest<Request>()),
);
