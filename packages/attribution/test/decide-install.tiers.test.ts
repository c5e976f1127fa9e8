import { attributed, type Case, MIN, ORGANIC, referrer, runCases } from './decide-install.harness.ts';
import { adClick, adView, click, DAY, HOUR, impression, ipClick } from './fixtures.ts';

const cases: Case[] = [
  // Each tier over each lower one, even when the lower touch is more recent.
  {
    name: 'referrer beats a newer device-id click',
    install: referrer('click_id=r1'),
    touches: [click({ id: 'r1', ago: 2 * HOUR }), adClick('d1', HOUR)],
    expect: attributed('referrer', 'r1'),
  },
  {
    name: 'referrer beats a newer probabilistic click',
    install: referrer('click_id=r1'),
    touches: [click({ id: 'r1', ago: 2 * HOUR }), ipClick('p1', HOUR)],
    expect: attributed('referrer', 'r1'),
  },
  {
    name: 'referrer beats a newer impression',
    install: referrer('click_id=r1'),
    touches: [click({ id: 'r1', ago: 2 * HOUR }), adView('v1', HOUR)],
    expect: attributed('referrer', 'r1'),
  },
  {
    name: 'device-id click beats a newer probabilistic click',
    touches: [adClick('d1', 2 * HOUR), ipClick('p1', HOUR)],
    expect: attributed('device_id', 'd1'),
  },
  {
    name: 'device-id click beats a newer impression',
    touches: [adClick('d1', 2 * HOUR), adView('v1', HOUR)],
    expect: attributed('device_id', 'd1'),
  },
  {
    name: 'probabilistic click beats a newer impression',
    touches: [ipClick('p1', 2 * HOUR), adView('v1', HOUR)],
    expect: attributed('probabilistic', 'p1'),
  },
  { name: 'an impression alone is view-through', touches: [adView('v1', HOUR)], expect: attributed('view_through', 'v1') },

  // Ways the click id comes back.
  {
    name: 'deep-link click_id is the referrer tier',
    install: { click_id: 'r1' },
    touches: [click({ id: 'r1', ago: HOUR }), adClick('d1', MIN)],
    expect: attributed('referrer', 'r1'),
  },
  {
    name: 'referrer among other params, percent-encoded',
    install: referrer('utm_source%3Dgoogle-play%26click_id%3Dr1%26utm_medium%3Dcpc'),
    touches: [click({ id: 'r1', ago: HOUR })],
    expect: attributed('referrer', 'r1'),
  },
  {
    name: 'referrer encoded twice',
    install: referrer('click_id%253Dr1%2526x%253Dy'),
    touches: [click({ id: 'r1', ago: HOUR })],
    expect: attributed('referrer', 'r1'),
  },
  {
    name: 'referrer naming an unknown click id falls through to lower tiers',
    install: referrer('click_id=nope'),
    touches: [click({ id: 'r1', ago: HOUR }), adClick('d1', 2 * HOUR)],
    expect: attributed('device_id', 'd1'),
  },
  {
    name: 'an impression id in the referrer is not a referrer click',
    install: referrer('click_id=v1'),
    touches: [impression({ id: 'v1', ago: HOUR })],
    expect: ORGANIC,
  },

  // Latest touch inside a tier.
  {
    name: 'latest of two referrer clicks (referrer and deep link)',
    install: { ...referrer('click_id=r1'), click_id: 'r2' },
    touches: [click({ id: 'r1', ago: HOUR }), click({ id: 'r2', ago: 2 * HOUR })],
    expect: attributed('referrer', 'r1'),
  },
  {
    name: 'latest of two device-id clicks',
    touches: [adClick('d1', 3 * HOUR), adClick('d2', HOUR), adClick('d3', 2 * HOUR)],
    expect: attributed('device_id', 'd2'),
  },
  {
    name: 'latest of two probabilistic clicks',
    touches: [ipClick('p1', HOUR), ipClick('p2', 5 * HOUR)],
    expect: attributed('probabilistic', 'p1'),
  },
  { name: 'latest of two impressions', touches: [adView('v1', 5 * HOUR), adView('v2', HOUR)], expect: attributed('view_through', 'v2') },
  {
    name: 'equal times: larger touch id, whatever the input order (a)',
    touches: [adClick('d1', HOUR), adClick('d2', HOUR)],
    expect: attributed('device_id', 'd2'),
  },
  {
    name: 'equal times: larger touch id, whatever the input order (b)',
    touches: [adClick('d2', HOUR), adClick('d1', HOUR)],
    expect: attributed('device_id', 'd2'),
  },

  // Click window: inclusive far edge, per link or per app.
  { name: 'device-id click 1 ms inside 7 days', touches: [adClick('d1', 7 * DAY - 1)], expect: attributed('device_id', 'd1') },
  { name: 'device-id click exactly 7 days old counts', touches: [adClick('d1', 7 * DAY)], expect: attributed('device_id', 'd1') },
  { name: 'device-id click 1 ms past 7 days does not', touches: [adClick('d1', 7 * DAY + 1)], expect: ORGANIC },
  {
    name: 'the link window (2 h) overrides the app window',
    touches: [adClick('d1', 3 * HOUR, { click_window_ms: 2 * HOUR })],
    expect: ORGANIC,
  },
  {
    name: 'a longer link window (30 d) reaches further',
    touches: [adClick('d1', 20 * DAY, { click_window_ms: 30 * DAY })],
    expect: attributed('device_id', 'd1'),
  },
  {
    name: 'the app click window setting applies without a link window',
    touches: [adClick('d1', 2 * DAY)],
    settings: (s) => {
      s.click_window_hours = 24;
    },
    expect: ORGANIC,
  },
  {
    name: 'referrer click outside its window is not credited',
    install: referrer('click_id=r1'),
    touches: [click({ id: 'r1', ago: 8 * DAY })],
    expect: ORGANIC,
  },
  {
    name: 'referrer click exactly on the edge of its window is',
    install: { click_id: 'r1' },
    touches: [click({ id: 'r1', ago: 2 * HOUR, click_window_ms: 2 * HOUR })],
    expect: attributed('referrer', 'r1'),
  },

  // View-through window.
  { name: 'impression exactly 24 h old counts', touches: [adView('v1', 24 * HOUR)], expect: attributed('view_through', 'v1') },
  { name: 'impression 24 h + 1 ms old does not', touches: [adView('v1', 24 * HOUR + 1)], expect: ORGANIC },
  {
    name: 'link view window of 48 h',
    touches: [adView('v1', 30 * HOUR, { view_window_ms: 48 * HOUR })],
    expect: attributed('view_through', 'v1'),
  },
  {
    name: 'app view window of 2 h',
    touches: [adView('v1', 3 * HOUR)],
    settings: (s) => {
      s.view_window_hours = 2;
    },
    expect: ORGANIC,
  },
];

runCases('decideInstall: tiers, click ids and windows', cases);
