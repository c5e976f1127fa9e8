import type { DeviceState } from '@unmogrowp/pipeline';
import type { DeepLink } from '@unmogrowp/storage';

/** What `GET /v1/attribution/:device_id` answers for a decided device (docs/deep-links.md). */
export interface AttributionAnswer {
  status: 'attributed' | 'organic' | 'rejected' | 'reinstall';
  media_source: string;
  campaign: string | null;
  ad_set: string | null;
  ad: string | null;
  site_id: string | null;
  match_type: string;
  link_id: string | null;
  click_id: string | null;
  install_id: string;
  installed_at: string;
  /** false for a reinstall: the app must not route the user again to the deep link of the first install */
  is_first_launch: boolean;
  is_reinstall: boolean;
  reinstalled_at: string | null;
  is_reattribution: boolean;
  /** a retargeting click brought an installed user back; `deep_link` is that click's */
  is_reengagement: boolean;
  reengagement: { media_source: string; campaign: string | null; link_id: string | null; at: string } | null;
  deep_link: DeepLink | null;
}

const orNull = (s: string) => (s === '' ? null : s);
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Pure: the device's registry state and a lookup of links' deep links → the answer.
 *  - attributed: the winning touch's link's deep link; organic and rejected: none;
 *  - reinstall inside the re-attribution window: the original attribution, `is_first_launch:
 *    false` and no deep link (replaying the first install's would send a returning user to a
 *    stale screen); after the window the engine decides afresh (`is_reattribution`);
 *  - a re-engagement newer than the (re)install: the retargeting link's deep link.
 */
export function attributionAnswer(state: DeviceState, deepLinkOf: (linkId: string) => DeepLink | null): AttributionAnswer {
  const a = state.attribution;
  const reinstall = state.reinstalled_at !== undefined;
  const since = state.reinstalled_at ?? state.installed_at;
  const re = state.reengagements.at(-1);
  const reengaged = re !== undefined && re.at >= since ? re : undefined;
  let deepLink: DeepLink | null = null;
  if (reengaged) deepLink = reengaged.credit.link_id ? deepLinkOf(reengaged.credit.link_id) : null;
  else if (!reinstall && a.status === 'attributed' && a.link_id) deepLink = deepLinkOf(a.link_id);
  return {
    status: reinstall ? 'reinstall' : a.status,
    media_source: a.media_source,
    campaign: orNull(a.campaign),
    ad_set: orNull(a.ad_set),
    ad: orNull(a.ad),
    site_id: orNull(a.site_id),
    match_type: a.match_type,
    link_id: orNull(a.link_id),
    click_id: orNull(a.click_id),
    install_id: state.install_id,
    installed_at: iso(state.installed_at),
    is_first_launch: !reinstall,
    is_reinstall: reinstall,
    reinstalled_at: reinstall ? iso(since) : null,
    is_reattribution: a.is_reattribution,
    is_reengagement: reengaged !== undefined,
    reengagement: reengaged
      ? {
          media_source: reengaged.credit.media_source,
          campaign: orNull(reengaged.credit.campaign),
          link_id: orNull(reengaged.credit.link_id),
          at: iso(reengaged.at),
        }
      : null,
    deep_link: deepLink,
  };
}
