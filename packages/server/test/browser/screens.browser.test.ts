import { rm } from 'node:fs/promises';
import { createLink, enqueuePostbacks } from '@unmogrowp/storage';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { install } from '../../../storage/test/event-analytics.fixtures.ts';
import { makeEvent } from '../../../storage/test/event-store.fixtures.ts';
import { accessTokenFor, call, seedApp, seedUser } from '../support/api-client.ts';
import { describeWithChromium, launchChromium, type PageProblem, recordProblems } from '../support/chromium.ts';
import { signInThroughUi } from '../support/dashboard-ui.ts';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';

/**
 * The growth team's screens in Chromium, each checked against the API's answer: the ingest URL
 * the snippets show is the server's PUBLIC_INGEST_URL, and the postback delivery log counts,
 * filters and retries what the outbox holds.
 */
const PUBLIC_INGEST = 'https://track.example.test';
let p: TestPlatform;
let browser: Browser;
const contexts: BrowserContext[] = [];
const problems: PageProblem[] = [];
let page: Page;
let token = '';
let appId = '';

/** Waits until the delivery log shows that many rows (the filters reload it). */
const rowsOf = (testid: string, n: number) => expect.poll(() => page.getByTestId(testid).count()).toBe(n);
const rowsAre = (n: number) => rowsOf('postback-row', n);

