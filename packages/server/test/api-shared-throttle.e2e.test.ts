import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/child-server.ts';
import { type ServerProcess, startServer, stopServer } from './support/processes.ts';
import { probeScaleOutServices, servicesRequired, startScaleOutServices } from './support/scale-out-services.ts';

// Two api processes behind one load balancer must not give an attacker twice the guesses: with
// REDIS_URL the sign-in and registration limits are counted in Redis, once for all of them. The
// attempts alternate between the two processes; the limit holds as if there were one.
const availability = await probeScaleOutServices();
// Skipped only when a service is absent and REQUIRE_SERVICES is unset; CI sets it, so there an absent service fails.
const suite = availability.available || servicesRequired() ? describe : describe.skip;
// Skipped only without the services and without REQUIRE_SERVICES=1 (CI sets it, and then fails).
if (!availability.available) console.warn(`[skip] shared api limits: ${availability.reason}`);

const PASSWORD = 'a long passphrase for 2026 tests';

suite('sign-in and registration limits are shared by api processes (Redis)', () => {
  if (!availability.available) {
    it('needs PostgreSQL, Redis and NATS (REQUIRE_SERVICES=1)', () => {
      throw new Error(availability.reason);
    });
    return;
  }
  let services: Awaited<ReturnType<typeof startScaleOutServices>>;
  const processes: ServerProcess[] = [];
  const dirs: string[] = [];
  const api: string[] = [];

  beforeAll(async () => {
    services = await startScaleOutServices();
    // One after the other: the first applies the migrations.
    for (const name of ['api-a', 'api-b']) {
      const port = await freePort();
      const dir = await mkdtemp(path.join(tmpdir(), `unmogrowp-${name}-`));
      dirs.push(dir);
      const env = {
        ...services.env,
        ROLE: 'api',
        DATA_DIR: dir,
        API_PORT: String(port),
        LOG_LEVEL: 'warn',
        LOGIN_MAX_FAILURES: '3',
        REGISTER_RATE_LIMIT: '2',
      };
      processes.push(await startServer(name, env, `http://127.0.0.1:${port}`));
      api.push(`http://127.0.0.1:${port}`);
    }
  }, 180_000);
  afterAll(async () => {
    await Promise.all(processes.map((p) => stopServer(p)));
    await services?.close();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  }, 60_000);

  const post = async (base: string, route: string, body: unknown) => {
    const res = await fetch(`${base}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after') };
  };

  it('registrations from one address: the limit of 2 holds across both processes', async () => {
    expect((await post(api[0]!, '/api/auth/register', { email: 'one@example.com', password: PASSWORD })).status).toBe(201);
    expect((await post(api[1]!, '/api/auth/register', { email: 'two@example.com', password: PASSWORD })).status).toBe(201);
    const third = await post(api[0]!, '/api/auth/register', { email: 'three@example.com', password: PASSWORD });
    expect(third.status).toBe(429);
    expect(Number(third.retryAfter)).toBeGreaterThan(0);
  }, 60_000);

  it('failed sign-ins alternating between the processes: the 4th attempt is refused by either', async () => {
    const wrong = { email: 'one@example.com', password: 'not the password at all' };
    for (const base of [api[0]!, api[1]!, api[0]!]) expect((await post(base, '/api/auth/login', wrong)).status).toBe(401);
    const refused = await post(api[1]!, '/api/auth/login', wrong);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    // Even the right password waits now: the account is locked for every process.
    expect((await post(api[0]!, '/api/auth/login', { email: 'one@example.com', password: PASSWORD })).status).toBe(429);
  }, 60_000);
});
