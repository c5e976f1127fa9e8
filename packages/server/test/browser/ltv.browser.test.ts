import { rm } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { accessTokenFor, call, seedApp, seedUser } from '../support/api-client.ts';
import { describeWithChromium, launchChromium, type PageProblem, recordProblems } from '../support/chromium.ts';
import { signInThroughUi } from '../support/dashboard-ui.ts';
import {
  dayOf,
  type LtvDays,
  loadLtvCohorts,
  loadLtvInEuros,
  ltvCosts,
  ltvDays,
  ltvEuroCosts,
  ltvEuroRates,
  todayUtc,
} from '../support/ltv-fixture.ts';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';

/**
 * The LTV screen in Debian's Chromium on support/ltv-fixture.ts (numbers computed by hand there
 * and in api-ltv.e2e.test.ts): the cohort table and the chart show what the API answers, a day
 * that has not ended is an empty cell, money carries the app's reporting currency, a currency
 * without a rate is warned about, and a cost edited on the Costs screen changes the ROAS D7 the
 * LTV screen shows.
 */
let p: TestPlatform;
let browser: Browser;
let page: Page;
let token = '';
let appId = '';
let euroAppId = '';
let days: LtvDays;
const problems: PageProblem[] = [];

const roasD7Shown = (group: string) => page.locator(`[data-testid="ltv-group"][data-group="${group}"]`).getByTestId('ltv-roas-d7');

async function openLtvByCampaign(): Promise<void> {
  await page.goto(`/apps/${appId}/ltv`);
  await page.getByTestId('ltv-group-by-campaign').click();
  await expect.poll(() => page.locator('[data-testid="ltv-group"][data-group="meta / spring"]').count()).toBe(1);
}

