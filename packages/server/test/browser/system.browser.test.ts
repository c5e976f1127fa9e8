import { rm, statfs } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { diskHealth } from '../../../dashboard/src/lib/system-health.ts';
import { call, PASSWORD } from '../support/api-client.ts';
import { describeWithChromium, launchChromium, type PageProblem, recordProblems } from '../support/chromium.ts';
import { registerThroughUi, signInThroughUi } from '../support/dashboard-ui.ts';
import { eventually, nativeEvent, post, startTestPlatform, type TestPlatform } from '../support/test-platform.ts';

/**
 * The admin System screen in Chromium: readiness per dependency, lag, the last hour of ingest as a
 * chart, the postback queue, disk free and the audit chain, all from GET /api/admin/system; and
 * that a user who is not an administrator gets neither the screen nor the data.
 */
let p: TestPlatform;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function newPage(): Promise<{ page: Page; problems: PageProblem[] }> {
  const context = await browser.newContext({ baseURL: p.apiUrl, viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  const page = await context.newPage();
  const problems: PageProblem[] = [];
  recordProblems(page, problems);
  return { page, problems };
}

describeWithChromium('System screen in Chromium', () => {
  beforeAll(async () => {
    p = await startTestPlatform();
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await p?.close();
    if (p) await rm(p.dir, { recursive: true, force: true });
  });

  it('shows an administrator every dependency ready, the last hour of ingest, postbacks, disk and the audit chain', {
    timeout: 60_000,
  }, async () => {
    const { page, problems } = await newPage();
    await registerThroughUi(page, { name: 'Ada Admin', email: 'ada@example.com' });
    // Traffic for the chart: 7 ingest requests, one of them refused (401, not a 5xx).
    const app = await p.newApp();
    for (let i = 0; i < 6; i++)
      expect((await post(`${p.ingestUrl}/v1/events`, nativeEvent(), { 'x-api-key': app.sdkKey })).status).toBe(202);
    expect((await post(`${p.ingestUrl}/v1/events`, nativeEvent(), { 'x-api-key': 'wrong' })).status).toBe(401);
    await p.opsSample();

    await page.getByTestId('nav-admin-system').click();
    await page.waitForURL('**/admin/system');
    await page.getByTestId('system-verdict').waitFor();
    // Everything is healthy; only the machine's own free disk share may make it a warning.
    const fs = await statfs(p.dir);
    const disk = diskHealth(fs.bavail * fs.bsize, fs.blocks * fs.bsize);
    expect(await page.getByTestId('system-verdict').getAttribute('data-health')).toBe(disk === 'ok' ? 'ok' : disk);
    const deps = page.getByTestId('system-dependency');
    const names = await deps.evaluateAll((els) => els.map((e) => [e.getAttribute('data-name'), e.getAttribute('data-ok')]));
    expect(names).toEqual([
      ['control_store', 'true'],
      ['event_store', 'true'],
      ['event_log', 'true'],
      ['pipeline', 'true'],
    ]);
    await eventually(async () => {
      await page.getByTestId('system-refresh').click();
      expect(await page.getByTestId('system-chart-total').textContent()).toContain('7 requests, 0 failed');
    }, 10_000);
    expect(await page.getByTestId('system-chart-bar').count()).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('system-postbacks-pending').textContent()).toBe('0');
    expect(await page.getByTestId('system-disk').textContent()).toMatch(/\d+(\.\d)? (MiB|GiB|TiB)/);
    expect(await page.getByTestId('system-audit').getAttribute('data-ok')).toBe('true');
    expect(await page.getByTestId('system-lag').textContent()).toContain('Pipeline lag');
    expect(problems).toEqual([]);
  });

  it('keeps the screen and its data from a user who is not an administrator', { timeout: 60_000 }, async () => {
    await call(p.apiUrl, 'POST', '/api/auth/register', { body: { email: 'uma@example.com', password: PASSWORD, name: 'Uma User' } });
    const { page } = await newPage();
    await page.goto('/login');
    await signInThroughUi(page, 'uma@example.com');
    await page.waitForURL(/\/apps/);
    expect(await page.getByTestId('nav-admin-system').count()).toBe(0);
    await page.goto('/admin/system');
    await page.getByTestId('admin-only').waitFor();
    const login = await call(p.apiUrl, 'POST', '/api/auth/login', { body: { email: 'uma@example.com', password: PASSWORD } });
    expect((await call(p.apiUrl, 'GET', '/api/admin/system', { token: login.body.access_token })).status).toBe(403);
  });
});
