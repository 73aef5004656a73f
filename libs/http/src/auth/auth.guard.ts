import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ProblemException } from '../problem/problem.exception';
import { IS_PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { Role, setPrincipal } from './principal';
import { TokenVerifier } from './token-verifier';

const BEARER = /^Bearer\s+([A-Za-z0-9\-_.~+/]+=*)\s*$/i;

function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  return BEARER.exec(header)?.[1];
}

/**
 * Global guard: every route needs a valid bearer token unless `@Public()`; `@Roles(...)` narrows
 * who may call. The verified principal is attached to the request for `@CurrentPrincipal()`.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const req = context.switchToHttp().getRequest<Request>();
    const token = bearerToken(req);

    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets) === true) {
      if (token !== undefined) {
        // Public routes may tailor their answer to a known caller; a bad token just means anonymous.
        await this.verifier.verify(token).then(
          (principal) => setPrincipal(req, principal),
          () => undefined,
        );
      }
      return true;
    }

    if (token === undefined) {
      const detail = req.headers.authorization === undefined ? 'A bearer token is required.' : 'The Authorization header must be "Bearer <token>".';
      throw new ProblemException({ code: 'unauthenticated', status: 401, detail });
    }
    const principal = await this.verifier.verify(token);
    setPrincipal(req, principal);

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles !== undefined && roles.length > 0 && !roles.includes(principal.role)) {
      throw new ProblemException({
        code: 'role-forbidden',
        status: 403,
        title: 'Forbidden',
        detail: `This operation is for the role${roles.length > 1 ? 's' : ''} ${roles.join(', ')}; the token's role is ${principal.role}.`,
      });
    }
    return true;
  }
}
