import { rm } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, PASSWORD } from '../support/api-client.ts';
import { describeWithChromium, launchChromium, type PageProblem, recordProblems } from '../support/chromium.ts';
import { fitsWidth, overviewCards, registerThroughUi, shows, signInThroughUi, storedRefreshToken } from '../support/dashboard-ui.ts';
import { eagerScripts, weighScripts } from '../support/initial-js.ts';
import { eventually, post, startTestPlatform, type TestPlatform } from '../support/test-platform.ts';

/**
 * The dashboard as a person uses it, in Debian's Chromium against a whole platform in this
 * process: register, sign in, create an app and a tracking link, then see the overview show
 * what the API computes from events sent to the ingest listener. Then who may see what (an
 * analyst, a stranger), a phone-sized screen, the headers, and what the first page costs.
 */
const PUBLIC_INGEST = 'https://track.example.test';
const IOS_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const ADID = '3f0c9a2e-7b1d-4c5e-9a8f-1e2d3c4b5a69';
const USERS = {
  manager: { name: 'Mia Manager', email: 'mia@example.com' },
  analyst: { name: 'Ari Analyst', email: 'ari@example.com' },
  stranger: { name: 'Sam Stranger', email: 'sam@example.com' },
};

let p: TestPlatform;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** Problems per page, checked at the end of each test that used the page. */
const problems = new Map<Page, PageProblem[]>();
/** What test 1 creates and the others use. */
const made = { appId: '', sdkKey: '', serverKey: '', linkId: '', clickUrl: '' };
let managerPage: Page;

async function newPage(viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ baseURL: p.apiUrl, viewport });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  const page = await context.newPage();
  const list: PageProblem[] = [];
  recordProblems(page, list);
  problems.set(page, list);
  return page;
}

/** Nothing went wrong in the page, apart from failed requests the test itself expects. */
function expectNoProblems(page: Page, expected: (problem: PageProblem) => boolean = () => false): void {
  expect((problems.get(page) ?? []).filter((x) => !expected(x))).toEqual([]);
}

async function accessToken(email: string): Promise<string> {
  const res = await call(p.apiUrl, 'POST', '/api/auth/login', { body: { email, password: PASSWORD } });
  expect(res.status).toBe(200);
  return res.body.access_token;
}

