import { addMember, createAppWithManager } from '@unmogrowp/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenFor, call, seedUser } from './support/api-client.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

/**
 * `GET /api/apps/:app_id/settings` through HTTP: the settings the engine applies (stored values,
 * defaults for the rest), the defaults and the limits, known answers written out here on purpose
 * (docs/attribution-rules.md), so a default changed by accident fails this test.
 */
let p: TestPlatform;
let managerToken: string;
let analystToken: string;
let appId: string;

const DEFAULTS = {
  click_window_hours: 168,
  view_window_hours: 24,
  probabilistic_enabled: true,
  probabilistic_window_hours: 24,
  reattribution_window_days: 90,
  reengagement_window_days: 30,
  retention_days: 400,
  fraud: {
    ctit_enabled: true,
    ctit_min_seconds: 10,
    click_injection_enabled: true,
    click_flood_enabled: true,
    click_flood_max_per_hour: 50,
    blocked_ip_enabled: true,
    blocked_cidrs: [],
  },
};

beforeAll(async () => {
  p = await startTestPlatform();
  const manager = await seedUser(p.control, 'manager@example.com');
  const analyst = await seedUser(p.control, 'analyst@example.com');
  managerToken = await accessTokenFor(p.control, p.signing, manager.id);
  analystToken = await accessTokenFor(p.control, p.signing, analyst.id);
  const created = await createAppWithManager(p.control, manager.id, { name: 'Settings', platforms: ['ios'] });
  appId = created.app.id;
  await addMember(p.control, appId, analyst.id, 'analyst');
});
afterAll(() => p?.close());

const read = (token = managerToken) => call(p.apiUrl, 'GET', `/api/apps/${appId}/settings`, { token });
const patch = (settings: unknown) => call(p.apiUrl, 'PATCH', `/api/apps/${appId}`, { token: managerToken, body: { settings } });

describe('app settings', () => {
  it('answers the defaults, the limits, and for a new app the defaults as its settings', async () => {
    const res = await read();
    expect(res.status).toBe(200);
    expect(res.body.defaults).toEqual(DEFAULTS);
    expect(res.body.settings).toEqual(DEFAULTS);
    expect(res.body.limits).toMatchObject({
      click_window_hours: { min: 1, max: 720 },
      view_window_hours: { min: 1, max: 168 },
      probabilistic_window_hours: { min: 1, max: 24 },
      retention_days: { min: 31, max: 3650 },
      ctit_min_seconds: { min: 0, max: 3600 },
      click_flood_max_per_hour: { min: 1, max: 1_000_000 },
      blocked_cidrs: { max_entries: 10_000 },
    });
  });

  it('answers what a PATCH stored, merged with the defaults; an analyst reads them too', async () => {
    const saved = await patch({ click_window_hours: 1, probabilistic_enabled: false, fraud: { blocked_cidrs: ['203.0.113.0/24'] } });
    expect(saved.status).toBe(200);
    const res = await read(analystToken);
    expect(res.status).toBe(200);
    expect(res.body.settings).toEqual({
      ...DEFAULTS,
      click_window_hours: 1,
      probabilistic_enabled: false,
      fraud: { ...DEFAULTS.fraud, blocked_cidrs: ['203.0.113.0/24'] },
    });
    expect(res.body.defaults).toEqual(DEFAULTS);
  });

  it('a refused PATCH names each field with the message the dashboard shows, and changes nothing', async () => {
    const before = (await read()).body.settings;
    const bad = await patch({ view_window_hours: 0, fraud: { ctit_min_seconds: 5, blocked_cidrs: ['10.0.0.0/8', 'not-an-ip'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_settings');
    expect(bad.body.error.details.errors).toEqual([
      { field: 'view_window_hours', message: 'must be a whole number from 1 to 168' },
      { field: 'fraud.blocked_cidrs[1]', message: '"not-an-ip" is not an IPv4/IPv6 address or CIDR range' },
    ]);
    expect((await read()).body.settings).toEqual(before);
  });

  it('is 404 for an app that does not exist', async () => {
    const res = await call(p.apiUrl, 'GET', '/api/apps/app_doesnotexist000000/settings', { token: managerToken });
    expect(res.status).toBe(404);
  });
});
