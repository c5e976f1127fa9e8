import type { Attribution } from '@unmogrowp/attribution';
import type { DeviceState } from '@unmogrowp/pipeline';
import type { DeepLink } from '@unmogrowp/storage';
import { describe, expect, it } from 'vitest';
import { attributionAnswer } from '../../src/deep-links/attribution-answer.ts';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const credit = (media_source: string, link_id: string) => ({
  media_source,
  campaign: `${media_source}-c`,
  ad_set: '',
  ad: '',
  site_id: '',
  link_id,
  click_id: 'clk_1',
  network_click_id: '',
});
const attributed: Attribution = {
  ...credit('meta_ads', 'lnk_install'),
  status: 'attributed',
  match_type: 'referrer',
  touch_at: T0 - 60_000,
  ctit_seconds: 60,
  fraud_reason: '',
  is_reattribution: false,
};
const links: Record<string, DeepLink> = {
  lnk_install: { value: 'first', sub1: null, sub2: null, sub3: null, sub4: null, sub5: null, path: '/first' },
  lnk_winback: { value: 'winback', sub1: null, sub2: null, sub3: null, sub4: null, sub5: null, path: '/winback' },
};
const lookup = (id: string) => links[id] ?? null;
const state = (over: Partial<DeviceState> = {}): DeviceState => ({
  install_id: 'inst-1',
  installed_at: T0,
  attribution: attributed,
  reengagements: [],
  ...over,
});

describe('attributionAnswer', () => {
  it('answers the winning link\u2019s deep link on a first install, none when organic or rejected', () => {
    expect(attributionAnswer(state(), lookup)).toMatchObject({
      status: 'attributed',
      is_first_launch: true,
      deep_link: links.lnk_install,
      installed_at: '2026-03-01T10:00:00.000Z',
      ad_set: null,
    });
    const organic = { ...attributed, ...credit('organic', ''), status: 'organic' as const, match_type: 'none' as const };
    expect(attributionAnswer(state({ attribution: organic }), lookup).deep_link).toBeNull();
    const rejected = { ...attributed, status: 'rejected' as const, fraud_reason: 'ctit_too_short' as const };
    expect(attributionAnswer(state({ attribution: rejected }), lookup)).toMatchObject({ status: 'rejected', deep_link: null });
  });

  it('a reinstall keeps the attribution, is not a first launch and replays no deep link', () => {
    const answer = attributionAnswer(state({ reinstalled_at: T0 + 86_400_000 }), lookup);
    expect(answer).toMatchObject({
      status: 'reinstall',
      media_source: 'meta_ads',
      is_first_launch: false,
      is_reinstall: true,
      deep_link: null,
    });
    expect(answer.reinstalled_at).toBe('2026-03-02T10:00:00.000Z');
  });

  it('a re-engagement answers the retargeting link\u2019s deep link, unless a reinstall came after it', () => {
    const re = { at: T0 + 3_600_000, credit: credit('criteo', 'lnk_winback'), touch_at: T0 + 3_500_000 };
    expect(attributionAnswer(state({ reengagements: [re] }), lookup)).toMatchObject({
      status: 'attributed',
      is_reengagement: true,
      reengagement: { media_source: 'criteo', link_id: 'lnk_winback' },
      deep_link: links.lnk_winback,
    });
    const later = attributionAnswer(state({ reengagements: [re], reinstalled_at: T0 + 7_200_000 }), lookup);
    expect(later).toMatchObject({ is_reengagement: false, reengagement: null, deep_link: null });
    const after = attributionAnswer(state({ reengagements: [{ ...re, at: T0 + 9_000_000 }], reinstalled_at: T0 + 7_200_000 }), lookup);
    expect(after).toMatchObject({ status: 'reinstall', is_reengagement: true, deep_link: links.lnk_winback });
  });
});