describeWithChromium('dashboard in Chromium', () => {
  beforeAll(async () => {
    p = await startTestPlatform({ PUBLIC_INGEST_URL: PUBLIC_INGEST });
    if (eagerScripts(await (await fetch(`${p.apiUrl}/`)).text()).length === 0) {
      throw new Error('the dashboard is not built: npm run build -w @unmogrowp/dashboard');
    }
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await p?.close();
    if (p) await rm(p.dir, { recursive: true, force: true });
  });

  it('registers, signs in, creates an app and a link, and the overview shows what the API computes', { timeout: 60_000 }, async () => {
    const page = await newPage();
    managerPage = page;
    await registerThroughUi(page, USERS.manager);
    await page.getByTestId('welcome-admin').waitFor();

    // Signing out ends the session on the server: the stored refresh token is dead afterwards.
    const refreshToken = await storedRefreshToken(page);
    expect(refreshToken).toBeTruthy();
    await page.getByTestId('nav-logout').click();
    await page.waitForURL('**/login');
    expect((await call(p.apiUrl, 'POST', '/api/auth/refresh', { body: { refresh_token: refreshToken } })).status).toBe(401);
    await signInThroughUi(page, USERS.manager.email);
    await page.waitForURL('**/apps');

    // An app: both keys are shown now, the server key never again.
    await page.getByTestId('create-app-name').fill('Puzzle Quest');
    await page.getByTestId('create-app-submit').click();
    await page.getByTestId('app-created').waitFor();
    made.sdkKey = await page.getByTestId('sdk-key').inputValue();
    made.serverKey = await page.getByTestId('server-key').inputValue();
    expect(made.sdkKey).not.toBe('');
    expect(made.serverKey).not.toBe(made.sdkKey);
    expect(await page.getByTestId('server-key-warning').isVisible()).toBe(true);
    expect(await page.getByTestId('snippet-curl').textContent()).toContain(made.sdkKey);
    await page.getByTestId('open-created-app').click();
    await page.waitForURL(/\/apps\/[^/]+$/);
    made.appId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
    expect(await page.getByTestId('app-name').textContent()).toBe('Puzzle Quest');
    await page.getByTestId('tab-settings').click();
    await page.getByTestId('app-settings-form').waitFor();
    expect(await shows(page, made.sdkKey)).toBe(true);
    expect(await shows(page, made.serverKey)).toBe(false);
    await page.getByTestId('nav-apps').click();
    await page.getByTestId('app-card').waitFor();
    expect(await shows(page, made.serverKey)).toBe(false);

    // A tracking link: the click URL shown is the one the API builds on PUBLIC_INGEST_URL.
    await page.getByTestId('app-card').click();
    await page.getByTestId('tab-links').click();
    await page.getByTestId('new-link').click();
    await page.getByTestId('link-name').fill('Spring — Meta');
    await page.getByTestId('link-media_source').fill('meta_ads');
    await page.getByTestId('link-campaign').fill('spring');
    await page.getByTestId('link-ios').fill('https://apps.apple.com/app/id123456');
    await page.getByTestId('link-web').fill('https://puzzle.example.com');
    await page.getByTestId('link-save').click();
    const card = page.getByTestId('link-card');
    await card.waitFor();
    expect(await page.getByTestId('link-editor').count()).toBe(0);
    made.linkId = (await card.getAttribute('data-link-id')) ?? '';
    made.clickUrl = await page.getByTestId('link-click-url').inputValue();
    expect(made.clickUrl).toBe(`${PUBLIC_INGEST}/c/${made.linkId}`);
    const impressionUrl = await page.getByTestId('link-impression-url').inputValue();

    // Traffic through the public routes, with the keys the page showed. The shown URLs point at
    // PUBLIC_INGEST_URL (a proxy in production); here the ingest listener answers their paths.
    const onIngest = (shown: string) => p.ingestUrl + new URL(shown).pathname;
    const click = await fetch(onIngest(made.clickUrl), { redirect: 'manual', headers: { 'user-agent': IOS_UA } });
    expect([click.status, click.headers.get('location')]).toEqual([302, 'https://apps.apple.com/app/id123456']);
    expect((await fetch(onIngest(impressionUrl), { headers: { 'user-agent': IOS_UA } })).status).toBe(204);
    // The install's click, reported by the network ten minutes earlier (a CTIT under 10 s would be fraud).
    const s2s = await post(
      `${p.ingestUrl}/v1/clicks`,
      {
        link_id: made.linkId,
        timestamp: new Date(Date.now() - 600_000).toISOString(),
        ip: '198.51.100.7',
        user_agent: IOS_UA,
        advertising_id: ADID,
      },
      { authorization: `Bearer ${made.serverKey}` },
    );
    expect(s2s.status).toBe(202);
    const now = new Date().toISOString();
    let n = 0;
    const event = (device: Record<string, string>, type: string, extra: Record<string, unknown> = {}) => ({
      event_id: `browser-${++n}`,
      type,
      timestamp: now,
      device,
      ...extra,
    });
    const paid = { id: 'device-paid', platform: 'ios', os_version: '17.4', advertising_id: ADID };
    const organic = { id: 'device-organic', platform: 'android', os_version: '14' };
    const revenues = [4.99, 0.99, 19.99];
    const events = [
      event(paid, 'install'),
      event(organic, 'install'),
      event(paid, 'open'),
      event(paid, 'event', { name: 'purchase', revenue: revenues[0], currency: 'USD' }),
      event(paid, 'event', { name: 'purchase', revenue: revenues[1], currency: 'USD' }),
      event(organic, 'event', { name: 'purchase', revenue: revenues[2], currency: 'USD' }),
      event(organic, 'event', { name: 'level_up', properties: { level: 3 } }),
    ];
    const batch = await post(`${p.ingestUrl}/v1/events/batch`, { events }, { 'x-api-key': made.sdkKey });
    expect(batch.status).toBe(202);
    expect(batch.body).toMatchObject({ accepted: events.length, rejected: [] });

    // Fresh within 5 s (docs/api.md §4), read with the pull API and the server key the page showed.
    const wide = `from=${new Date(Date.now() - 2 * 86_400_000).toISOString()}&to=${new Date(Date.now() + 86_400_000).toISOString()}`;
    const pull = (query: string) => call(p.apiUrl, 'GET', `/api/analytics/${made.appId}/overview?${query}`, { token: made.serverKey });
    await eventually(async () => {
      const { body } = await pull(wide);
      expect(body).toMatchObject({ installs: 2, non_organic_installs: 1, organic_installs: 1, clicks: 2, impressions: 1, active_users: 2 });
      expect(body.total_revenue).toBeCloseTo(
        revenues.reduce((a, b) => a + b, 0),
        6,
      );
      expect(body.total_events).toBeGreaterThanOrEqual(events.filter((e) => e.type !== 'install').length);
    }, 5_000);

    // The overview page asks for its own range (the last 30 days): the cards equal the API's answer for it.
    const asked = page.waitForResponse((r) => r.url().includes(`/api/analytics/${made.appId}/overview?`));
    await page.getByTestId('tab-overview').click();
    const range = new URL((await asked).url()).searchParams;
    const shown = await overviewCards(page);
    const answer = await pull(`from=${range.get('from')}&to=${range.get('to')}`);
    expect(answer.status).toBe(200);
    // The money context is not a card: the currency is printed beside the revenue figure.
    const { from: _from, to: _to, currency, missing_rates: _missing, ...numbers } = answer.body;
    expect(shown).toEqual(numbers);
    expect(await page.getByTestId('overview-total_revenue').textContent()).toContain(currency);
    expect(shown.installs).toBe(2);
    expectNoProblems(page);
  });

  it('an analyst sees the links but not the editor', { timeout: 30_000 }, async () => {
    const page = await newPage();
    await registerThroughUi(page, USERS.analyst);
    expect(await page.getByTestId('welcome-admin').count()).toBe(0);
    const added = await call(p.apiUrl, 'POST', `/api/apps/${made.appId}/members`, {
      token: await accessToken(USERS.manager.email),
      body: { email: USERS.analyst.email, role: 'analyst' },
    });
    expect(added.status).toBe(201);

    await page.goto('/apps');
    await page.getByTestId('app-card').click();
    await page.getByTestId('read-only-badge').waitFor();
    await page.getByTestId('tab-links').click();
    await page.getByTestId('link-card').waitFor();
    expect(await page.getByTestId('link-click-url').inputValue()).toBe(made.clickUrl);
    expect(await page.getByTestId('links-read-only').isVisible()).toBe(true);
    for (const hidden of ['link-editor', 'new-link', 'link-edit', 'link-toggle', 'link-delete', 'tab-members', 'tab-settings']) {
      expect([hidden, await page.getByTestId(hidden).count()]).toEqual([hidden, 0]);
    }
    expectNoProblems(page);
  });

  it('a user who is not a member gets "App not found" by URL, and a 404 from the API', { timeout: 30_000 }, async () => {
    const registered = await call(p.apiUrl, 'POST', '/api/auth/register', { body: { ...USERS.stranger, password: PASSWORD } });
    expect(registered.status).toBe(201);
    const page = await newPage();
    await page.goto(`/apps/${made.appId}`);
    await page.waitForURL(`**/login?next=${encodeURIComponent(`/apps/${made.appId}`)}`);
    await signInThroughUi(page, USERS.stranger.email);
    await page.waitForURL(`**/apps/${made.appId}`);
    const notFound = page.getByTestId('app-not-found');
    await notFound.waitFor();
    expect(await notFound.textContent()).toContain('App not found');
    expect(await page.getByTestId('app-name').count()).toBe(0);

    const token = await accessToken(USERS.stranger.email);
    expect((await call(p.apiUrl, 'GET', `/api/apps/${made.appId}`, { token })).status).toBe(404);
    expect((await call(p.apiUrl, 'GET', `/api/analytics/${made.appId}/overview`, { token })).status).toBe(404);
    // The page's own 404 is the one failure Chromium may log.
    expectNoProblems(page, (x) => x.text.includes('status of 404') && new URL(x.url).pathname === `/api/apps/${made.appId}`);
  });

  it('works 390 px wide: nothing overflows sideways and the menu reaches the navigation', { timeout: 30_000 }, async () => {
    const page = managerPage;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/apps/${made.appId}`);
    await page.getByTestId('overview-installs').waitFor();
    expect(['overview', await fitsWidth(page)]).toEqual(['overview', true]);
    // The section tabs scroll sideways inside their bar; the links tab is reachable there.
    await page.getByTestId('tab-links').click();
    await page.getByTestId('link-card').waitFor();
    expect(['links', await fitsWidth(page)]).toEqual(['links', true]);
    const apps = page.getByTestId('nav-apps');
    expect(await apps.isVisible()).toBe(false);
    await page.getByTestId('nav-toggle').click();
    await apps.click();
    await page.waitForURL('**/apps');
    await page.getByTestId('app-card').waitFor();
    expectNoProblems(page);
  });

  it('serves / with the security headers; reports first paint and initial JavaScript', { timeout: 30_000 }, async () => {
    const page = await newPage();
    const response = await page.goto('/');
    const headers = response!.headers();
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    await page.getByTestId('login-form').waitFor();
    const fcp = await page.evaluate(async () => {
      for (let i = 0; i < 50; i++) {
        const entry = performance.getEntriesByName('first-contentful-paint')[0];
        if (entry) return entry.startTime;
        await new Promise((r) => setTimeout(r, 20));
      }
      return null;
    });
    expect(fcp).toBeGreaterThan(0);

    const scripts = eagerScripts(await (await fetch(`${p.apiUrl}/`)).text());
    expect(scripts.length).toBeGreaterThan(0);
    const js = await weighScripts(p.apiUrl, scripts);
    console.log(JSON.stringify({ dashboard: { first_contentful_paint_ms: Math.round(fcp!), initial_js: js } }));
    expectNoProblems(page);
  });
});
