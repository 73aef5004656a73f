import { createSecretKey, KeyObject } from 'node:crypto';
import { RegionCode, validateUscc } from '@ipfin/kernel';
import jwt, { JwtPayload, TokenExpiredError, VerifyOptions } from 'jsonwebtoken';
import { ProblemException } from '../problem/problem.exception';
import { configuredUsccAllowList } from '../validation/field-decorators';
import { JwksKeyStore, JwksKeyStoreOptions, JwksUnavailableError } from './jwks-key-store';
import { Principal, isRole } from './principal';

export interface AuthOptions {
  /** HS256 secret (local stack). Ignored when `jwksUrl` is set. */
  secret?: string;
  /** RS256 against this JWKS (production). */
  jwksUrl?: string;
  /** When set, the token's `iss` must equal it. */
  issuer?: string;
  /** When set, the token's `aud` must contain it. */
  audience?: string;
  clockToleranceSeconds?: number;
  jwks?: JwksKeyStoreOptions;
  /**
   * How long a verified token is answered from memory without checking its signature again
   * (default 60 s; 0 turns the cache off). Its `exp` and `nbf` are still checked on every use, so
   * the cache only bounds how late a key removed from the JWKS stops being honoured.
   */
  cacheSeconds?: number;
  /** Verified tokens kept at most (default 10 000; the oldest go first). */
  cacheSize?: number;
  /** The clock, in ms since the epoch (tests). */
  now?: () => number;
}

/** `AUTH_JWT_SECRET`, `AUTH_JWKS_URL`, `AUTH_JWT_ISSUER`, `AUTH_JWT_AUDIENCE`. */
export function authOptionsFromEnv(env: Record<string, string | undefined> = process.env): AuthOptions {
  const value = (name: string): string | undefined => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  return { secret: value('AUTH_JWT_SECRET'), jwksUrl: value('AUTH_JWKS_URL'), issuer: value('AUTH_JWT_ISSUER'), audience: value('AUTH_JWT_AUDIENCE') };
}


function unauthenticated(code: string, detail: string): ProblemException {
  return new ProblemException({ code, status: 401, title: 'Unauthenticated', detail });
}

/** Checks the claims api.md defines and returns the principal; anything off is a 401. */
export function principalFromClaims(claims: JwtPayload): Principal {
  const { sub, role, region, uscc } = claims as JwtPayload & { role?: unknown; region?: unknown; uscc?: unknown };
  if (typeof sub !== 'string' || sub.trim() === '' || sub.length > 200) throw unauthenticated('invalid-token', 'The token has no valid sub claim.');
  if (!isRole(role)) throw unauthenticated('invalid-token', 'The token has no valid role claim.');
  if (region === undefined || region === null) {
    if (role !== 'admin') throw unauthenticated('invalid-token', `A ${role} token needs a region claim.`);
  } else if (typeof region !== 'string' || !RegionCode.isValid(region)) {
    throw unauthenticated('invalid-token', 'The token has an invalid region claim (6-digit region code).');
  }
  // The enterprise the token speaks for becomes a filing's or a licence's USCC: checked like any
  // USCC on the wire (check character, or the operator's allow-list), upper-cased.
  const checked = uscc === undefined || uscc === null ? undefined : typeof uscc === 'string' ? validateUscc(uscc, configuredUsccAllowList()) : { ok: false as const };
  if (checked !== undefined && !checked.ok) throw unauthenticated('invalid-token', 'The token has an invalid uscc claim (check character).');
  return {
    sub,
    role,
    ...(typeof region === 'string' ? { region } : {}),
    ...(checked?.ok === true ? { uscc: checked.value } : {}),
  };
}

interface Verified {
  principal: Principal;
  /** Seconds since the epoch: usable from `nbf` (minus tolerance) until `exp` (plus tolerance). */
  nbf: number | undefined;
  exp: number | undefined;
  /** ms since the epoch after which the signature is checked again. */
  recheckAt: number;
}

/**
 * Verifies bearer tokens: HS256 with a shared secret locally, RS256 against a JWKS in production.
 * A verified token is remembered for `cacheSeconds` (the same token string arrives on every
 * request of a client; verifying it costs more than the rest of a metrics query's CPU).
 */
