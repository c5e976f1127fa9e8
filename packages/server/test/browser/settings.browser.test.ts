import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLink } from '@unmogrowp/storage';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { accessTokenFor, call, seedApp, seedUser } from '../support/api-client.ts';
import { describeWithChromium, launchChromium, type PageProblem, recordProblems } from '../support/chromium.ts';
import { signInThroughUi } from '../support/dashboard-ui.ts';
import { eventually, post, startTestPlatform, type TestPlatform } from '../support/test-platform.ts';

/**
 * The app's attribution settings on screen (issue 13, item 7), in Chromium against a whole
 * platform: every setting shows the value the engine applies and the server's default; a value
 * the server refuses is named next to its field in the server's words; and a change made on
 * screen changes how the next install sent to the ingest API is decided.
 */
const ANDROID_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';
const HOUR = 3_600_000;
/** Every setting of the screen, by the dotted path the API names in its errors. */
const NUMBERS = [
  'click_window_hours',
  'view_window_hours',
  'reattribution_window_days',
  'reengagement_window_days',
  'probabilistic_window_hours',
  'fraud.ctit_min_seconds',
  'fraud.click_flood_max_per_hour',
  'retention_days',
];
const TOGGLES = [
  'probabilistic_enabled',
  'fraud.ctit_enabled',
  'fraud.click_injection_enabled',
  'fraud.click_flood_enabled',
  'fraud.blocked_ip_enabled',
];

let p: TestPlatform;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: PageProblem[] = [];
let token = '';
let app = { id: '', sdkKey: '', serverKey: '' };
let linkId = '';

// biome-ignore lint/suspicious/noExplicitAny: the settings answer is JSON, read by dotted path
const at = (settings: any, path: string) => path.split('.').reduce((o, k) => o[k], settings);
const readSettings = async () => (await call(p.apiUrl, 'GET', `/api/apps/${app.id}/settings`, { token })).body;
const range = () => `from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + HOUR).toISOString()}`;

/** The install decision per device, from the installs export. */
async function decisions(): Promise<Record<string, { status: string; match_type: string }>> {
  const res = await call(p.apiUrl, 'GET', `/api/analytics/${app.id}/installs?format=json&${range()}`, { token });
  expect(res.status).toBe(200);
  return Object.fromEntries((res.body as { device_id: string; status: string; match_type: string }[]).map((r) => [r.device_id, r]));
}

/**
 * Two installs the settings decide: `<name>-adid` after a click three hours before it with its
 * advertising id (inside the default 7-day click window, outside a 1-hour one), and `<name>-ip`
 * after a click ten minutes before it from its IP address and device only (probabilistic).
 */
async function sendInstalls(name: string, ip: string): Promise<void> {
  const adid = `6f1b2c3d-4e5f-4a6b-8c7d-${name === 'before' ? '000000000001' : '000000000002'}`;
  const click = (body: Record<string, unknown>) =>
    post(`${p.ingestUrl}/v1/clicks`, { link_id: linkId, ...body }, { authorization: `Bearer ${app.serverKey}` });
  expect(
    (
      await click({
        timestamp: new Date(Date.now() - 3 * HOUR).toISOString(),
        ip: '198.51.100.20',
        user_agent: ANDROID_UA,
        advertising_id: adid,
      })
    ).status,
  ).toBe(202);
  expect((await click({ timestamp: new Date(Date.now() - 600_000).toISOString(), ip, user_agent: ANDROID_UA })).status).toBe(202);
  const install = (device: Record<string, string>, headers: Record<string, string> = {}) =>
    post(
      `${p.ingestUrl}/v1/events`,
      { event_id: `install-${device.id}`, type: 'install', timestamp: new Date(Date.now() + 60_000).toISOString(), device },
      { 'x-api-key': app.sdkKey, ...headers },
    );
  expect((await install({ id: `${name}-adid`, platform: 'android', os_version: '14', advertising_id: adid })).status).toBe(202);
  expect((await install({ id: `${name}-ip`, platform: 'android', os_version: '14' }, { 'x-forwarded-for': ip })).status).toBe(202);
}

