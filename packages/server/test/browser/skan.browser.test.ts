import { generateKeyPairSync, sign } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { signedSkanMessage } from '@unmogrowp/attribution';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, PASSWORD } from '../support/api-client.ts';
import { describeWithChromium, launchChromium, type PageProblem, recordProblems } from '../support/chromium.ts';
import { registerThroughUi } from '../support/dashboard-ui.ts';
import { post, startTestPlatform, type TestPlatform } from '../support/test-platform.ts';

/**
 * The SKAN view and its schema editor in Debian's Chromium: postbacks signed with a test key go
 * to the ingest listener, the view shows them per window with the value-less ones counted, and a
 * coarse value given a revenue in the editor turns into estimated revenue.
 */
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const APPLE_ID = '1477000002';

let p: TestPlatform;
let browser: Browser;

function postback(tx: string, window: number, extra: Record<string, unknown>) {
  const body: Record<string, unknown> = {
    version: '4.0',
    'ad-network-id': '4dzt52r2t5.skadnetwork',
    'source-identifier': '77',
    'app-id': Number(APPLE_ID),
    'transaction-id': tx,
    redownload: false,
    'fidelity-type': 1,
    'did-win': true,
    'postback-sequence-index': window,
    ...extra,
  };
  body['attribution-signature'] = sign('sha256', Buffer.from(signedSkanMessage(body, '4.0') as string), privateKey).toString('base64');
  return body;
}

describeWithChromium('SKAN view in Chromium', () => {
  beforeAll(async () => {
    p = await startTestPlatform({ SKAN_TEST_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await p?.close();
    if (p) await rm(p.dir, { recursive: true, force: true });
  });

  it('shows installs, null values and windows, and the schema editor turns values into revenue', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ baseURL: p.apiUrl });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const problems: PageProblem[] = [];
    recordProblems(page, problems);
    await registerThroughUi(page, { name: 'Sky Manager', email: 'sky@example.com' });
    const login = await call(p.apiUrl, 'POST', '/api/auth/login', { body: { email: 'sky@example.com', password: PASSWORD } });
    const token = login.body.access_token;
    const created = await call(p.apiUrl, 'POST', '/api/apps', { token, body: { name: 'Sky', platforms: ['ios'] } });
    const appId = created.body.app.id;
    const patched = await call(p.apiUrl, 'PATCH', `/api/apps/${appId}`, { token, body: { settings: { apple_app_id: APPLE_ID } } });
    expect(patched.status).toBe(200);
    for (const body of [
      postback('b1', 0, { 'coarse-conversion-value': 'high' }),
      postback('b2', 0, { 'coarse-conversion-value': 'high' }),
      postback('b3', 0, {}),
      postback('b1', 1, { 'coarse-conversion-value': 'low' }),
    ]) {
      expect((await post(`${p.ingestUrl}/.well-known/skadnetwork/report-attribution/`, body)).status).toBe(200);
    }

    await page.goto(`/apps/${appId}/skan`);
    await expect.poll(() => page.getByTestId('skan-installs').textContent()).toBe('3');
    expect(await page.getByTestId('skan-null-values').textContent()).toBe('1');
    expect(await page.getByTestId('skan-window-0').textContent()).toContain('unity');
    expect(await page.getByTestId('skan-distribution-0').textContent()).toContain('high 2');
    expect(await page.getByTestId('skan-window-1').textContent()).toContain('unity');

    const editor = page.getByTestId('skan-schema-editor');
    await editor.getByLabel('window 0 high revenue min').fill('4');
    await editor.getByLabel('window 0 high revenue max').fill('6');
    await editor.locator('textarea[name="campaigns"]').fill('unity / 77 = Launch');
    await editor.getByRole('button', { name: 'Save schema' }).click();
    await page.getByTestId('skan-saved').waitFor();
    await expect.poll(() => page.getByTestId('skan-revenue').textContent()).toBe('10.00 USD');
    expect(await page.getByTestId('skan-window-0').textContent()).toContain('Launch');

    // a value the server refuses is shown, not lost
    await editor.getByLabel('window 1 low revenue min').fill('-3');
    await editor.getByRole('button', { name: 'Save schema' }).click();
    await expect.poll(() => editor.getByTestId('error').textContent()).toContain('revenue_min');
    expect(problems.filter((x) => !x.text.includes('400'))).toEqual([]);
    await context.close();
  });
});