export class TokenVerifier {
  private readonly jwks: JwksKeyStore | undefined;
  private readonly verifyOptions: VerifyOptions;
  /** HS256 as a key object: a string makes jsonwebtoken try it as a public key first, on every call. */
  private readonly secretKey: KeyObject | undefined;
  private readonly verified = new Map<string, Verified>();
  private readonly cacheMs: number;
  private readonly cacheSize: number;
  private readonly tolerance: number;
  private readonly now: () => number;

  constructor(private readonly options: AuthOptions) {
    if (options.jwksUrl === undefined && (options.secret === undefined || options.secret === '')) {
      throw new Error('Auth needs AUTH_JWT_SECRET (HS256) or AUTH_JWKS_URL (RS256).');
    }
    this.jwks = options.jwksUrl === undefined ? undefined : new JwksKeyStore(options.jwksUrl, options.jwks);
    this.secretKey = this.jwks === undefined ? createSecretKey(Buffer.from(options.secret ?? '', 'utf8')) : undefined;
    this.cacheMs = (options.cacheSeconds ?? 60) * 1000;
    this.cacheSize = options.cacheSize ?? 10_000;
    this.tolerance = options.clockToleranceSeconds ?? 5;
    this.now = options.now ?? Date.now;
    this.verifyOptions = {
      algorithms: this.jwks === undefined ? ['HS256'] : ['RS256'],
      clockTolerance: this.tolerance,
      ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
      ...(options.audience === undefined ? {} : { audience: options.audience }),
    };
  }

  async verify(token: string): Promise<Principal> {
    const now = this.now();
    const cached = this.verified.get(token);
    if (cached !== undefined && now < cached.recheckAt) {
      const seconds = now / 1000;
      if (cached.exp !== undefined && seconds >= cached.exp + this.tolerance) {
        this.verified.delete(token);
        throw unauthenticated('token-expired', 'The bearer token has expired.');
      }
      if (cached.nbf === undefined || seconds >= cached.nbf - this.tolerance) return cached.principal;
    }
    return this.verifySignature(token, now);
  }

  private async verifySignature(token: string, now: number): Promise<Principal> {
    const key = await this.keyFor(token);
    let claims: string | JwtPayload;
    try {
      claims = jwt.verify(token, key, { ...this.verifyOptions, clockTimestamp: Math.floor(now / 1000) });
    } catch (error: unknown) {
      if (error instanceof TokenExpiredError) throw unauthenticated('token-expired', 'The bearer token has expired.');
      const reason = error instanceof Error ? error.message : 'unknown reason';
      throw unauthenticated('invalid-token', `The bearer token is invalid: ${reason}.`);
    }
    if (typeof claims === 'string') throw unauthenticated('invalid-token', 'The bearer token carries no claims.');
    const principal = Object.freeze(principalFromClaims(claims));
    if (this.cacheMs > 0) this.remember(token, { principal, nbf: claims.nbf, exp: claims.exp, recheckAt: now + this.cacheMs });
    return principal;
  }

  private remember(token: string, entry: Verified): void {
    this.verified.delete(token);
    if (this.verified.size >= this.cacheSize) {
      const oldest = this.verified.keys().next();
      if (!oldest.done) this.verified.delete(oldest.value);
    }
    this.verified.set(token, entry);
  }

  private async keyFor(token: string): Promise<KeyObject> {
    if (this.jwks === undefined) {
      if (this.secretKey === undefined) throw new Error('TokenVerifier has neither a JWKS nor a secret');
      return this.secretKey;
    }
    const decoded = jwt.decode(token, { complete: true });
    if (decoded === null) throw unauthenticated('invalid-token', 'The bearer token is not a JWT.');
    try {
      const key = await this.jwks.getKey(decoded.header.kid);
      if (key === undefined) throw unauthenticated('invalid-token', 'The bearer token was signed with an unknown key.');
      return key;
    } catch (error: unknown) {
      if (error instanceof JwksUnavailableError) {
        throw new ProblemException({ code: 'authentication-unavailable', status: 503, detail: 'Tokens cannot be verified right now; retry shortly.' }, { cause: error });
      }
      throw error;
    }
  }
}