describeWithChromium('growth screens in Chromium', () => {
  beforeAll(async () => {
    p = await startTestPlatform({ PUBLIC_INGEST_URL: PUBLIC_INGEST });
    browser = await launchChromium();
    const manager = await seedUser(p.control, 'mia@example.com', 'Mia Manager');
    token = await accessTokenFor(p.control, p.signing, manager.id);
    appId = (await seedApp(p.control, manager.id, [], 'Puzzle Quest')).id;
    const context = await browser.newContext({ baseURL: p.apiUrl, viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    page = await context.newPage();
    recordProblems(page, problems);
    await page.goto('/login');
    await signInThroughUi(page, 'mia@example.com');
    await page.waitForURL(/\/apps(\?|$)/);
  }, 60_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await p?.close();
    if (p) await rm(p.dir, { recursive: true, force: true });
  });

  it('shows the configured ingest URL in the new-app keys dialog and the empty overview, not a guessed port', {
    timeout: 60_000,
  }, async () => {
    await page.getByTestId('new-app').click();
    await page.getByTestId('create-app-name').fill('Word Hunt');
    await page.getByTestId('create-app-submit').click();
    await page.getByTestId('app-created').waitFor();
    expect(await page.getByTestId('ingest-url').inputValue()).toBe(PUBLIC_INGEST);
    expect(await page.getByTestId('snippet-curl').textContent()).toContain(`${PUBLIC_INGEST}/v1/events`);
    await page.goto(`/apps/${appId}`);
    await page.getByTestId('no-data').waitFor();
    expect(await page.getByTestId('empty-snippet-curl').textContent()).toContain(`${PUBLIC_INGEST}/v1/events`);
    expect(problems).toEqual([]);
  });

  it('lists each link with its clicks, installs and conversion over the picked range, as the API counts them', {
    timeout: 60_000,
  }, async () => {
    const busy = (await createLink(p.control, appId, { name: 'Spring promo', media_source: 'meta', campaign: 'spring' }))!;
    const quiet = (await createLink(p.control, appId, { name: 'Quiet link', media_source: 'google', campaign: 'brand' }))!;
    const now = Date.now();
    const credit = { media_source: 'meta', campaign: 'spring', ad_set: '', ad: '', site_id: '', link_id: busy.id };
    const click = (n: number, fraud_reason = '') => ({
      app_id: appId,
      click_id: `clk_${n}`,
      ts: now - 3_600_000 - n * 1000,
      ip: '203.0.113.9',
      platform: 'ios',
      ...credit,
      fraud_reason,
    });
    await p.events.insertClicks([click(1), click(2), click(3), click(4), click(5, 'click_flood')]);
    await p.events.insertInstalls([
      install(appId, 'ins_1', 'dev_1', new Date(now - 1_800_000).toISOString(), { ...credit }),
      install(appId, 'ins_2', 'dev_2', new Date(now - 1_700_000).toISOString(), {
        ...credit,
        status: 'rejected',
        fraud_reason: 'ctit_too_short',
      }),
    ]);
    await page.goto(`/apps/${appId}/links`);
    const card = (id: string) => page.locator(`[data-testid="link-card"][data-link-id="${id}"]`);
    await card(busy.id).getByTestId('link-stats').waitFor();
    const shown = async (id: string, what: string) => card(id).getByTestId(what).getAttribute('data-value');
    const api = await call(p.apiUrl, 'GET', `/api/analytics/${appId}/links`, { token });
    expect(api.body.links).toEqual([{ link_id: busy.id, clicks: 4, impressions: 0, installs: 1, conversion_rate: 0.25 }]);
    expect([await shown(busy.id, 'link-clicks'), await shown(busy.id, 'link-installs'), await shown(busy.id, 'link-conversion')]).toEqual([
      '4',
      '1',
      '0.25',
    ]);
    expect(await card(busy.id).getByTestId('link-conversion').textContent()).toBe('25.0%');
    // No clicks: no conversion to speak of, a dash rather than 0%.
    expect(await shown(quiet.id, 'link-clicks')).toBe('0');
    expect(await card(quiet.id).getByTestId('link-conversion').textContent()).toBe('—');
    expect(problems).toEqual([]);
  });

  it("lists imported costs with a filter, edits one on screen and the API's ROAS follows, deletes one", { timeout: 60_000 }, async () => {
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await createLink(p.control, appId, { name: 'Meta autumn', media_source: 'meta', campaign: 'autumn' });
    const credit = { media_source: 'meta', campaign: 'spring', ad_set: '', ad: '', site_id: '', link_id: '' };
    const purchase = makeEvent({ app_id: appId, device_id: 'dev_1', timestamp: Date.now() - 3_600_000, revenue: 50, currency: 'USD' });
    await p.events.insertEvents([{ ...purchase, attribution: credit }]);
    const imported = await call(p.apiUrl, 'POST', `/api/apps/${appId}/costs`, {
      token,
      body: [
        { date: day, media_source: 'meta', campaign: 'spring', cost: 100, currency: 'USD' },
        { date: day, media_source: 'google', campaign: 'brand', cost: 40, currency: 'USD' },
      ],
    });
    expect(imported.status).toBe(200);
    const metaRoas = async () => {
      const res = await call(p.apiUrl, 'GET', `/api/analytics/${appId}/attribution?group_by=media_source`, { token });
      return res.body.rows.find((r: { media_source: string }) => r.media_source === 'meta')?.roas;
    };
    expect(await metaRoas()).toBe(0.5);

    await page.goto(`/apps/${appId}/costs`);
    await page.getByTestId('costs-table').waitFor();
    expect(await page.getByTestId('cost-row').count()).toBe(2);
    // The example rows name the media sources of this app's links, not made-up ones.
    await page.getByTestId('costs-use-example').click();
    expect(await page.getByTestId('costs-input').inputValue()).toContain(',meta,');
    await page.getByTestId('costs-input').fill('');
    await page.getByTestId('costs-filter-source').fill('meta');
    await rowsOf('cost-row', 1);

    await page.getByTestId('cost-edit').click();
    await page.getByTestId('cost-edit-input').fill('25');
    await page.getByTestId('cost-save').click();
    await expect.poll(() => page.getByTestId('cost-value').getAttribute('data-value')).toBe('25');
    expect(await metaRoas()).toBe(2);

    await page.getByTestId('costs-filter-source').fill('google');
    await rowsOf('cost-row', 1);
    await page.getByTestId('cost-delete').click();
    await page.getByTestId('cost-delete-confirm').click();
    await page.getByTestId('costs-list-empty').waitFor();
    expect((await call(p.apiUrl, 'GET', `/api/apps/${appId}/costs`, { token })).body.costs).toEqual([
      { date: day, media_source: 'meta', campaign: 'spring', cost: 25, currency: 'USD' },
    ]);
    expect(problems).toEqual([]);
  });

  it('counts, filters and retries postbacks as the API does', { timeout: 60_000 }, async () => {
    const now = Date.now();
    const postback = (media_source: string, install_id: string) => ({
      app_id: appId,
      media_source,
      install_id,
      event_id: '',
      event_name: 'install',
      method: 'GET' as const,
      url: `https://${media_source}.example/cb?i=${install_id}`,
      body: null,
    });
    await enqueuePostbacks(p.control, [postback('network_a', 'i1'), postback('network_a', 'i2'), postback('network_b', 'i3')], now);
    // Two failed deliveries (one per network) and one delivered, as the worker would have left them.
    await p.control.query(
      `update postbacks set status = 'failed', attempts = 8, last_status_code = 500 where app_id = $1 and install_id in ('i1', 'i3')`,
      [appId],
    );
    await p.control.query(
      `update postbacks set status = 'delivered', attempts = 1, last_status_code = 200 where app_id = $1 and install_id = 'i2'`,
      [appId],
    );

    await page.goto(`/apps/${appId}/partners`);
    await page.getByTestId('postback-log').waitFor();
    const count = async (status: string) => Number(await page.getByTestId(`postback-count-${status}`).getAttribute('data-value'));
    expect([await count('delivered'), await count('pending'), await count('failed')]).toEqual([1, 0, 2]);
    expect(await page.getByTestId('postback-row').count()).toBe(3);

    await page.getByTestId('postback-network-filter').fill('network_a');
    await page.getByTestId('postback-network-filter').dispatchEvent('change');
    await rowsAre(2);
    expect([await count('delivered'), await count('failed')]).toEqual([1, 1]);

    await page.getByTestId('postback-status-filter').selectOption('failed');
    await rowsAre(1);
    await page.getByTestId('postback-retry').click();
    await expect.poll(() => count('pending')).toBe(1);
    const api = await call(p.apiUrl, 'GET', `/api/apps/${appId}/postbacks?media_source=network_a`, { token });
    expect(api.body.counts).toEqual({ pending: 1, delivered: 1, failed: 0 });
    expect(problems).toEqual([]);
  });
});
