import type { Platform } from '@unmogrowp/schema';
import type { ClickLink } from '@unmogrowp/storage';

const PLAY_HOSTS = new Set(['play.google.com', 'market.android.com']);

/**
 * Where a click goes (docs/api.md §2): the link's destination for the visitor's platform, else the
 * app's store for that platform, else the web fallback. A Google Play destination carries our
 * click id in its `referrer`, which the Install Referrer API hands back to the app.
 */
export function clickDestination({ link, app }: ClickLink, platform: Platform, clickId: string): string | null {
  const store = platform === 'ios' ? app.store_url_ios : platform === 'android' ? app.store_url_android : null;
  const target = link.destinations[platform] || store || link.destinations.web || app.web_url;
  if (!target) return null;
  const parsed = parsedTargets.get(target) ?? parseTarget(target);
  if (!parsed.play) return parsed.href;
  // What URLSearchParams.set('referrer', …) makes of a click id (its characters need no escaping but `=`).
  return `${parsed.href}${parsed.hasQuery ? '&' : '?'}referrer=click_id%3D${encodeURIComponent(clickId)}${parsed.hash}`;
}

interface ParsedTarget {
  /** the normalized URL, without `referrer` and without the fragment for a Play URL */
  href: string;
  play: boolean;
  hasQuery: boolean;
  hash: string;
}

/**
 * Destinations parsed once, not per click: a link has a few, and `new URL` plus its
 * serialization was the largest piece of the redirect's own work. Bounded so a stream of
 * changed links cannot grow it without end.
 */
const parsedTargets = new Map<string, ParsedTarget>();
const MAX_PARSED = 10_000;

function parseTarget(target: string): ParsedTarget {
  const url = new URL(target);
  const play = PLAY_HOSTS.has(url.hostname) || url.protocol === 'market:';
  const hash = play ? url.hash : '';
  if (play) {
    url.searchParams.delete('referrer');
    url.hash = '';
  }
  const parsed = { href: url.toString(), play, hasQuery: url.search.length > 1, hash };
  if (parsedTargets.size >= MAX_PARSED) parsedTargets.clear();
  parsedTargets.set(target, parsed);
  return parsed;
}
