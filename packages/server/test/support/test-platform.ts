import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@unmogrowp/config';
import { createApp, updateApp } from '@unmogrowp/storage';
import pino from 'pino';
import { type PlatformOverrides, startPlatform } from '../../src/platform.ts';

export interface TestApp {
  id: string;
  sdkKey: string;
  serverKey: string;
}

/** A whole platform in this process on a fresh data dir and free ports, plus an app to send to. */
export async function startTestPlatform(env: Record<string, string> = {}, overrides: PlatformOverrides = {}, dataDir?: string) {
  const dir = dataDir ?? (await mkdtemp(path.join(tmpdir(), 'unmogrowp-test-')));
  // VALIDATE_RESPONSES: every answer of every test is checked against its route's declared schema.
  const config = loadConfig({ DATA_DIR: dir, INGEST_PORT: '0', API_PORT: '0', LOG_LEVEL: 'silent', VALIDATE_RESPONSES: 'true', ...env });
  // TEST_LOG=1 shows the platform's warnings and errors (a pipeline retry's cause), silent otherwise.
  const platform = await startPlatform(config, pino({ level: process.env.TEST_LOG ? 'warn' : 'silent' }), overrides);
  /** `settings` are stored as given, e.g. `{reporting_currency: 'EUR'}` for an app whose revenue is in EUR. */
  const newApp = async (name = 'Test app', settings?: Record<string, unknown>): Promise<TestApp> => {
    const created = await createApp(platform.control, { name, platforms: ['ios', 'android'] });
    if (settings) await updateApp(platform.control, created.app.id, { settings });
    return { id: created.app.id, sdkKey: created.sdk_key, serverKey: created.server_key };
  };
  return { ...platform, dir, config, newApp };
}

export type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;

export async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, headers: res.headers, body: json };
}

export async function overview(p: { apiUrl: string }, app: TestApp, query = '') {
  const res = await fetch(`${p.apiUrl}/api/analytics/${app.id}/overview${query}`, {
    headers: { authorization: `Bearer ${app.serverKey}` },
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** Polls until `check` stops throwing: analytics are fresh within 5 s (docs/api.md §4), not at once. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

let counter = 0;
export function nativeEvent(overrides: Record<string, unknown> = {}) {
  counter++;
  return {
    event_id: `evt-${process.pid}-${Date.now()}-${counter}`,
    type: 'event',
    name: 'purchase',
    timestamp: new Date().toISOString(),
    device: { id: `device-${counter % 7}`, platform: 'ios', os_version: '17.4', advertising_id: '' },
    revenue: 2.5,
    currency: 'EUR',
    properties: { sku: 'gems_100' },
    ...overrides,
  };
}
