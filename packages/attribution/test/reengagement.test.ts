import { describe, expect, it } from 'vitest';
import {
  type AppOpen,
  activeAttribution,
  type Credit,
  DAY_MS,
  decideReengagement,
  defaultSettings,
  type Reengagement,
  type Touchpoint,
} from '../src/index.ts';
import { AD_ID, adClick, click, DAY, HOUR, T } from './fixtures.ts';

const INSTALLED_AT = T - 60 * DAY;
const open = (o: Partial<AppOpen> = {}): AppOpen => ({
  app_id: 'app1',
  device_id: 'dev1',
  advertising_id: AD_ID,
  ts: T,
  click_id: '',
  ...o,
});
const rt = (id: string, ago: number, o: Partial<Touchpoint> = {}) => adClick(id, ago, { is_retargeting: true, ...o });

interface Case {
  name: string;
  open?: Partial<AppOpen>;
  touches: Touchpoint[];
  last?: number | null;
  expect: { match_type: 'referrer' | 'device_id' | 'none'; winner: string | null };
}

const none = { match_type: 'none' as const, winner: null };
const cases: Case[] = [
  { name: 'retargeting click by advertising id', touches: [rt('r1', HOUR)], expect: { match_type: 'device_id', winner: 'r1' } },
  {
    name: 'deep-link click id beats a newer device-id click',
    open: { click_id: 'r1' },
    touches: [rt('r1', 2 * HOUR, { advertising_id: '' }), rt('r2', HOUR)],
    expect: { match_type: 'referrer', winner: 'r1' },
  },
  {
    name: 'a deep-link click id is matched whatever whitespace it arrived with',
    open: { click_id: ' r1 ' },
    touches: [rt('r1', 2 * HOUR, { advertising_id: '' })],
    expect: { match_type: 'referrer', winner: 'r1' },
  },
  {
    name: 'latest retargeting click wins',
    touches: [rt('r1', 3 * HOUR), rt('r2', HOUR)],
    expect: { match_type: 'device_id', winner: 'r2' },
  },
  { name: 'a user-acquisition click does not re-engage', touches: [adClick('u1', HOUR)], expect: none },
  { name: 'an impression does not re-engage', touches: [{ ...rt('v1', HOUR), kind: 'impression' }], expect: none },
  { name: 'click exactly on the 7-day edge', touches: [rt('r1', 7 * DAY)], expect: { match_type: 'device_id', winner: 'r1' } },
  { name: 'click outside the 7-day window', touches: [rt('r1', 7 * DAY + 1)], expect: none },
  { name: 'click outside a 1-hour link window', touches: [rt('r1', 2 * HOUR, { click_window_ms: HOUR })], expect: none },
  {
    name: 'click before the install is acquisition, not re-engagement',
    touches: [rt('r1', 61 * DAY, { click_window_ms: 90 * DAY })],
    expect: none,
  },
  { name: 'click after the open is ignored', touches: [rt('r1', -1)], expect: none },
  { name: "another app's click is ignored", touches: [rt('r1', HOUR, { app_id: 'app2' })], expect: none },
  { name: 'a flood-flagged click is ignored', touches: [rt('r1', HOUR, { fraud_reason: 'click_flood' })], expect: none },
  { name: 'the click already credited does not re-engage again', last: T - HOUR, touches: [rt('r1', HOUR)], expect: none },
  {
    name: 'a newer click than the credited one does',
    last: T - 2 * HOUR,
    touches: [rt('r1', HOUR)],
    expect: { match_type: 'device_id', winner: 'r1' },
  },
  {
    name: 'an all-zero advertising id never matches',
    open: { advertising_id: '00000000-0000-0000-0000-000000000000' },
    touches: [rt('r1', HOUR, { advertising_id: '00000000-0000-0000-0000-000000000000' })],
    expect: none,
  },
  {
    name: 'another device’s click does not match',
    touches: [click({ id: 'r1', ago: HOUR, is_retargeting: true, advertising_id: 'ffff' })],
    expect: none,
  },
];

describe('decideReengagement', () => {
  it.each(cases)('$name', (c) => {
    const d = decideReengagement(
      open(c.open),
      c.touches,
      { installed_at: INSTALLED_AT, last_reengagement_touch_at: c.last ?? null },
      defaultSettings(),
    );
    expect({ match_type: d.match_type, winner: d.winner?.touch_id ?? null }).toEqual(c.expect);
    expect(d.reengaged).toBe(c.expect.winner !== null);
    if (d.winner)
      expect(d).toMatchObject({ touch_at: d.winner.ts, credit: { media_source: d.winner.media_source, click_id: d.winner.touch_id } });
  });
});

const credit = (media_source: string): Credit => ({
  media_source,
  campaign: `c-${media_source}`,
  ad_set: '',
  ad: '',
  site_id: '',
  link_id: '',
  click_id: '',
  network_click_id: '',
});

describe('activeAttribution', () => {
  const install = credit('install-net');
  const r1: Reengagement = { at: T, credit: credit('rt-a') };
  const r2: Reengagement = { at: T + 10 * DAY_MS, credit: credit('rt-b') };
  const table: [string, number, Reengagement[], string][] = [
    ['no re-engagement: the install', T + DAY_MS, [], 'install-net'],
    ['before the re-engagement: the install', T - 1, [r1], 'install-net'],
    ['at the open itself', T, [r1], 'rt-a'],
    ['exactly 30 days after', T + 30 * DAY_MS, [r1], 'rt-a'],
    ['30 days + 1 ms after: back to the install', T + 30 * DAY_MS + 1, [r1], 'install-net'],
    ['the latest of overlapping re-engagements', T + 15 * DAY_MS, [r2, r1], 'rt-b'],
    ['the later one while it still covers the event', T + 35 * DAY_MS, [r1, r2], 'rt-b'],
    ['both expired', T + 41 * DAY_MS, [r1, r2], 'install-net'],
  ];
  it.each(table)('%s', (_name, at, list, source) => {
    const a = activeAttribution(at, install, list, defaultSettings());
    expect(a.credit.media_source).toBe(source);
    expect(a.source).toBe(source === 'install-net' ? 'install' : 'reengagement');
  });

  it('follows the re-engagement window setting', () => {
    const s = defaultSettings();
    s.reengagement_window_days = 7;
    expect(activeAttribution(T + 8 * DAY_MS, install, [r1], s).source).toBe('install');
    expect(activeAttribution(T + 7 * DAY_MS, install, [r1], s)).toEqual({ source: 'reengagement', credit: r1.credit, reengaged_at: T });
  });
});
