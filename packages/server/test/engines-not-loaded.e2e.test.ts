import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/child-server.ts';
import { type ServerProcess, spawnServer, stopServer, waitReady } from './support/processes.ts';
import { probeScaleOutServices, servicesRequired, startScaleOutServices } from './support/scale-out-services.ts';

// A scale-out image may leave chDB (~540 MB) and PGlite out (docs/scale-out.md, "The image"):
// that holds only while no import path of the roles loads them. One process runs every role
// (ROLE=all on the scale-out services, so every role's modules load) under a module-load trace,
// serves requests, and must not have loaded a file of either engine. The ClickHouse stand-in the
// test starts runs in the test process, not in the traced one.
const availability = await probeScaleOutServices();
// Skipped only when a service is absent and REQUIRE_SERVICES is unset; CI sets it, so there an absent service fails.
const suite = availability.available || servicesRequired() ? describe : describe.skip;
if (!availability.available) console.warn(`[skip] engines-not-loaded: ${availability.reason}`);

const TRACE = path.resolve(import.meta.dirname, 'support/trace-engines.mjs');

suite('scale-out roles never load the embedded engines', () => {
  if (!availability.available) {
    it('needs PostgreSQL, Redis and NATS (REQUIRE_SERVICES=1)', () => {
      throw new Error((availability as { reason: string }).reason);
    });
    return;
  }
  let services: Awaited<ReturnType<typeof startScaleOutServices>>;
  let server: ServerProcess | undefined;
  const traceFile = path.join(tmpdir(), `unmogrowp-trace-${process.pid}-${Date.now()}.txt`);
  let ports: { ingest: number; api: number; worker: number };

  beforeAll(async () => {
    services = await startScaleOutServices();
    await writeFile(traceFile, '');
    ports = { ingest: await freePort(), api: await freePort(), worker: await freePort() };
    server = spawnServer(
      'all-roles',
      {
        ...services.env,
        ROLE: 'all',
        DATA_DIR: path.join(services.dir, 'data'),
        INGEST_PORT: String(ports.ingest),
        API_PORT: String(ports.api),
        WORKER_PORT: String(ports.worker),
        NATS_PARTITIONS: '2',
        LOG_LEVEL: 'warn',
        UNMOGROWP_TRACE_FILE: traceFile,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${TRACE}`,
      },
      `http://127.0.0.1:${ports.api}`,
    );
    await waitReady(server, 90_000);
  }, 120_000);

  afterAll(async () => {
    if (server) await stopServer(server);
    await services?.close();
    await rm(traceFile, { force: true });
  }, 60_000);

  it('serves every role and has loaded no file of chdb or @electric-sql/pglite', async () => {
    for (const port of [ports.ingest, ports.worker, ports.api]) {
      expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
    }
    const register = await fetch(`http://127.0.0.1:${ports.api}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'trace@example.com', password: 'a long enough passphrase 42' }),
    });
    expect(register.status).toBeLessThan(500);
    const loaded = (await readFile(traceFile, 'utf8')).split('\n').filter((l) => l !== '');
    // The trace sees what the roles do load (fastify, the PostgreSQL and ClickHouse clients)…
    for (const pkg of ['/fastify/', '/pg/', '/@clickhouse/client/', '/ioredis/'])
      expect(
        loaded.some((l) => l.includes(pkg)),
        pkg,
      ).toBe(true);
    // …and no file of either embedded engine.
    expect(loaded.filter((l) => /node_modules\/(chdb|@electric-sql\/pglite)\//.test(l))).toEqual([]);
  });
});
