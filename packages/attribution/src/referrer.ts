import type { Install } from './types.ts';

/** The key our click redirect puts in the Play Store referrer (`referrer=click_id%3D<id>`). */
export const REFERRER_CLICK_ID_KEY = 'click_id';

// Enough for a referrer encoded once by us and once more by a store or an intermediary.
const MAX_DECODE_ROUNDS = 3;

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function paramValue(query: string, key: string): string | null {
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    if (safeDecode(pair.slice(0, eq)).trim() === key) return pair.slice(eq + 1);
  }
  return null;
}

/**
 * Our click id inside a Play Install Referrer string, '' if none. Accepts `click_id=abc&utm_source=x`,
 * the same percent-encoded once or twice (`click_id%3Dabc%26…`), and a full `referrer=…` wrapper.
 */
export function clickIdFromReferrer(referrer: string): string {
  let text = referrer.trim().replace(/^\?/, '');
  for (let round = 0; round < MAX_DECODE_ROUNDS && text !== ''; round++) {
    const direct = paramValue(text, REFERRER_CLICK_ID_KEY);
    if (direct !== null) return safeDecode(direct).trim();
    const wrapped = paramValue(text, 'referrer');
    if (wrapped !== null) {
      text = safeDecode(wrapped);
      continue;
    }
    const decoded = safeDecode(text);
    if (decoded === text) break;
    text = decoded;
  }
  return '';
}

/** Every click id the install carries back to us: the Play referrer's and the deep link's. */
export function installClickIds(install: Install): Set<string> {
  const ids = new Set<string>();
  const fromReferrer = install.install_referrer ? clickIdFromReferrer(install.install_referrer.referrer) : '';
  if (fromReferrer !== '') ids.add(fromReferrer);
  const direct = install.click_id.trim();
  if (direct !== '') ids.add(direct);
  return ids;
}
