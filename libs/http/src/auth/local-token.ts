import jwt, { SignOptions } from 'jsonwebtoken';
import type { Role } from './principal';

export interface LocalTokenClaims {
  sub: string;
  role: Role;
  region?: string;
  uscc?: string;
}

/** An HS256 token for the local stack and tests (`npm run token`); production tokens come from the IdP. */
export function signLocalToken(
  claims: LocalTokenClaims,
  secret: string,
  /** Seconds, or a duration such as `'12h'`, `'7d'`. */
  expiresIn: string | number = '12h',
  options: { issuer?: string; audience?: string } = {},
): string {
  const payload: Record<string, string> = { role: claims.role };
  if (claims.region !== undefined) payload.region = claims.region;
  if (claims.uscc !== undefined) payload.uscc = claims.uscc;
  return jwt.sign(payload, secret, {
    algorithm: 'HS256',
    subject: claims.sub,
    expiresIn: expiresIn as SignOptions['expiresIn'],
    ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
    ...(options.audience === undefined ? {} : { audience: options.audience }),
  });
}
