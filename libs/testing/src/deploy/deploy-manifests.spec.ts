/**
 * The Kubernetes manifests of deploy/k8s against the API contract (api.md, "Common rules"):
 * the Ingress publishes the API prefixes of tools/services.ts and the dashboard, never a
 * service's operational endpoints (/health/*, /metrics/prometheus, /docs stay on its own port);
 * the services verify RS256 tokens against a JWKS, with no shared secret in the cluster.
 *
 * It lives here because the unit config runs `{libs,services}/<project>/src/**\/*.spec.ts`, not
 * `tools/`.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { parseAllDocuments } from 'yaml';
import {
  BaseServiceEnv,
  PROMETHEUS_PATH,
  TokenVerifier,
  authOptionsFromEnv,
  loadConfig,
  signLocalToken,
} from '@ipfin/http';
// tools/ belongs to no Nx project; the test follows the one routing catalogue rather than copy it.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { SERVICE_PROCESSES, SERVICES, routeFor } from '../../../../tools/services';

/** Every non-empty document of a YAML stream; a syntax error or a duplicate key throws. */
function parseYamlDocuments(source: string, name: string): unknown[] {
  return parseAllDocuments(source)
    .map((doc) => {
      const [error] = doc.errors;
      if (error !== undefined) throw new Error(`${name}: ${error.message}`);
      return doc.toJS() as unknown;
    })
    .filter((doc) => doc !== null && doc !== undefined);
}

// ---------------------------------------------------------------------------------------------
// The manifests.

const K8S_DIR = path.resolve(__dirname, '../../../../deploy/k8s');
const NOT_APPLIED = ['kustomization.yaml', 'secrets.example.yaml'];

type Manifest = Record<string, any>;

const readYaml = (file: string): Manifest[] =>
  parseYamlDocuments(readFileSync(path.join(K8S_DIR, file), 'utf8'), file) as Manifest[];
const kustomization = readYaml('kustomization.yaml')[0];
const resources = kustomization.resources as string[];
const manifests: Manifest[] = resources.flatMap(readYaml);
const ofKind = (kind: string): Manifest[] => manifests.filter((m) => m.kind === kind);

const ingresses = ofKind('Ingress');
const deployments = ofKind('Deployment');
const configMap = ofKind('ConfigMap').find((m) => m.metadata.name === 'ipfin-config')!;

interface IngressPath {
  path: string;
  pathType: string;
  service: string;
  port: string;
}
const ingressPaths: IngressPath[] = ingresses.flatMap((ingress) =>
  (ingress.spec.rules as Manifest[]).flatMap((rule) =>
    (rule.http.paths as Manifest[]).map((p) => ({
      path: p.path,
      pathType: p.pathType,
      service: p.backend.service.name,
      port: p.backend.service.port.name,
    })),
  ),
);

/** Kubernetes Ingress matching: Prefix by whole path elements, longest path first, Exact before Prefix. */
function ingressRoute(requestPath: string): IngressPath | undefined {
  const elements = (p: string): string[] => p.split('/').filter((e) => e !== '');
  const matches = ingressPaths.filter((p) => {
    if (p.pathType === 'Exact') return p.path === requestPath;
    const want = elements(p.path);
    const got = elements(requestPath);
    return want.every((element, i) => got[i] === element);
  });
  matches.sort(
    (a, b) => b.path.length - a.path.length || (a.pathType === 'Exact' ? -1 : b.pathType === 'Exact' ? 1 : 0),
  );
  return matches[0];
}

