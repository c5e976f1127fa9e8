import type { Page } from 'playwright-core';
import { PASSWORD } from './api-client.ts';

/**
 * What a person does and sees in the dashboard, through its `data-testid`s
 * (packages/dashboard/README.md). Pages are opened on a context whose `baseURL` is the API listener.
 */

/** The page's globals used here, typed by hand: the repo compiles without the DOM library. */
interface InPage {
  document: {
    body: { textContent: string };
    documentElement: { scrollWidth: number; clientWidth: number };
    querySelectorAll(selector: string): Iterable<{ value: string }>;
  };
  localStorage: { getItem(key: string): string | null };
}

/** From `/` (which sends a signed-out visitor to the sign-in page) to a new account, signed in on /apps. */
export async function registerThroughUi(page: Page, who: { name: string; email: string }): Promise<void> {
  await page.goto('/');
  await page.waitForURL('**/login');
  await page.getByTestId('to-register').click();
  await page.getByTestId('register-name').fill(who.name);
  await page.getByTestId('register-email').fill(who.email);
  await page.getByTestId('register-password').fill(PASSWORD);
  await page.getByTestId('register-submit').click();
  await page.waitForURL(/\/apps(\?|$)/);
}

/** Fills and sends the sign-in form the page shows; where it goes next is the caller's to check. */
export async function signInThroughUi(page: Page, email: string): Promise<void> {
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
}

/** Whether the text is anywhere on the page, hidden text and form fields included (field values are not in the HTML). */
export function shows(page: Page, text: string): Promise<boolean> {
  return page.evaluate((t) => {
    const { document } = globalThis as unknown as InPage;
    return document.body.textContent.includes(t) || [...document.querySelectorAll('input, textarea')].some((f) => f.value.includes(t));
  }, text);
}

/** Every overview card as `{field: raw number}`, read from `data-value` (the text is formatted). */
export async function overviewCards(page: Page): Promise<Record<string, number>> {
  const cards = page.locator('[data-testid^="overview-"][data-value]');
  await cards.first().waitFor();
  const pairs = await cards.evaluateAll((nodes) =>
    nodes.map((n) => [n.getAttribute('data-testid')!.slice('overview-'.length), n.getAttribute('data-value')!] as const),
  );
  return Object.fromEntries(pairs.map(([field, value]) => [field, Number(value)]));
}

/** True when the page is no wider than the window (nothing makes a phone scroll sideways). */
export function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const { documentElement: root } = (globalThis as unknown as InPage).document;
    return root.scrollWidth <= root.clientWidth;
  });
}

/** The refresh token the dashboard keeps for reloads (packages/dashboard/README.md, "Sessions"). */
export function storedRefreshToken(page: Page): Promise<string | null> {
  return page.evaluate(() => (globalThis as unknown as InPage).localStorage.getItem('unmogrowp.refresh_token'));
}
