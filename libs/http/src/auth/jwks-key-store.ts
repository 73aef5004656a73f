import { JsonWebKey, KeyObject, createPublicKey } from 'node:crypto';

export interface JwksKeyStoreOptions {
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** An unknown `kid` triggers a refetch at most this often, so junk tokens cannot hammer the IdP. */
  minRefreshIntervalMs?: number;
  /** Known keys are refetched after this long even when every kid is known (key rotation). */
  maxAgeMs?: number;
  timeoutMs?: number;
}

export class JwksUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JwksUnavailableError';
  }
}

interface Jwk extends JsonWebKey {
  kid?: string;
  kty?: string;
  use?: string;
  alg?: string;
}

/** RS256 signing keys from a JWKS URL, cached by `kid`, refetched when an unknown `kid` shows up. */
export class JwksKeyStore {
  private keys = new Map<string, KeyObject>();
  private fetchedAt = 0;
  private inFlight: Promise<void> | undefined;
  private readonly fetchFn: typeof fetch;
  private readonly minRefreshIntervalMs: number;
  private readonly maxAgeMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly url: string,
    options: JwksKeyStoreOptions = {},
  ) {
    this.fetchFn = options.fetch ?? globalThis.fetch;
    this.minRefreshIntervalMs = options.minRefreshIntervalMs ?? 10_000;
    this.maxAgeMs = options.maxAgeMs ?? 60 * 60_000;
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  /** The key for `kid`; without a kid, the only key of the set. `undefined` when there is none. */
  async getKey(kid: string | undefined): Promise<KeyObject | undefined> {
    const now = Date.now();
    if (this.fetchedAt === 0 || now - this.fetchedAt > this.maxAgeMs) {
      await this.refresh();
    } else if (this.lookup(kid) === undefined && now - this.fetchedAt >= this.minRefreshIntervalMs) {
      await this.refresh();
    }
    return this.lookup(kid);
  }

  private lookup(kid: string | undefined): KeyObject | undefined {
    if (kid !== undefined) return this.keys.get(kid);
    return this.keys.size === 1 ? [...this.keys.values()][0] : undefined;
  }

  private refresh(): Promise<void> {
    this.inFlight ??= this.load().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async load(): Promise<void> {
    let body: unknown;
    try {
      const response = await this.fetchFn(this.url, { signal: AbortSignal.timeout(this.timeoutMs), headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      body = await response.json();
    } catch (error: unknown) {
      // Keep serving the keys we have; the next unknown kid retries.
      this.fetchedAt = this.keys.size > 0 ? Date.now() : 0;
      throw new JwksUnavailableError(`Cannot fetch JWKS from ${this.url}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const jwks = (typeof body === 'object' && body !== null ? (body as { keys?: unknown }).keys : undefined) ?? [];
    const keys = new Map<string, KeyObject>();
    let anonymous = 0;
    for (const jwk of Array.isArray(jwks) ? (jwks as Jwk[]) : []) {
      if (jwk.kty !== 'RSA' || (jwk.use !== undefined && jwk.use !== 'sig') || (jwk.alg !== undefined && jwk.alg !== 'RS256')) continue;
      try {
        keys.set(jwk.kid ?? `#${anonymous++}`, createPublicKey({ key: jwk, format: 'jwk' }));
      } catch {
        // A malformed key is skipped; the others still verify.
      }
    }
    this.keys = keys;
    this.fetchedAt = Date.now();
  }
}
