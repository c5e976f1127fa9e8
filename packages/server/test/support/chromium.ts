import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { describe, it } from 'vitest';

/** Debian's Chromium: CI installs it with apt; there is no browser download (the network has only registries). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a container without a GPU, a sandbox or outside network (issue 5). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A browser on a throwaway profile (Playwright gives every launch a fresh temporary user-data-dir). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * `describe` for a browser suite: runs `body` when Chromium is installed; otherwise a visibly
 * skipped suite naming the reason, or a failing test when REQUIRE_SERVICES=1 (CI).
 */
export function describeWithChromium(title: string, body: () => void): void {
  if (existsSync(CHROMIUM_PATH)) {
    describe(title, body);
    return;
  }
  const reason = `${CHROMIUM_PATH} is not installed (apt-get install chromium)`;
  if (process.env.REQUIRE_SERVICES === '1') {
    describe(title, () => {
      it('needs Chromium (REQUIRE_SERVICES=1)', () => {
        throw new Error(reason);
      });
    });
  } else {
    console.warn(`[skip] ${title}: ${reason}`);
    // Skipped only when Chromium is absent and REQUIRE_SERVICES is not set (CI sets it, so there it fails instead).
    describe.skip(`${title} — skipped: ${reason}`, body);
  }
}

export interface PageProblem {
  kind: 'console' | 'pageerror';
  text: string;
  /** The script or the failed resource the message is about, when the browser says. */
  url: string;
  /** The page's address when it happened. */
  at: string;
}

/**
 * Collects console errors and uncaught exceptions of a page. Chromium also reports a failed
 * fetch ("Failed to load resource: … 404") as a console error, with the resource's URL.
 */
export function recordProblems(page: Page, into: PageProblem[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error') into.push({ kind: 'console', text: message.text(), url: message.location().url, at: page.url() });
  });
  page.on('pageerror', (error) => into.push({ kind: 'pageerror', text: String(error), url: '', at: page.url() }));
}
