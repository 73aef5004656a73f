/**
 * The local ingress: one base URL (default http://localhost:3000) routing by path prefix to
 * each service, exactly as api.md lists. In a cluster the Ingress of deploy/k8s does this.
 */
import http from 'node:http';
import httpProxy from 'http-proxy';
import { reachableHost, urlHost } from './local-env';
import { GATEWAY_PORT, routeFor, SERVICES, type ServiceSpec } from './services';

/**
 * Where a service answers: `IPFIN_<NAME>_URL` (e.g. `IPFIN_PLEDGE_LOANS_URL=http://pledge-loans:3001`
 * in Compose) or `SERVICE_HOST` and the catalogue's port.
 */
export function serviceTarget(spec: ServiceSpec, host: string): string {
  return process.env[`IPFIN_${spec.name.toUpperCase().replace(/-/g, '_')}_URL`] ?? `http://${urlHost(host)}:${spec.port}`;
}

export interface Gateway {
  url: string;
  close(): Promise<void>;
}

/**
 * Listens on `port` of `listenHost` (default: every interface, as in a container; the local stack
 * passes IPFIN_BIND_HOST's address) and proxies to the services on `host`.
 */
export function startGateway(port = GATEWAY_PORT, host = process.env.SERVICE_HOST ?? '127.0.0.1', listenHost?: string): Promise<Gateway> {
  const proxy = httpProxy.createProxyServer({ xfwd: true, proxyTimeout: 120_000 });
  proxy.on('error', (err, _req, res) => {
    const body = JSON.stringify({
      type: 'https://ipfin.dev/problems/service-unavailable', title: 'Service unavailable', status: 502,
      detail: `The service behind this path did not answer: ${err.message}`,
    });
    if (res instanceof http.ServerResponse && !res.headersSent) {
      res.writeHead(502, { 'content-type': 'application/problem+json' });
      res.end(body);
    } else {
      res.end();
    }
  });
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/health/live' || path === '/gateway/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', routes: SERVICES.map((s) => ({ service: s.name, prefixes: s.prefixes })) }));
      return;
    }
    const target = routeFor(path.split('?')[0] ?? '/');
    if (!target) {
      res.writeHead(404, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'https://ipfin.dev/problems/not-found', title: 'Not found', status: 404, detail: `No service serves ${path}` }));
      return;
    }
    proxy.web(req, res, { target: serviceTarget(target, host) });
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, listenHost, () => {
      const shown = listenHost === undefined || reachableHost(listenHost) === '127.0.0.1' ? 'localhost' : urlHost(listenHost);
      resolve({
        url: `http://${shown}:${port}`,
        close: () => new Promise<void>((done) => { proxy.close(); server.closeAllConnections(); server.close(() => done()); }),
      });
    });
  });
}

if (require.main === module) {
  startGateway()
    .then((g) => console.log(`gateway: ${g.url}`))
    .catch((err: unknown) => { console.error(err); process.exit(1); });
}
