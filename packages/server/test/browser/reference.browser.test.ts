import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithChromium, launchChromium, type PageProblem, recordProblems } from '../support/chromium.ts';
import { registerThroughUi } from '../support/dashboard-ui.ts';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';

/** The API reference screen in Chromium: every route of the running server, with what each answers. */
let p: TestPlatform;
let browser: Browser;

describeWithChromium('API reference screen in Chromium', () => {
  beforeAll(async () => {
    p = await startTestPlatform();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await p?.close();
  });

  it("lists each route with the fields of its answer, read from the server's OpenAPI document", { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ baseURL: p.apiUrl, viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const problems: PageProblem[] = [];
    recordProblems(page, problems);
    await registerThroughUi(page, { name: 'Ada Admin', email: 'ada@example.com' });
    await page.goto('/reference');
    const overview = page.getByTestId('reference-row').filter({ hasText: 'GET /api/analytics/{app_id}/overview' });
    await overview.waitFor();
    const answer = await overview.getByTestId('reference-answer').textContent();
    expect(answer).toContain('200');
    expect(answer).toContain('non_organic_installs');
    const logout = await page
      .getByTestId('reference-row')
      .filter({ hasText: 'POST /api/auth/logout' })
      .getByTestId('reference-answer')
      .textContent();
    expect(logout?.trim()).toBe('204');
    expect(problems).toEqual([]);
    await context.close();
  });
});
