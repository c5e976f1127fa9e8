import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/child-server.ts';
import { type ServerProcess, spawnServer, stopServer, waitReady } from './support/processes.ts';

// The mirror of engines-not-loaded: the embedded start (`npm start`, no service URLs) must not
// load the scale-out clients — Redis, NATS, ClickHouse over HTTP, PostgreSQL — nor
// OpenTelemetry's SDK without an endpoint (its small `api` package comes with prom-client). Each is megabytes of heap held for the process's life, and
// the embedded profile has to fit a 512 MB container (docs/benchmarks.md). One real start on a
// fresh directory under a module-load trace, a request through each listener, then the trace.
const TRACE = path.resolve(import.meta.dirname, 'support/trace-engines.mjs');
const SCALE_OUT_CLIENTS =
  /node_modules\/(ioredis|@ioredis\/[^/]+|@nats-io\/[^/]+|@clickhouse\/client[^/]*|pg|pg-[a-z]+|@opentelemetry\/(?!api\/)[^/]+)\//;

describe('the embedded start loads no scale-out client', () => {
  let dir: string;
  let server: ServerProcess | undefined;
  let ports: { ingest: number; api: number };
  let traceFile: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-embedded-modules-'));
    traceFile = path.join(tmpdir(), `unmogrowp-trace-${process.pid}-${Date.now()}.txt`);
    await writeFile(traceFile, '');
    ports = { ingest: await freePort(), api: await freePort() };
    server = spawnServer(
      'embedded',
      {
        DATA_DIR: dir,
        INGEST_PORT: String(ports.ingest),
        API_PORT: String(ports.api),
        LOG_LEVEL: 'warn',
        // Whatever the test environment has set: the embedded profile is the one without these.
        DATABASE_URL: '',
        CLICKHOUSE_URL: '',
        REDIS_URL: '',
        NATS_URL: '',
        OTEL_EXPORTER_OTLP_ENDPOINT: '',
        ROLE: 'all',
        UNMOGROWP_TRACE_FILE: traceFile,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${TRACE}`,
      },
      `http://127.0.0.1:${ports.ingest}`,
    );
    await waitReady(server, 90_000);
  }, 120_000);

  afterAll(async () => {
    if (server) await stopServer(server);
    await rm(dir, { recursive: true, force: true });
    await rm(traceFile, { force: true });
  }, 60_000);

  it('serves both listeners with the embedded engines and no file of ioredis, NATS, @clickhouse/client, pg or OpenTelemetry', async () => {
    expect((await fetch(`http://127.0.0.1:${ports.api}/ready`)).status).toBe(200);
    const register = await fetch(`http://127.0.0.1:${ports.api}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'modules@example.com', password: 'a long enough passphrase 42' }),
    });
    expect(register.status).toBe(201);
    const loaded = (await readFile(traceFile, 'utf8')).split('\n').filter((l) => l !== '');
    // The trace sees what this profile does load (fastify, both embedded engines)…
    for (const pkg of ['/fastify/', '/chdb/', '/@electric-sql/pglite/'])
      expect(
        loaded.some((l) => l.includes(pkg)),
        pkg,
      ).toBe(true);
    // …and no file of a scale-out client.
    expect(loaded.filter((l) => SCALE_OUT_CLIENTS.test(l))).toEqual([]);
  });
});
