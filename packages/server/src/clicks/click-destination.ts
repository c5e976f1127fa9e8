import type { Platform } from '@unmogrowp/schema';
import type { ClickLink } from '@unmogrowp/storage';

const PLAY_HOSTS = new Set(['play.google.com', 'market.android.com']);

/**
 * Where a click goes (API.md §2): the link's destination for the visitor's platform, else the
 * app's store for that platform, else the web fallback. A Google Play destination carries our
 * click id in its `referrer`, which the Install Referrer API hands back to the app.
 */
export function clickDestination({ link, app }: ClickLink, platform: Platform, clickId: string): string | null {
  const store = platform === 'ios' ? app.store_url_ios : platform === 'android' ? app.store_url_android : null;
  const target = link.destinations[platform] || store || link.destinations.web || app.web_url;
  if (!target) return null;
  const url = new URL(target);
  if (PLAY_HOSTS.has(url.hostname) || url.protocol === 'market:') url.searchParams.set('referrer', `click_id=${clickId}`);
  return url.toString();
}
