import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startChild } from './support/child-server.ts';
import { sendOpsTraffic, type TrafficRun } from './support/ops-traffic.ts';

/** The real `unmogrowp start`, its stdout read back as JSON lines after a full run of traffic. */
let lines: Record<string, unknown>[];
let raw: string;
let run: TrafficRun;
let dir: string;
let echoed: { sane: string | null; insane: string | null };

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-logs-'));
  const server = await startChild(dir, { LOG_LEVEL: 'info' });
  try {
    run = await sendOpsTraffic(server);
    const sane = await fetch(`${server.ingestUrl}/health`, { headers: { 'x-request-id': 'trace-abc_123' } });
    const insane = await fetch(`${server.ingestUrl}/health`, { headers: { 'x-request-id': `${'x'.repeat(200)}` } });
    echoed = { sane: sane.headers.get('x-request-id'), insane: insane.headers.get('x-request-id') };
    // Credentials in every place a client may put them, once more, on both listeners.
    await fetch(`${server.ingestUrl}/v1/track`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${run.secrets.sdkKey}:`).toString('base64')}` },
      body: JSON.stringify({ writeKey: run.secrets.sdkKey, type: 'track', event: 'x', anonymousId: 'a', messageId: 'm1' }),
    });
    await fetch(`${server.apiUrl}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: run.secrets.refreshToken }),
    });
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  raw = server.output();
  lines = raw
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
}, 90_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

it('logs one line per request with the request id the caller sent, and echoes it', () => {
  const requests = lines.filter((l) => l.msg === 'request');
  expect(requests.length).toBeGreaterThan(20);
  for (const line of requests) expect(line.request_id, JSON.stringify(line)).toEqual(expect.any(String));
  const ids = new Set(requests.map((l) => l.request_id));
  for (const id of run.requestIds) expect(ids.has(id), id).toBe(true);
  const ingest = requests.find((l) => l.path === '/v1/events/batch');
  expect(ingest?.request_id).toMatch(/^ops-ingest-/);
  expect(echoed.sane).toBe('trace-abc_123');
  expect(echoed.insane).toMatch(/^[0-9a-f-]{36}$/);
});

it('never writes a key, a token or a password into the log', () => {
  expect(raw.length).toBeGreaterThan(1000);
  const { sdkKey, serverKey, accessToken, refreshToken, password, wrongPassword } = run.secrets;
  for (const [name, secret] of Object.entries({ sdkKey, serverKey, accessToken, refreshToken, password, wrongPassword })) {
    expect(raw.includes(secret), `${name} appears in the log`).toBe(false);
  }
});

it('writes client addresses as their network only', () => {
  const listening = /^(Server listening at )?http:\/\/127\.0\.0\.1:\d+$/;
  const full = lines.flatMap((l) => strings(l)).filter((s) => s.includes('127.0.0.1') && !listening.test(s));
  expect(full).toEqual([]);
  expect(lines.filter((l) => l.msg === 'request').every((l) => l.ip === '127.0.0.0/24')).toBe(true);
});
