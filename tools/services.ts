/**
 * The one catalogue of services: ports, schemas and the public path prefixes the gateway
 * (and, in a cluster, the Ingress in deploy/k8s) routes to each.
 */
export interface ServiceSpec {
  name: string;
  port: number;
  /** PostgreSQL schema the service owns; its role is `ipfin_<schema>`. */
  schema: string;
  prefixes: string[];
  /**
   * The service also runs a projector: a second process of the same code (`<name>-projector`, at
   * `port`) that folds the service's topics, while the service's own process, with `answerEnv`,
   * only answers queries — so the consumers' fetch loops and folds never share its event loop.
   */
  projector?: { port: number; answerEnv: Record<string, string> };
}

/** Port of the first service (3001); the others follow. `npm test` moves them (3101…) to run beside `npm start`. */
const PORT_BASE = Number(process.env.IPFIN_SERVICE_PORT_BASE ?? 3001);

export const SERVICES: readonly ServiceSpec[] = [
  { name: 'pledge-loans', port: PORT_BASE, schema: 'pledge_loans', prefixes: ['/v1/loan-events', '/v1/loans'] },
  { name: 'risk-compensation', port: PORT_BASE + 1, schema: 'risk_compensation', prefixes: ['/v1/funds', '/v1/claims'] },
  { name: 'patent-registry', port: PORT_BASE + 2, schema: 'patent_registry', prefixes: ['/v1/patents'] },
  { name: 'dense-products', port: PORT_BASE + 3, schema: 'dense_products', prefixes: ['/v1/products'] },
  {
    name: 'metrics',
    port: PORT_BASE + 4,
    schema: 'metrics',
    prefixes: ['/v1/metrics', '/v1/targets', '/'],
    projector: { port: PORT_BASE + 5, answerEnv: { METRICS_FOLD: 'false' } },
  },
];

/** One process the stack runs: a service, or its projector (same code and schema, no routes). */
export interface ServiceProcess {
  name: string;
  service: ServiceSpec;
  port: number;
  env: Record<string, string>;
}

/** A service's processes: its own (with `answerEnv` when it has a projector), then its projector. */
export const processesOf = (s: ServiceSpec): ServiceProcess[] => [
  { name: s.name, service: s, port: s.port, env: s.projector?.answerEnv ?? {} },
  ...(s.projector ? [{ name: `${s.name}-projector`, service: s, port: s.projector.port, env: {} }] : []),
];

/** Every process the local stack runs, but the gateway. */
export const SERVICE_PROCESSES: readonly ServiceProcess[] = SERVICES.flatMap(processesOf);

export const GATEWAY_PORT = Number(process.env.IPFIN_GATEWAY_PORT ?? 3000);

export const serviceRole = (s: ServiceSpec): string => `ipfin_${s.schema}`;

/** Routes a request path to the service whose prefix matches best (longest prefix wins). */
export function routeFor(path: string): ServiceSpec | undefined {
  let best: { spec: ServiceSpec; length: number } | undefined;
  for (const spec of SERVICES) {
    for (const prefix of spec.prefixes) {
      const matches = prefix === '/' ? true : path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`);
      if (matches && (!best || prefix.length > best.length)) best = { spec, length: prefix.length };
    }
  }
  return best?.spec;
}