describeWithChromium('LTV screen in Chromium', () => {
  beforeAll(async () => {
    days = ltvDays(await todayUtc());
    p = await startTestPlatform();
    browser = await launchChromium();
    const manager = await seedUser(p.control, 'lea@example.com', 'Lea Manager');
    token = await accessTokenFor(p.control, p.signing, manager.id);
    appId = (await seedApp(p.control, manager.id, [], 'Gem Match')).id;
    await loadLtvCohorts(p.events, appId, days);
    expect((await call(p.apiUrl, 'POST', `/api/apps/${appId}/costs`, { token, body: ltvCosts(days) })).status).toBe(200);
    euroAppId = (await seedApp(p.control, manager.id, [], 'Gem Match EU')).id;
    const euro = (path: string, method: 'POST' | 'PATCH', body: unknown) =>
      call(p.apiUrl, method, `/api/apps/${euroAppId}${path}`, { token, body });
    expect((await euro('', 'PATCH', { settings: { reporting_currency: 'EUR' } })).status).toBe(200);
    await loadLtvInEuros(p.events, euroAppId, days);
    expect((await euro('/costs', 'POST', ltvEuroCosts(days))).status).toBe(200);
    expect((await euro('/fx-rates', 'POST', ltvEuroRates(days))).status).toBe(200);
    const context = await browser.newContext({ baseURL: p.apiUrl, viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    recordProblems(page, problems);
    await page.goto('/login');
    await signInThroughUi(page, 'lea@example.com');
    await page.waitForURL(/\/apps(\?|$)/);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await p?.close();
    if (p) await rm(p.dir, { recursive: true, force: true });
  });

  it('shows the cohort table and the LTV chart as the API answers, days not ended left empty', { timeout: 60_000 }, async () => {
    await page.goto(`/apps/${appId}`);
    await page.getByTestId('tab-ltv').click();
    await page.waitForURL(/\/ltv$/);
    // The fixture's install days: A (40 days ago) … B (3 days ago), the last day included.
    await page.getByTestId('date-range-preset').selectOption('custom');
    await page.getByTestId('date-from').fill(dayOf(days.a));
    await page.getByTestId('date-to').fill(dayOf(days.b));
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByTestId('ltv-group-by-campaign').click();
    const row = (cohort: number, group: string) =>
      page.locator(`[data-testid="ltv-row"][data-cohort="${dayOf(cohort)}"][data-group="${group}"]`);
    await row(days.a, 'meta / spring').waitFor();
    expect(await page.getByTestId('ltv-row').count()).toBe(4);

    const api = await call(p.apiUrl, 'GET', `/api/analytics/${appId}/ltv?${days.query}&group_by=campaign&days=30`, { token });
    const spring = api.body.cohorts.find(
      (c: { cohort: string; campaign: string }) => c.cohort === dayOf(days.a) && c.campaign === 'spring',
    );
    const shown = async (cohort: number, group: string, n: number) =>
      row(cohort, group).getByTestId(`ltv-d${n}`).getAttribute('data-value');
    // A's meta/spring: 2 (d0), 6 (d1), 12 (d7), 22 (d30) over 2 installs, as the API says
    expect([
      await shown(days.a, 'meta / spring', 0),
      await shown(days.a, 'meta / spring', 7),
      await shown(days.a, 'meta / spring', 30),
    ]).toEqual(['1', '6', '11']);
    expect(spring.ltv[30]).toBe(11);
    expect(await row(days.a, 'meta / spring').getByTestId('ltv-d7').textContent()).toBe('6.00 USD');
    // B is 3 days old: day 2 has ended, day 3 (today) has not — an empty cell, not 0
    expect(await shown(days.b, 'meta / spring', 2)).toBe('103');
    expect(await shown(days.b, 'meta / spring', 3)).toBe('');
    expect(await row(days.b, 'meta / spring').getByTestId('ltv-d3').textContent()).toBe('');

    await page.getByTestId('ltv-chart').waitFor();
    const lines = page.getByTestId('ltv-line');
    expect(await lines.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-label')))).toEqual([
      'meta / spring',
      'google / brand',
      'organic / (none)',
    ]);
    expect(await roasD7Shown('meta / spring').getAttribute('data-value')).toBe('1.2');
    expect(await roasD7Shown('meta / spring').textContent()).toBe('120%');
    // google/brand has no spend: no ROAS to speak of, a dash rather than 0%
    expect(await roasD7Shown('google / brand').textContent()).toBe('—');
    expect(problems).toEqual([]);
  });

  it('in the reporting currency EUR: money figures carry EUR and the day without a rate is named', { timeout: 60_000 }, async () => {
    await page.goto(`/apps/${euroAppId}/ltv`);
    await page.getByTestId('date-range-preset').selectOption('custom');
    await page.getByTestId('date-from').fill(dayOf(days.a));
    await page.getByTestId('date-to').fill(dayOf(days.b));
    await page.getByRole('button', { name: 'Apply' }).click();
    const row = page.locator(`[data-testid="ltv-row"][data-cohort="${dayOf(days.a)}"][data-group="meta"]`);
    await row.waitFor();
    // support/ltv-fixture.ts loadLtvInEuros: 10 EUR on d0, then 4 GBP × 1.25; the 3 USD of d2 has no rate
    expect([await row.getByTestId('ltv-d0').textContent(), await row.getByTestId('ltv-d2').textContent()]).toEqual([
      '10.00 EUR',
      '15.00 EUR',
    ]);
    const group = page.locator('[data-testid="ltv-group"][data-group="meta"]');
    expect(await group.locator('td').nth(1).textContent()).toBe('22.00 EUR'); // 20 GBP × 1.1 of spend
    expect(await page.getByTestId('ltv-chart').locator('figcaption').textContent()).toContain('EUR');
    const warning = await page.getByTestId('missing-rates').textContent();
    expect(warning).toContain('into EUR');
    expect(warning).toContain(`USD (${dayOf(days.a + 2 * 86_400_000)})`);
    expect(problems).toEqual([]);
  });

  it('a cost edited on the Costs screen changes the ROAS D7 the LTV screen shows', { timeout: 60_000 }, async () => {
    await page.goto(`/apps/${appId}/costs`);
    const costRow = page.locator(`[data-testid="cost-row"][data-key="${dayOf(days.a)}|meta|spring"]`);
    await costRow.waitFor();
    await costRow.getByTestId('cost-edit').click();
    await page.getByTestId('cost-edit-input').fill('20');
    await page.getByTestId('cost-save').click();
    await expect.poll(() => costRow.getByTestId('cost-value').getAttribute('data-value')).toBe('20');

    await openLtvByCampaign();
    // A's 12 to day 7 over the 20 now spent on A (B's 50 waits for B's day 7)
    await expect.poll(() => roasD7Shown('meta / spring').getAttribute('data-value')).toBe('0.6');
    expect(await roasD7Shown('meta / spring').textContent()).toBe('60%');
    const api = await call(p.apiUrl, 'GET', `/api/analytics/${appId}/ltv?${days.query}&group_by=campaign&days=7`, { token });
    expect(api.body.groups.find((g: { campaign: string }) => g.campaign === 'spring')).toMatchObject({ cost_d7: 20, roas_d7: 0.6 });
    expect(problems).toEqual([]);
  });
});
