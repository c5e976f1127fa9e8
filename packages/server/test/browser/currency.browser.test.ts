import { rm } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { event, install } from '../support/analytics-fixture.ts';
import { accessTokenFor, call, seedApp, seedUser } from '../support/api-client.ts';
import { describeWithChromium, launchChromium, type PageProblem, recordProblems } from '../support/chromium.ts';
import { signInThroughUi } from '../support/dashboard-ui.ts';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';

/**
 * Money and retargeting on screen, in Chromium (docs/api.md "Currencies"): every money figure
 * carries the reporting currency, a currency without an exchange rate is warned about instead of
 * summed, a rate imported on the costs screen converts it, the reporting currency is changed on
 * the settings screen, and the overview and the attribution table show re-engagements and
 * re-attributions as the API counts them.
 */
let p: TestPlatform;
let browser: Browser;
const contexts: BrowserContext[] = [];
const problems: PageProblem[] = [];
let page: Page;
let token = '';
let appId = '';

const DAY = 86_400_000;
/** Yesterday (UTC): inside the dashboard's default range (the last 30 days), and a whole day. */
const yesterday = new Date(Math.floor(Date.now() / DAY) * DAY - DAY).toISOString().slice(0, 10);
const WINBACK = { media_source: 'meta', campaign: 'winback', ad_set: '', ad: '', site_id: '', link_id: '' };
const SPRING = { ...WINBACK, campaign: 'spring' };
const BRAND = { ...WINBACK, media_source: 'google', campaign: 'brand' };

const text = (testid: string) => page.getByTestId(testid).first().textContent();
/** Screens load their answers asynchronously; on a loaded machine that takes seconds. */
const SLOW = { timeout: 15_000 };

describeWithChromium('currencies, re-engagements and re-attributions in Chromium', () => {
  beforeAll(async () => {
    p = await startTestPlatform();
    browser = await launchChromium();
    const manager = await seedUser(p.control, 'cleo@example.com', 'Cleo Manager');
    token = await accessTokenFor(p.control, p.signing, manager.id);
    appId = (await seedApp(p.control, manager.id, [], 'Coin Quest')).id;
    await p.events.insertEvents([
      event(appId, 'b1', `${yesterday}T10:00:00Z`, SPRING, { revenue: 10, currency: 'EUR' }),
      event(appId, 'b2', `${yesterday}T12:00:00Z`, BRAND, { revenue: 4, currency: 'USD' }),
    ]);
    const open = (id: string) => ({
      app_id: appId,
      device_id: `dev-${id}`,
      event_id: id,
      at: Date.parse(`${yesterday}T08:00:00Z`),
      touch_at: null,
      ...WINBACK,
      click_id: '',
      network_click_id: '',
    });
    await p.events.insertReengagements([open('open-1'), open('open-2')]);
    await p.events.insertInstalls([install(appId, 'ra', 'dev-ra', `${yesterday}T09:00:00Z`, { ...WINBACK, is_reattribution: true })]);
    const context = await browser.newContext({ baseURL: p.apiUrl, viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    page = await context.newPage();
    recordProblems(page, problems);
    await page.goto('/login');
    await signInThroughUi(page, 'cleo@example.com');
    await page.waitForURL(/\/apps(\?|$)/);
  }, 60_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await p?.close();
    if (p) await rm(p.dir, { recursive: true, force: true });
  });

  it('overview: revenue in USD, EUR without a rate warned about and left out; the retargeting cards', { timeout: 60_000 }, async () => {
    await page.goto(`/apps/${appId}`);
    await page.getByTestId('overview-total_revenue').waitFor();
    expect(await text('overview-total_revenue')).toContain('4.00 USD'); // the 10 EUR have no rate
    expect(await text('missing-rates')).toContain(`EUR (${yesterday})`);
    expect(await page.getByTestId('overview-reengagements').getAttribute('data-value')).toBe('2');
    expect(await page.getByTestId('overview-reattributions').getAttribute('data-value')).toBe('1');
    await expect.poll(() => text('chart-revenue'), SLOW).toContain('USD');
    expect(problems).toEqual([]);
  });

  it('an exchange rate imported on the costs screen converts the EUR revenue', { timeout: 60_000 }, async () => {
    await page.goto(`/apps/${appId}/costs`);
    await page.getByTestId('fx-rates-input').fill(`date,currency,rate\n${yesterday},EUR,1.25`);
    await page.getByTestId('fx-rates-submit').click();
    await page.getByTestId('fx-rates-result').waitFor();
    await expect.poll(() => page.getByTestId('fx-rate-row').count(), SLOW).toBe(1);
    await page.goto(`/apps/${appId}`);
    await page.getByTestId('overview-total_revenue').waitFor();
    expect(await page.getByTestId('overview-total_revenue').getAttribute('data-value')).toBe('16.5'); // 10 × 1.25 + 4
    expect(await text('overview-total_revenue')).toContain('16.50 USD');
    expect(await page.getByTestId('missing-rates').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('attribution: money with its currency; re-engagement and re-attribution columns per campaign, as the API counts', {
    timeout: 60_000,
  }, async () => {
    await page.goto(`/apps/${appId}/attribution`);
    await page.getByTestId('group-preset-media_source-campaign').click();
    await expect.poll(() => page.getByTestId('attribution-row').count(), SLOW).toBe(3);
    const row = page.getByTestId('attribution-row').filter({ hasText: 'winback' });
    expect(await row.getByTestId('cell-reengagements').getAttribute('data-value')).toBe('2');
    expect(await row.getByTestId('cell-reattributions').getAttribute('data-value')).toBe('1');
    const spring = page.getByTestId('attribution-row').filter({ hasText: 'spring' });
    expect(await spring.getByTestId('cell-revenue').textContent()).toBe('12.50 USD');
    expect(await text('paid-reengagements')).toBe('2');
    const table = await text('attribution-table');
    expect(table).toContain('Re-engagements');
    expect(table).toContain('Re-attributions');
    const api = await call(p.apiUrl, 'GET', `/api/analytics/${appId}/attribution?group_by=campaign`, { token });
    expect(api.body.rows.find((r: { campaign: string }) => r.campaign === 'winback')).toMatchObject({
      reengagements: 2,
      reattributions: 1,
    });
    expect(problems).toEqual([]);
  });

  it('the reporting currency changed on the settings screen changes the currency of every figure', { timeout: 60_000 }, async () => {
    await page.goto(`/apps/${appId}/settings`);
    await page.getByTestId('settings-reporting-currency').fill('EUR');
    await page.getByTestId('app-settings-form').locator('button[type=submit]').click();
    await expect
      .poll(async () => (await call(p.apiUrl, 'GET', `/api/analytics/${appId}/overview`, { token })).body.currency, SLOW)
      .toBe('EUR');
    await page.goto(`/apps/${appId}`);
    await page.getByTestId('overview-total_revenue').waitFor();
    expect(await text('overview-total_revenue')).toContain('10.00 EUR'); // the 4 USD have no rate into EUR
    expect(await text('missing-rates')).toContain(`USD (${yesterday})`);
    expect(problems).toEqual([]);
  });
});
