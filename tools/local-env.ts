/** Defaults for the local stack only. Production sets every variable itself (see README). */
export const LOCAL_JWT_SECRET = 'ipfin-local-development-secret-change-me';
export const LOCAL_DB_PASSWORD = 'ipfin-local';

/**
 * The address the local stack's services and gateway listen on: `IPFIN_BIND_HOST`, by default
 * 127.0.0.1 — this machine only, since anyone who can reach the stack can sign tokens with the
 * published `LOCAL_JWT_SECRET`. Another address needs a secret of one's own (`assertSafeBind`).
 */
export function localBindHost(env: NodeJS.ProcessEnv = process.env): string {
  const host = env.IPFIN_BIND_HOST?.trim();
  return host === undefined || host === '' ? '127.0.0.1' : host;
}

const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);

/** `host` as the host part of a URL (an IPv6 address in brackets). */
export const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/** Where this machine reaches a server listening on `bindHost`: loopback for a loopback or wildcard address. */
export function reachableHost(bindHost: string): string {
  return isLoopback(bindHost) || bindHost === '0.0.0.0' || bindHost === '::' ? '127.0.0.1' : bindHost;
}

/**
 * Refuses to open the local stack beyond this machine while tokens are signed with the published
 * local secret: with `IPFIN_BIND_HOST` other than loopback, `AUTH_JWT_SECRET` must be set, and not
 * to `LOCAL_JWT_SECRET`.
 */
export function assertSafeBind(bindHost: string, env: NodeJS.ProcessEnv = process.env): void {
  if (isLoopback(bindHost)) return;
  const secret = env.AUTH_JWT_SECRET;
  if (secret === undefined || secret === '' || secret === LOCAL_JWT_SECRET) {
    throw new Error(
      `IPFIN_BIND_HOST=${bindHost} opens the stack to other machines, and its tokens are signed with the published ` +
        'local secret: anyone could sign a regulator token. Set AUTH_JWT_SECRET to a secret of your own (≥ 16 characters) ' +
        '(`npm run token` reads it too), or leave IPFIN_BIND_HOST unset (127.0.0.1).',
    );
  }
}