describeWithChromium('attribution settings on screen', () => {
  beforeAll(async () => {
    p = await startTestPlatform({ TRUST_PROXY: '1' });
    browser = await launchChromium();
    const manager = await seedUser(p.control, 'mia@example.com', 'Mia Manager');
    token = await accessTokenFor(p.control, p.signing, manager.id);
    app = await seedApp(p.control, manager.id, [], 'Puzzle Quest');
    linkId = (await createLink(p.control, app.id, { name: 'Meta spring', media_source: 'meta_ads', campaign: 'spring' }))!.id;
    context = await browser.newContext({ baseURL: p.apiUrl, viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    recordProblems(page, problems);
    await page.goto('/login');
    await signInThroughUi(page, 'mia@example.com');
    await page.waitForURL(/\/apps(\?|$)/);
    await page.goto(`/apps/${app.id}/settings`);
    await page.getByTestId('attribution-settings').waitFor();
  }, 60_000);
  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close();
    await p?.close();
    if (p) await rm(p.dir, { recursive: true, force: true });
  });

  it("shows each setting's value and the server's default", { timeout: 30_000 }, async () => {
    const answer = await readSettings();
    for (const path of NUMBERS) {
      const shown = [
        path,
        await page.getByTestId(`setting-${path}`).inputValue(),
        await page.getByTestId(`setting-default-${path}`).getAttribute('data-value'),
      ];
      expect(shown).toEqual([path, String(at(answer.settings, path)), String(at(answer.defaults, path))]);
    }
    for (const path of TOGGLES) {
      const shown = [
        path,
        await page.getByTestId(`setting-${path}`).isChecked(),
        await page.getByTestId(`setting-default-${path}`).getAttribute('data-value'),
      ];
      expect(shown).toEqual([path, at(answer.settings, path), String(at(answer.defaults, path))]);
    }
    expect(await page.getByTestId('setting-fraud.blocked_cidrs').inputValue()).toBe('');
    expect(await page.getByTestId('setting-default-fraud.blocked_cidrs').textContent()).toBe('empty');
    // The range next to the default is the server's limit, not a number of the dashboard's.
    const hint = await page.getByTestId('setting-default-click_window_hours').locator('xpath=..').textContent();
    expect(hint).toContain(`${answer.limits.click_window_hours.min}–${answer.limits.click_window_hours.max}`);
    expect(problems).toEqual([]);
  });

  it("refuses invalid values with the server's message next to each field, and stores nothing", { timeout: 30_000 }, async () => {
    const before = await readSettings();
    await page.getByTestId('setting-click_window_hours').fill('0');
    await page.getByTestId('setting-fraud.blocked_cidrs').fill('203.0.113.0/24\nnot-an-ip');
    await page.getByTestId('attribution-settings-save').click();
    const windowError = page.getByTestId('setting-error-click_window_hours');
    await windowError.waitFor();

    // The same change sent to the API: the words on screen are the server's.
    const refused = await call(p.apiUrl, 'PATCH', `/api/apps/${app.id}`, {
      token,
      body: { settings: { click_window_hours: 0, fraud: { blocked_cidrs: ['203.0.113.0/24', 'not-an-ip'] } } },
    });
    expect(refused.status).toBe(400);
    const messages = Object.fromEntries(
      (refused.body.error.details.errors as { field: string; message: string }[]).map((e) => [e.field, e.message]),
    );
    expect(await windowError.textContent()).toBe(messages.click_window_hours);
    expect(await page.getByTestId('setting-error-fraud.blocked_cidrs').textContent()).toBe(messages['fraud.blocked_cidrs[1]']);
    // Next to the field: in the same field block as the input it names.
    const fieldOf = (testid: string) => page.getByTestId(testid).locator('xpath=ancestor::div[contains(@class, "field")][1]');
    expect(await fieldOf('setting-click_window_hours').getByTestId('setting-error-click_window_hours').count()).toBe(1);
    expect(await fieldOf('setting-fraud.blocked_cidrs').getByTestId('setting-error-fraud.blocked_cidrs').count()).toBe(1);
    expect(await page.getByTestId('setting-error-view_window_hours').count()).toBe(0);
    expect(await page.getByTestId('attribution-settings-status').getAttribute('class')).toContain('notice-error');
    expect((await readSettings()).settings).toEqual(before.settings);

    // Retention has its own card and the same treatment.
    await page.getByTestId('setting-retention_days').fill('7');
    await page.getByTestId('data-settings-save').click();
    await page.getByTestId('setting-error-retention_days').waitFor();
    expect(await page.getByTestId('setting-error-retention_days').textContent()).toBe(
      `must be a whole number from ${before.limits.retention_days.min} to ${before.limits.retention_days.max}`,
    );
    await page.getByTestId('setting-retention_days').fill(String(before.settings.retention_days));
    // Chromium logs each refused request (400) as a console error; those are the ones this test made.
    expect(problems.filter((x) => !(x.text.includes('status of 400') && new URL(x.url).pathname === `/api/apps/${app.id}`))).toEqual([]);
    problems.length = 0;
  });

  it('a click window and probabilistic matching changed on screen decide the next installs differently', { timeout: 90_000 }, async () => {
    // With the defaults: the three-hour-old click wins by advertising id, the IP-only click probabilistically.
    await sendInstalls('before', '192.0.2.10');
    await eventually(async () => {
      const d = await decisions();
      expect([d['before-adid']?.match_type, d['before-ip']?.match_type]).toEqual(['device_id', 'probabilistic']);
    }, 15_000);

    await page.getByTestId('setting-click_window_hours').fill('1');
    await page.getByTestId('setting-fraud.blocked_cidrs').fill('');
    await page.getByTestId('setting-probabilistic_enabled').uncheck();
    expect(await page.getByTestId('setting-probabilistic_window_hours').isDisabled()).toBe(true);
    await page.getByTestId('attribution-settings-save').click();
    await expect.poll(() => page.getByTestId('attribution-settings-status').getAttribute('class')).toContain('notice-ok');
    const saved = await readSettings();
    expect([saved.settings.click_window_hours, saved.settings.probabilistic_enabled, saved.settings.fraud.blocked_cidrs]).toEqual([
      1,
      false,
      [],
    ]);
    expect(saved.settings.view_window_hours).toBe(saved.defaults.view_window_hours);
    // What the screen shows after saving is what the server stored.
    expect(await page.getByTestId('setting-click_window_hours').inputValue()).toBe('1');

    // Click recorders and the pipeline read an app's settings at most every 5 s (docs/attribution-rules.md).
    await sleep(5_500);
    await sendInstalls('after', '192.0.2.11');
    await eventually(async () => {
      const d = await decisions();
      expect(Object.keys(d).sort()).toEqual(['after-adid', 'after-ip', 'before-adid', 'before-ip']);
      expect([d['after-adid']!.status, d['after-ip']!.status]).toEqual(['organic', 'organic']);
      expect([d['before-adid']!.match_type, d['before-ip']!.match_type]).toEqual(['device_id', 'probabilistic']);
    }, 15_000);
    expect(problems).toEqual([]);
  });
});
