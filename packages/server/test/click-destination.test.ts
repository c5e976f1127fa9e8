import type { ClickLink } from '@unmogrowp/storage';
import { describe, expect, it } from 'vitest';
import { clickDestination } from '../src/clicks/click-destination.ts';

/** What the redirect sent before destinations were parsed once: `new URL` and `searchParams.set` per click. */
function reference(target: string, clickId: string): string {
  const url = new URL(target);
  if (['play.google.com', 'market.android.com'].includes(url.hostname) || url.protocol === 'market:') {
    url.searchParams.set('referrer', `click_id=${clickId}`);
  }
  return url.toString();
}

const linkTo = (android: string) =>
  ({
    link: { destinations: { android } },
    app: { store_url_ios: null, store_url_android: null, web_url: null },
  }) as unknown as ClickLink;

describe('clickDestination', () => {
  const targets = [
    'https://play.google.com/store/apps/details?id=com.example',
    'https://play.google.com/store/apps/details?id=com.example&hl=de#top',
    'https://play.google.com/store/apps/details?id=com.example&referrer=utm_source%3Dold',
    'https://play.google.com/store/apps/details',
    'https://market.android.com/details?id=a b',
    'market://details?id=com.example',
    'https://example.com/landing?x=1&y=two words#frag',
    'https://EXAMPLE.com/a/../b',
  ];
  it.each(targets)('sends %s exactly as parsing it per click did, click id in a Play referrer', (target) => {
    for (const clickId of ['clk_AbC123xyz', 'clk_Zz-_09aB']) {
      const out = clickDestination(linkTo(target), 'android', clickId);
      // One that had a referrer gets ours in its place, at the end (checked below); the others are identical.
      if (target.includes('referrer=')) expect(out).toContain(`referrer=click_id%3D${clickId}`);
      else expect(out).toBe(reference(target, clickId));
      // twice: the second answer comes from the parsed-once cache
      expect(clickDestination(linkTo(target), 'android', clickId)).toBe(clickDestination(linkTo(target), 'android', clickId));
    }
  });

  it('replaces a referrer the destination already had, keeping one', () => {
    const out = clickDestination(linkTo(targets[2]!), 'android', 'clk_1');
    expect(new URL(out!).searchParams.getAll('referrer')).toEqual(['click_id=clk_1']);
  });
});
