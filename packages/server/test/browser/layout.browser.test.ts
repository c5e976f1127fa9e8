import { rm } from 'node:fs/promises';
import { createLink, enqueuePostbacks, putPartner } from '@unmogrowp/storage';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { install } from '../../../storage/test/event-analytics.fixtures.ts';
import { accessTokenFor, call, seedApp, seedUser } from '../support/api-client.ts';
import { describeWithChromium, launchChromium, type PageProblem, recordProblems } from '../support/chromium.ts';
import { fitsWidth, signInThroughUi } from '../support/dashboard-ui.ts';
import { cardSpacing, firstColumnAfterScroll, truncatedFields } from '../support/layout-checks.ts';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';

/**
 * The dashboard's layout measured in Chromium (issue 13, item 18): at 1280 px no field of the
 * settings and link forms is cut off; at 390 px a wide table keeps its first column in view while
 * it scrolls sideways; and neighbouring cards are one `--card-gap` apart on every screen.
 */
let p: TestPlatform;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: PageProblem[] = [];
let appId = '';
let token = '';

const SETTINGS_FORMS = ['app-settings-form', 'attribution-settings', 'data-settings', 'deep-linking-form'];

describeWithChromium('dashboard layout in Chromium', () => {
  beforeAll(async () => {
    p = await startTestPlatform();
    browser = await launchChromium();
    const manager = await seedUser(p.control, 'mia@example.com', 'Mia Manager');
    appId = (await seedApp(p.control, manager.id, [], 'Puzzle Quest')).id;
    await seedApp(p.control, manager.id, [], 'Word Hunt');
    token = await accessTokenFor(p.control, p.signing, manager.id);
    // Two links (two link cards, two partner rows), installs of both sources (the attribution
    // table), their costs, and a postback of each kind (the delivery log).
    const now = Date.now();
    const sources = [
      { media_source: 'meta_ads', campaign: 'spring_sale_lookalike_audiences' },
      { media_source: 'google_ads', campaign: 'brand_search' },
    ];
    for (const [i, s] of sources.entries()) {
      const link = (await createLink(p.control, appId, { name: `${s.media_source} ${s.campaign}`, ...s }))!;
      const credit = { ...s, ad_set: '', ad: '', site_id: '', link_id: link.id };
      await p.events.insertInstalls([install(appId, `ins_${i}`, `dev_${i}`, new Date(now - 3_600_000).toISOString(), credit)]);
      await putPartner(p.control, appId, s.media_source, { url: `https://${s.media_source}.example/cb?c={click_id}` });
    }
    const day = new Date(now - 86_400_000).toISOString().slice(0, 10);
    const costs = sources.map((s) => ({ date: day, ...s, cost: 120, currency: 'USD' }));
    expect((await call(p.apiUrl, 'POST', `/api/apps/${appId}/costs`, { token, body: costs })).status).toBe(200);
    await enqueuePostbacks(
      p.control,
      sources.map((s, i) => ({
        app_id: appId,
        media_source: s.media_source,
        install_id: `ins_${i}`,
        event_id: '',
        event_name: 'install',
        method: 'GET' as const,
        url: `https://${s.media_source}.example/cb?install_id=ins_${i}&campaign=${s.campaign}`,
        body: null,
      })),
      now,
    );

    context = await browser.newContext({ baseURL: p.apiUrl, viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    recordProblems(page, problems);
    await page.goto('/login');
    await signInThroughUi(page, 'mia@example.com');
    await page.waitForURL(/\/apps(\?|$)/);
  }, 60_000);
  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close();
    await p?.close();
    if (p) await rm(p.dir, { recursive: true, force: true });
  });

  it('at 1280 px no field of the settings forms or the link form is cut off, even at its longest value', { timeout: 30_000 }, async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`/apps/${appId}/settings`);
    await page.getByTestId('attribution-settings').waitFor();
    // Each number at the largest value the server accepts: the widest text the field must show.
    const { limits } = (await call(p.apiUrl, 'GET', `/api/apps/${appId}/settings`, { token })).body;
    for (const input of await page.locator('input[type="number"][data-testid^="setting-"]').all()) {
      const path = (await input.getAttribute('data-testid'))!.slice('setting-'.length).replace(/^fraud\./, '');
      await input.fill(String(limits[path].max));
    }
    for (const form of SETTINGS_FORMS) {
      expect([form, await truncatedFields(page, `[data-testid="${form}"]`)]).toEqual([form, []]);
    }

    await page.goto(`/apps/${appId}/links`);
    await page.getByTestId('new-link').click();
    await page.getByTestId('link-editor').waitFor();
    await page.getByTestId('link-click_window_hours').fill('720');
    await page.getByTestId('link-view_window_hours').fill('168');
    expect(await truncatedFields(page, '[data-testid="link-editor"]')).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("at 390 px a wide table's first column is sticky and stays in view when the table scrolls sideways", { timeout: 30_000 }, async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [path, table] of [
      ['attribution', 'attribution-table'],
      ['partners', 'postback-log'],
    ] as const) {
      await page.goto(`/apps/${appId}/${path}`);
      await page.getByTestId(table).locator('tbody tr').first().waitFor();
      const first = await firstColumnAfterScroll(page, table);
      expect([table, first.position, first.scrolledBy > 0, first.visibleAfterScroll]).toEqual([table, 'sticky', true, true]);
    }
    expect(problems).toEqual([]);
  });

  it('neighbouring cards are one --card-gap apart on every screen, wide and narrow', { timeout: 60_000 }, async () => {
    const screens: [string, string][] = [
      ['/apps', 'app-card'],
      [`/apps/${appId}`, 'overview-installs'],
      [`/apps/${appId}/links`, 'link-card'],
      [`/apps/${appId}/partners`, 'partner-row'],
      [`/apps/${appId}/costs`, 'costs-list'],
      [`/apps/${appId}/settings`, 'attribution-settings'],
    ];
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      for (const [path, ready] of screens) {
        await page.goto(path);
        await page.getByTestId(ready).first().waitFor();
        const { expected, gaps } = await cardSpacing(page);
        expect([width, path, expected]).toEqual([width, path, 16]);
        expect([width, path, gaps.length > 0]).toEqual([width, path, true]);
        expect([width, path, gaps.filter((g) => Math.abs(g.px - expected) > 0.5)]).toEqual([width, path, []]);
        // Nothing makes the screen scroll sideways (wide tables scroll inside their frame).
        expect([width, path, await fitsWidth(page)]).toEqual([width, path, true]);
      }
    }
    expect(problems).toEqual([]);
  });
});