/** A container's environment as the kubelet builds it: ConfigMaps, then `env` with `$(VAR)` expanded; secrets as placeholders. */
function containerEnv(container: Manifest): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of (container.envFrom ?? []) as Manifest[]) {
    if (source.configMapRef === undefined) continue;
    const map = ofKind('ConfigMap').find((m) => m.metadata.name === source.configMapRef.name);
    if (map === undefined) throw new Error(`ConfigMap ${source.configMapRef.name} is not in the kustomization`);
    for (const [name, value] of Object.entries(map.data as Record<string, unknown>)) {
      if (typeof value !== 'string')
        throw new Error(`ConfigMap ${source.configMapRef.name}: ${name} must be a string (quote it)`);
      env[name] = value;
    }
  }
  for (const variable of (container.env ?? []) as Manifest[]) {
    const ref = variable.valueFrom?.secretKeyRef;
    env[variable.name] =
      ref !== undefined
        ? `secret-${ref.name}-${ref.key}`
        : String(variable.value).replace(
            /\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g,
            (all: string, name: string) => env[name] ?? all,
          );
  }
  return env;
}

// ---------------------------------------------------------------------------------------------

describe('deploy/k8s', () => {
  it('applies every manifest of the folder but the example secrets', () => {
    const files = readdirSync(K8S_DIR).filter((f) => f.endsWith('.yaml') && !NOT_APPLIED.includes(f));
    expect([...resources].sort()).toEqual(files.sort());
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(SERVICE_PROCESSES.map((p) => p.name).sort());
  });

  it("sets each process's own variables: metrics answers without folding, its projector folds", () => {
    for (const p of SERVICE_PROCESSES) {
      const container = (deployments.find((d) => d.metadata.name === p.name)!.spec.template.spec.containers as Manifest[])[0];
      const env = containerEnv(container);
      expect({ name: p.name, image: container.image, SERVICE_NAME: env.SERVICE_NAME, ...Object.fromEntries(Object.keys(p.env).map((k) => [k, env[k]])) }).toEqual({
        name: p.name,
        image: `ipfin/${p.service.name}`,
        SERVICE_NAME: p.name,
        ...p.env,
      });
    }
    const projector = deployments.find((d) => d.metadata.name === 'metrics-projector')!;
    expect(containerEnv(projector.spec.template.spec.containers[0]).METRICS_FOLD).toBeUndefined();
  });

  describe('the Ingress (the public base URL)', () => {
    const dashboard = SERVICES.find((s) => s.prefixes.includes('/'))!;

    it('routes exactly the API prefixes of tools/services.ts, the dashboard page at / (Exact) and its /dashboard assets', () => {
      expect(ingresses).toHaveLength(1);
      const expected: IngressPath[] = [
        ...SERVICES.flatMap((s) =>
          s.prefixes.map((prefix) => ({
            path: prefix,
            pathType: prefix === '/' ? 'Exact' : 'Prefix',
            service: s.name,
            port: 'http',
          })),
        ),
        { path: '/dashboard', pathType: 'Prefix', service: dashboard.name, port: 'http' },
      ];
      const byPath = (a: IngressPath, b: IngressPath): number => a.path.localeCompare(b.path);
      expect([...ingressPaths].sort(byPath)).toEqual(expected.sort(byPath));
    });

    it("publishes none of a service's own-port endpoints", () => {
      for (const p of ingressPaths) expect(p.path).not.toMatch(/^\/(metrics|docs|health)/);
      for (const requestPath of [
        '/health/live',
        '/health/ready',
        PROMETHEUS_PATH,
        '/metrics',
        '/docs',
        '/docs/',
        '/docs-json',
        '/docs/swagger-ui.css',
        '/favicon.ico',
        '/v1',
        '/v1/loansx',
      ]) {
        expect([requestPath, ingressRoute(requestPath)]).toEqual([requestPath, undefined]);
      }
    });

    it('sends each public path to the service the local gateway does', () => {
      const publicPaths = [
        ...SERVICES.flatMap((s) =>
          s.prefixes.filter((p) => p !== '/').flatMap((p) => [p, `${p}/`, `${p}/some-id`, `${p}/some-id/sub`]),
        ),
        '/',
        '/dashboard/app.js',
        '/dashboard/app.css',
        '/dashboard/echarts.min.js',
      ];
      for (const requestPath of publicPaths) {
        expect([requestPath, ingressRoute(requestPath)?.service]).toEqual([requestPath, routeFor(requestPath)?.name]);
      }
    });

    it('points at Services and ports that exist', () => {
      const services = ofKind('Service');
      for (const p of ingressPaths) {
        const service = services.find((s) => s.metadata.name === p.service);
        expect([p.path, (service?.spec.ports as Manifest[] | undefined)?.some((port) => port.name === p.port)]).toEqual(
          [p.path, true],
        );
      }
    });
  });

  describe('authentication', () => {
    it('configures RS256 against a JWKS URL, with issuer and audience, in the shared ConfigMap', () => {
      const data = configMap.data as Record<string, unknown>;
      expect(data.AUTH_JWKS_URL).toEqual(expect.stringMatching(/^https:\/\/\S+$/));
      expect(data.AUTH_JWT_ISSUER).toEqual(expect.stringMatching(/^\S+$/));
      expect(data.AUTH_JWT_AUDIENCE).toEqual(expect.stringMatching(/^\S+$/));
      expect(data).not.toHaveProperty('AUTH_JWT_SECRET');
    });

    it.each(SERVICE_PROCESSES.map((p) => p.name))('%s holds no token secret and boots with the JWKS configuration', (name) => {
      const deployment = deployments.find((d) => d.metadata.name === name)!;
      for (const container of deployment.spec.template.spec.containers as Manifest[]) {
        expect(((container.env ?? []) as Manifest[]).map((v) => v.name)).not.toContain('AUTH_JWT_SECRET');
        expect(((container.envFrom ?? []) as Manifest[]).filter((source) => source.secretRef !== undefined)).toEqual(
          [],
        );
        const env = containerEnv(container);
        expect(env.AUTH_JWT_SECRET).toBeUndefined();
        const config = loadConfig(BaseServiceEnv, env);
        expect(config.AUTH_JWKS_URL).toBe(configMap.data.AUTH_JWKS_URL);
        expect(authOptionsFromEnv(env)).toEqual({
          secret: undefined,
          jwksUrl: configMap.data.AUTH_JWKS_URL,
          issuer: configMap.data.AUTH_JWT_ISSUER,
          audience: configMap.data.AUTH_JWT_AUDIENCE,
        });
      }
    });

    it('accepts an RS256 token of the configured issuer and audience, and nothing signed with a shared secret', async () => {
      const env = containerEnv(deployments[0].spec.template.spec.containers[0]);
      const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'office-1', use: 'sig', alg: 'RS256' }] };
      const requested: string[] = [];
      const fetchJwks = (async (url: string) => {
        requested.push(url);
        return new Response(JSON.stringify(jwks), { headers: { 'content-type': 'application/json' } });
      }) as typeof fetch;
      const verifier = new TokenVerifier({ ...authOptionsFromEnv(env), jwks: { fetch: fetchJwks }, cacheSeconds: 0 });
      const sign = (issuer: string, audience: string): string =>
        jwt.sign({ role: 'bank', region: '350600' }, privateKey, {
          algorithm: 'RS256',
          keyid: 'office-1',
          subject: 'bank-icbc-zz',
          issuer,
          audience,
          expiresIn: '5m',
        });

      await expect(verifier.verify(sign(env.AUTH_JWT_ISSUER, env.AUTH_JWT_AUDIENCE))).resolves.toEqual({
        sub: 'bank-icbc-zz',
        role: 'bank',
        region: '350600',
      });
      expect(requested).toEqual([env.AUTH_JWKS_URL]);
      await expect(verifier.verify(sign('https://other-idp.example.org', env.AUTH_JWT_AUDIENCE))).rejects.toMatchObject(
        { code: 'invalid-token' },
      );
      await expect(verifier.verify(sign(env.AUTH_JWT_ISSUER, 'another-app'))).rejects.toMatchObject({
        code: 'invalid-token',
      });
      const hs256 = signLocalToken(
        { sub: 'bank-icbc-zz', role: 'bank', region: '350600' },
        'local-compose-secret-change-me',
        '5m',
        { issuer: env.AUTH_JWT_ISSUER, audience: env.AUTH_JWT_AUDIENCE },
      );
      await expect(verifier.verify(hs256)).rejects.toMatchObject({ code: 'invalid-token' });
    });

    it('references only secrets that secrets.example.yaml lists or CloudNativePG generates', () => {
      const listed = new Set([
        ...readYaml('secrets.example.yaml').map((s) => s.metadata.name as string),
        'ipfin-pg-superuser',
      ]);
      const referenced = JSON.stringify(manifests).match(/"secretKeyRef":\{[^}]*"name":"([^"]+)"/g) ?? [];
      const names = referenced.map((ref) => /"name":"([^"]+)"/.exec(ref)![1]);
      expect(names.length).toBeGreaterThan(0);
      expect(names.filter((n) => !listed.has(n))).toEqual([]);
    });
  });

  describe('Prometheus', () => {
    it.each(SERVICE_PROCESSES.map((p) => p.name))("scrapes %s on its pods' own port", (name) => {
      const template = deployments.find((d) => d.metadata.name === name)!.spec.template;
      const container = (template.spec.containers as Manifest[])[0];
      const port = (container.ports as Manifest[]).find((p) => p.name === 'http')!.containerPort as number;
      expect(containerEnv(container).PORT).toBe(String(port));
      expect(template.metadata.annotations).toEqual({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(port),
        'prometheus.io/path': PROMETHEUS_PATH,
      });
    });
  });
});

