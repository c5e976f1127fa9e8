import { describe, expect, it } from 'vitest';
import { compileCidrs, decideInstall, defaultSettings } from '../src/index.ts';
import { attributed, type Case, ORGANIC, ORIGINAL, prior, referrer, rejected, runCases } from './decide-install.harness.ts';
import { adClick, adView, click, DAY, HOUR, install, T } from './fixtures.ts';

const cases: Case[] = [
  // Reinstall and re-attribution.
  {
    name: 'reinstall inside 90 days keeps the original attribution',
    prior: prior(30 * DAY),
    touches: [adClick('d1', HOUR)],
    expect: { status: 'reinstall', match_type: 'device_id', winner: null },
  },
  {
    name: 'reinstall exactly 90 days after',
    prior: prior(90 * DAY),
    touches: [adClick('d1', HOUR)],
    expect: { status: 'reinstall', match_type: 'device_id', winner: null },
  },
  {
    name: 'after 90 days + 1 ms: attributed afresh as a re-attribution',
    prior: prior(90 * DAY + 1),
    touches: [adClick('d1', HOUR)],
    expect: { ...attributed('device_id', 'd1'), is_reattribution: true },
  },
  {
    name: 'after the window without a touch: organic re-attribution',
    prior: prior(200 * DAY),
    touches: [],
    expect: { ...ORGANIC, is_reattribution: true },
  },
  {
    name: 'a 30-day re-attribution window setting',
    prior: prior(31 * DAY),
    touches: [adClick('d1', HOUR)],
    settings: (s) => {
      s.reattribution_window_days = 30;
    },
    expect: { ...attributed('device_id', 'd1'), is_reattribution: true },
  },
  {
    name: 'a reinstall credits nothing new, so fraud rules do not run',
    prior: prior(DAY),
    touches: [adClick('d1', 1000)],
    settings: (s) => {
      s.fraud.blocked_cidrs = ['198.51.100.0/24'];
    },
    expect: { status: 'reinstall', match_type: 'device_id', winner: null },
  },

  // Fraud rules.
  { name: 'CTIT 9.999 s: ctit_too_short', touches: [adClick('d1', 9_999)], expect: rejected('ctit_too_short', 'device_id', 'd1') },
  { name: 'CTIT exactly 10 s passes', touches: [adClick('d1', 10_000)], expect: attributed('device_id', 'd1') },
  {
    name: 'CTIT rule switched off',
    touches: [adClick('d1', 2_000)],
    settings: (s) => {
      s.fraud.ctit_enabled = false;
    },
    expect: attributed('device_id', 'd1'),
  },
  {
    name: 'CTIT threshold setting of 60 s',
    touches: [adClick('d1', 30_000)],
    settings: (s) => {
      s.fraud.ctit_min_seconds = 60;
    },
    expect: rejected('ctit_too_short', 'device_id', 'd1'),
  },
  { name: 'CTIT does not apply to view-through', touches: [adView('v1', 2_000)], expect: attributed('view_through', 'v1') },
  {
    name: 'a rejected winner does not fall back to an older click',
    install: { click_id: 'r1' },
    touches: [click({ id: 'r1', ago: 3_000 }), adClick('d1', HOUR)],
    expect: rejected('ctit_too_short', 'referrer', 'r1'),
  },
  {
    name: 'referrer click_ts after install_begin_ts: click_injection',
    install: { ...referrer('click_id=r1', T / 1000 - 30, T / 1000 - 60) },
    touches: [click({ id: 'r1', ago: HOUR })],
    expect: rejected('click_injection', 'referrer', 'r1'),
  },
  {
    // The boundary: Play's click in the very second the download began is not injected (> not >=).
    name: 'referrer click_ts equal to install_begin_ts passes',
    install: { ...referrer('click_id=r1', T / 1000 - 60, T / 1000 - 60) },
    touches: [click({ id: 'r1', ago: HOUR })],
    expect: attributed('referrer', 'r1'),
  },
  {
    name: 'referrer click_ts before install_begin_ts passes',
    install: { ...referrer('click_id=r1', T / 1000 - 3_700, T / 1000 - 60) },
    touches: [click({ id: 'r1', ago: HOUR })],
    expect: attributed('referrer', 'r1'),
  },
  {
    // Play reports whole seconds: a click in the same second the download began is not proof of injection.
    name: 'referrer click_ts equal to install_begin_ts passes',
    install: { ...referrer('click_id=r1', T / 1000 - 60, T / 1000 - 60) },
    touches: [click({ id: 'r1', ago: HOUR })],
    expect: attributed('referrer', 'r1'),
  },
  {
    // Only a click can be injected; an impression logged after the download began is ordinary.
    name: 'a view-through winner after the download began is not click_injection',
    install: { ...referrer('', null, (T - 60_000) / 1000) },
    touches: [adView('v1', 30_000)],
    expect: attributed('view_through', 'v1'),
  },
  {
    // install_begin_ts 0 means Play did not report it: no evidence, so no rejection.
    name: 'an unknown (0) install_begin_ts never rejects',
    install: { ...referrer('click_id=r1', T / 1000 - 30, 0) },
    touches: [click({ id: 'r1', ago: HOUR })],
    expect: attributed('referrer', 'r1'),
  },
  {
    name: 'winning click a second after the download began: click_injection',
    install: { ...referrer('', null, (T - 60_000) / 1000) },
    touches: [adClick('d1', 59_000)],
    expect: rejected('click_injection', 'device_id', 'd1'),
  },
  {
    name: 'winning click in the same second the download began passes',
    install: { ...referrer('', null, (T - 60_000) / 1000) },
    touches: [adClick('d1', 59_500)],
    expect: attributed('device_id', 'd1'),
  },
  {
    name: 'click injection rule switched off',
    install: { ...referrer('click_id=r1', T / 1000 - 30, T / 1000 - 60) },
    touches: [click({ id: 'r1', ago: HOUR })],
    settings: (s) => {
      s.fraud.click_injection_enabled = false;
    },
    expect: attributed('referrer', 'r1'),
  },
  {
    name: 'click injection outranks a short CTIT',
    install: { ...referrer('click_id=r1', T / 1000 - 2, T / 1000 - 60) },
    touches: [click({ id: 'r1', ago: 2_000 })],
    expect: rejected('click_injection', 'referrer', 'r1'),
  },
  {
    name: "install IP in the app's IPv4 block list",
    touches: [adClick('d1', HOUR)],
    settings: (s) => {
      s.fraud.blocked_cidrs = ['198.51.100.0/24'];
    },
    expect: rejected('blocked_ip', 'device_id', 'd1'),
  },
  {
    name: 'install IP just outside the block list',
    touches: [adClick('d1', HOUR)],
    settings: (s) => {
      s.fraud.blocked_cidrs = ['198.51.100.0/30'];
    },
    expect: attributed('device_id', 'd1'),
  },
  {
    name: 'install IPv6 in the global block list',
    install: { ip: '2001:db8:abcd:12::1' },
    touches: [adClick('d1', HOUR)],
    global: ['2001:db8:abcd::/48'],
    expect: rejected('blocked_ip', 'device_id', 'd1'),
  },
  {
    name: 'install IPv6 outside the global block list',
    install: { ip: '2001:db8:abce::1' },
    touches: [adClick('d1', HOUR)],
    global: ['2001:db8:abcd::/48'],
    expect: attributed('device_id', 'd1'),
  },
  {
    name: 'IPv4-mapped install IP against an IPv4 range, precompiled list',
    install: { ip: '::ffff:198.51.100.7' },
    touches: [adClick('d1', HOUR)],
    global: compileCidrs(['198.51.0.0/16']),
    expect: rejected('blocked_ip', 'device_id', 'd1'),
  },
  {
    name: 'blocked IP rejects an install with no winner',
    touches: [],
    global: ['198.51.100.7'],
    expect: rejected('blocked_ip', 'none', null),
  },
  {
    name: 'blocked IP rule switched off (global list too)',
    touches: [adClick('d1', HOUR)],
    global: ['0.0.0.0/0'],
    settings: (s) => {
      s.fraud.blocked_ip_enabled = false;
    },
    expect: attributed('device_id', 'd1'),
  },
  {
    name: 'blocked IP outranks click injection and CTIT',
    install: { ...referrer('click_id=r1', T / 1000 - 2, T / 1000 - 60) },
    touches: [click({ id: 'r1', ago: 2_000 })],
    global: ['198.51.100.0/24'],
    expect: rejected('blocked_ip', 'referrer', 'r1'),
  },
];

