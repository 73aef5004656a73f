// Is a TCP port free to listen on? The stack checks its services' and gateway's ports before it
// spawns anything. Otherwise a port held by another `npm start` would answer the readiness probe
// for a child that then dies with EADDRINUSE.
import { createServer } from 'node:net';

/**
 * True if a listen on `port` fails with EADDRINUSE. Without `host` this tries the wildcard address
 * (IPv6 and IPv4), which conflicts with a listener on any address.
 */
export function portInUse(port: number, host?: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') resolve(true);
      else reject(err);
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(false)));
  });
}

export interface PortClaim {
  port: number;
  /** Who needs it, e.g. `pledge-loans` or `gateway`. */
  name: string;
  /** The variable that moves it, e.g. IPFIN_SERVICE_PORT_BASE. */
  env: string;
}

/** Thrown by `assertPortsFree`; the message names every busy port, whose it is, and how to move it. */
export class PortInUseError extends Error {
  constructor(readonly busy: readonly PortClaim[]) {
    const lines = [...new Set(busy.map((c) => c.env))].map((env) => {
      const these = busy.filter((c) => c.env === env);
      const ports = these.length === 1 ? `port ${these[0].port} is` : `ports ${these.map((c) => c.port).join(', ')} are`;
      return `${ports} in use (${these.map((c) => c.name).join(', ')}) — another npm start? set ${env}, or stop what listens there`;
    });
    super(lines.join('\n'));
    this.name = 'PortInUseError';
  }
}

/** Rejects with a `PortInUseError` naming each port of `claims` that is taken. */
export async function assertPortsFree(claims: readonly PortClaim[], host?: string): Promise<void> {
  const busy: PortClaim[] = [];
  for (const claim of claims) if (await portInUse(claim.port, host)) busy.push(claim);
  if (busy.length > 0) throw new PortInUseError(busy);
}
