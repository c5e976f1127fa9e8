import { readFile, rm } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { install } from '../../../storage/test/event-analytics.fixtures.ts';
import { accessTokenFor, seedApp, seedUser } from '../support/api-client.ts';
import { describeWithChromium, launchChromium, type PageProblem, recordProblems } from '../support/chromium.ts';
import { signInThroughUi } from '../support/dashboard-ui.ts';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';

/**
 * The overview's Export control (table + format) downloads through
 * `GET /api/analytics/:app_id/export`: the file the browser saves is the API's answer for the
 * range on screen, byte for byte.
 */
let p: TestPlatform;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let token = '';
let appId = '';
const problems: PageProblem[] = [];

describeWithChromium('raw data export in Chromium', () => {
  beforeAll(async () => {
    p = await startTestPlatform();
    browser = await launchChromium();
    const manager = await seedUser(p.control, 'erin@example.com', 'Erin Export');
    token = await accessTokenFor(p.control, p.signing, manager.id);
    appId = (await seedApp(p.control, manager.id, [], 'Export Quest')).id;
    const now = Date.now();
    await p.events.insertInstalls(
      [1, 2, 3].map((n) =>
        install(appId, `inst-${n}`, `dev-${n}`, new Date(now - n * 3_600_000).toISOString(), { media_source: 'meta', campaign: `=c${n}` }),
      ),
    );
    context = await browser.newContext({ baseURL: p.apiUrl, viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    recordProblems(page, problems);
    await page.goto('/login');
    await signInThroughUi(page, 'erin@example.com');
    await page.waitForURL(/\/apps(\?|$)/);
  }, 60_000);
  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close();
    await p?.close();
    if (p) await rm(p.dir, { recursive: true, force: true });
  });

  it('downloads the chosen table in the chosen format, as the API answers it', { timeout: 60_000 }, async () => {
    await page.goto(`/apps/${appId}`);
    await page.getByTestId('raw-export-table').selectOption('installs');
    await page.getByTestId('raw-export-format').selectOption('csv');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('raw-export-download').click()]);
    const name = download.suggestedFilename();
    const match = new RegExp(`^installs-${appId}-(\\d{4}-\\d{2}-\\d{2})-(\\d{4}-\\d{2}-\\d{2})\\.csv$`).exec(name);
    expect(match, name).not.toBeNull();
    const saved = await readFile((await download.path()) as string, 'utf8');
    const [, from, to] = match as RegExpExecArray;
    const api = await fetch(`${p.apiUrl}/api/analytics/${appId}/export?table=installs&format=csv&from=${from}&to=${to}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(saved).toBe(await api.text());
    expect(saved.split('\r\n').filter((l) => l.startsWith('"inst-'))).toHaveLength(3);
    expect(saved).toContain(`'=c1`);
    expect(problems).toEqual([]);
  });
});