describe('deploy/k8s/ops (the rebuild Jobs, applied on demand)', () => {
  const OPS_DIR = path.join(K8S_DIR, 'ops');
  const ROOT = path.resolve(K8S_DIR, '../..');
  const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const readOps = (dir: string, file: string): Manifest[] =>
    parseYamlDocuments(readFileSync(path.join(OPS_DIR, dir, file), 'utf8'), `ops/${dir}/${file}`) as Manifest[];
  const dirs = readdirSync(OPS_DIR).sort();

  it('has a Job for each of the three rebuild commands of package.json', () => {
    const rebuilds = Object.entries(scripts).filter(([name]) => /rebuild/.test(name)).map(([, command]) => command).sort();
    expect(rebuilds).toHaveLength(3);
    const commands = dirs.map((dir) => (readOps(dir, 'job.yaml')[0].spec.template.spec.containers as Manifest[])[0].command.join(' ') as string);
    expect(commands.sort()).toEqual(rebuilds);
  });

  it.each(dirs)('%s runs its script in the service\'s image, as the service\'s role, once', (dir) => {
    const [kustomizationOf] = readOps(dir, 'kustomization.yaml');
    expect(kustomizationOf.namespace).toBe(kustomization.namespace);
    expect(kustomizationOf.resources).toEqual(['job.yaml']);
    const [job] = readOps(dir, 'job.yaml');
    expect(job.kind).toBe('Job');
    expect(job.spec.backoffLimit).toBe(0);
    const pod = job.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    const container = (pod.containers as Manifest[])[0];
    const script = container.command[3] as string;
    expect(readdirSync(path.join(ROOT, path.dirname(script)))).toContain(path.basename(script));
    // The service whose image it runs: the one whose directory holds the script.
    const deployment = deployments.find((d) => script.startsWith(`services/${d.metadata.name}/`))!;
    const service = (deployment.spec.template.spec.containers as Manifest[])[0];
    expect(container.image).toBe(service.image);
    expect(kustomizationOf.images).toEqual((kustomization.images as Manifest[]).filter((i) => i.name === service.image));
    expect(pod.securityContext).toEqual(deployment.spec.template.spec.securityContext);
    // The service's connection settings, nothing of its HTTP side nor which process folds.
    const { SERVICE_NAME: _name, PORT: _port, METRICS_FOLD: _fold, ...connection } = containerEnv(service);
    const env = containerEnv(container);
    expect(env).toMatchObject(connection);
    expect(Object.keys(env).filter((k) => !(k in connection))).toEqual(Object.keys(env).filter((k) => /_REBUILD_CONCURRENCY$/.test(k)));
  });
});