runCases('decideInstall: reinstall, re-attribution and fraud', cases);

describe('decideInstall: row fields', () => {
  it('an attributed install carries the winner credit, touch time and whole-second CTIT', () => {
    const d = decideInstall(install(), [adClick('d1', 90_500)], null, defaultSettings());
    expect(d).toMatchObject({
      media_source: 'network-d1',
      campaign: 'campaign-d1',
      link_id: 'link-d1',
      click_id: 'd1',
      network_click_id: 'net-d1',
      touch_at: T - 90_500,
      ctit_seconds: 90,
    });
  });

  it('an organic install names media source organic and no touch', () => {
    const d = decideInstall(install(), [], null, defaultSettings());
    expect(d).toMatchObject({ media_source: 'organic', campaign: '', click_id: '', touch_at: null, ctit_seconds: null });
  });

  it('a rejected install keeps the would-be credit for the fraud report', () => {
    const d = decideInstall(install(), [adClick('d1', 1_000)], null, defaultSettings());
    expect(d).toMatchObject({ status: 'rejected', media_source: 'network-d1', ctit_seconds: 1, touch_at: T - 1_000 });
  });

  it('a rejected install without a winner names no source (neither organic nor a network)', () => {
    const d = decideInstall(install(), [], null, defaultSettings(), ['198.51.100.7/32']);
    expect(d.media_source).toBe('');
  });

  it('a reinstall copies only attribution fields from the stored row', () => {
    const row = { ...ORIGINAL, install_id: 'should-not-leak' };
    const d = decideInstall(install(), [], { installed_at: T - DAY, attribution: row }, defaultSettings());
    expect(d).toEqual({ ...ORIGINAL, status: 'reinstall', winner: null });
  });
});
