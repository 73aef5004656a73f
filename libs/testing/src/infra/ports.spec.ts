import { createServer, type Server } from 'node:net';
import { assertPortsFree, portInUse, PortInUseError } from './ports';

const listen = (host?: string, port = 0): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port, host }, () => resolve(server));
  });
const portOf = (server: Server): number => (server.address() as { port: number }).port;
const close = (server: Server): Promise<void> => new Promise((r) => server.close(() => r()));

describe('portInUse / assertPortsFree', () => {
  it.each([
    ['the wildcard address (a service, 0.0.0.0)', '0.0.0.0'],
    ['loopback only', '127.0.0.1'],
    ['the default (the gateway, ::)', undefined],
  ])('sees a port held by a listener on %s', async (_what, host) => {
    const server = await listen(host);
    const port = portOf(server);
    try {
      await expect(portInUse(port)).resolves.toBe(true);
    } finally {
      await close(server);
    }
    await expect(portInUse(port)).resolves.toBe(false);
  });

  it('names each busy port, who needs it and the variable that moves it', async () => {
    const busy = await listen('0.0.0.0');
    const free = await listen('127.0.0.1');
    const freePort = portOf(free);
    await close(free);
    const port = portOf(busy);
    try {
      await expect(assertPortsFree([{ port: freePort, name: 'gateway', env: 'IPFIN_GATEWAY_PORT' }])).resolves.toBeUndefined();
      const err = await assertPortsFree([
        { port, name: 'pledge-loans', env: 'IPFIN_SERVICE_PORT_BASE' },
        { port: freePort, name: 'gateway', env: 'IPFIN_GATEWAY_PORT' },
      ]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PortInUseError);
      expect((err as PortInUseError).message).toBe(
        `port ${port} is in use (pledge-loans) — another npm start? set IPFIN_SERVICE_PORT_BASE, or stop what listens there`,
      );
      expect((err as PortInUseError).busy.map((c) => c.port)).toEqual([port]);
      // A whole second stack: one line per variable to set.
      const many = new PortInUseError([
        { port: 3001, name: 'pledge-loans', env: 'IPFIN_SERVICE_PORT_BASE' },
        { port: 3002, name: 'risk-compensation', env: 'IPFIN_SERVICE_PORT_BASE' },
        { port: 3000, name: 'gateway', env: 'IPFIN_GATEWAY_PORT' },
      ]);
      expect(many.message).toBe(
        'ports 3001, 3002 are in use (pledge-loans, risk-compensation) — another npm start? set IPFIN_SERVICE_PORT_BASE, or stop what listens there\n' +
          'port 3000 is in use (gateway) — another npm start? set IPFIN_GATEWAY_PORT, or stop what listens there',
      );
    } finally {
      await close(busy);
    }
  });
});
