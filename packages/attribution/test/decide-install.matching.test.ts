import { attributed, type Case, ORGANIC, runCases } from './decide-install.harness.ts';
import { AD_ID, adClick, adView, click, DAY, HOUR, IP, impression, ipClick, ZERO_AD_ID } from './fixtures.ts';

const cases: Case[] = [
  // Probabilistic window: min(setting, link click window), never more than 24 h.
  { name: 'probabilistic click exactly 24 h old counts', touches: [ipClick('p1', 24 * HOUR)], expect: attributed('probabilistic', 'p1') },
  { name: 'probabilistic click 24 h + 1 ms old does not', touches: [ipClick('p1', 24 * HOUR + 1)], expect: ORGANIC },
  {
    name: 'probabilistic stays 24 h with a 30-day link window',
    touches: [ipClick('p1', 25 * HOUR, { click_window_ms: 30 * DAY })],
    expect: ORGANIC,
  },
  {
    name: 'probabilistic stays 24 h even if a stored setting says 48',
    touches: [ipClick('p1', 25 * HOUR)],
    settings: (s) => {
      s.probabilistic_window_hours = 48;
    },
    expect: ORGANIC,
  },
  {
    name: 'probabilistic shrinks to a 2 h link click window',
    touches: [ipClick('p1', 3 * HOUR, { click_window_ms: 2 * HOUR })],
    expect: ORGANIC,
  },
  {
    name: 'probabilistic window setting of 6 h',
    touches: [ipClick('p1', 7 * HOUR)],
    settings: (s) => {
      s.probabilistic_window_hours = 6;
    },
    expect: ORGANIC,
  },
  {
    name: 'probabilistic switched off',
    touches: [ipClick('p1', HOUR)],
    settings: (s) => {
      s.probabilistic_enabled = false;
    },
    expect: ORGANIC,
  },
  {
    name: 'probabilistic switched off still lets impressions count',
    touches: [ipClick('p1', HOUR), adView('v1', 2 * HOUR)],
    settings: (s) => {
      s.probabilistic_enabled = false;
    },
    expect: attributed('view_through', 'v1'),
  },
  { name: 'probabilistic needs the same OS version', touches: [ipClick('p1', HOUR, { os_version: '13' })], expect: ORGANIC },
  {
    name: 'probabilistic: 14.0 and 14 are the same version',
    touches: [ipClick('p1', HOUR, { os_version: '14.0' })],
    expect: attributed('probabilistic', 'p1'),
  },
  { name: 'probabilistic needs the same platform', touches: [ipClick('p1', HOUR, { platform: 'ios' })], expect: ORGANIC },
  {
    name: 'probabilistic needs a known OS version on both sides',
    install: { os_version: '' },
    touches: [ipClick('p1', HOUR, { os_version: '' })],
    expect: ORGANIC,
  },
  {
    // An empty IP equal to another empty IP proves nothing (found by mutation testing: the guard was untested).
    name: 'probabilistic needs a known IP on both sides',
    install: { ip: '' },
    touches: [ipClick('p1', HOUR, { ip: '' })],
    expect: ORGANIC,
  },
  {
    // Probabilistic matching is for clicks only; an impression needs the advertising id (view-through).
    name: 'an impression with the same IP, platform and OS is not a probabilistic match',
    install: { advertising_id: '' },
    touches: [impression({ id: 'v1', ago: HOUR, ip: IP })],
    expect: ORGANIC,
  },
  {
    name: 'probabilistic compares IPv6 addresses, not their spelling',
    install: { ip: '2001:DB8::7' },
    touches: [ipClick('p1', HOUR, { ip: '2001:db8:0:0:0:0:0:7' })],
    expect: attributed('probabilistic', 'p1'),
  },
  {
    name: 'probabilistic: an IPv4-mapped socket address equals plain IPv4',
    install: { ip: `::ffff:${IP}` },
    touches: [ipClick('p1', HOUR)],
    expect: attributed('probabilistic', 'p1'),
  },

  // What never counts.
  { name: 'a click after the install is ignored', touches: [adClick('d1', -1000)], expect: ORGANIC },
  { name: 'a click at the install millisecond is ignored', touches: [adClick('d1', 0)], expect: ORGANIC },
  { name: "another app's click is ignored", touches: [adClick('d1', HOUR, { app_id: 'app2' })], expect: ORGANIC },
  {
    name: "another app's referrer click is ignored",
    install: { click_id: 'r1' },
    touches: [click({ id: 'r1', ago: HOUR, app_id: 'app2' })],
    expect: ORGANIC,
  },
  {
    name: 'a fraud-flagged click is ignored; the next tier wins',
    touches: [adClick('d1', HOUR, { fraud_reason: 'click_flood' }), adView('v1', 2 * HOUR)],
    expect: attributed('view_through', 'v1'),
  },
  {
    name: 'a flagged referrer click is ignored',
    install: { click_id: 'r1' },
    touches: [click({ id: 'r1', ago: HOUR, fraud_reason: 'click_flood' })],
    expect: ORGANIC,
  },
  {
    name: 'all-zero advertising ids never match clicks',
    install: { advertising_id: ZERO_AD_ID },
    touches: [click({ id: 'd1', ago: HOUR, advertising_id: ZERO_AD_ID })],
    expect: ORGANIC,
  },
  {
    name: 'all-zero advertising ids never match impressions',
    install: { advertising_id: ZERO_AD_ID },
    touches: [impression({ id: 'v1', ago: HOUR, advertising_id: ZERO_AD_ID })],
    expect: ORGANIC,
  },
  {
    name: 'empty advertising ids never match',
    install: { advertising_id: '' },
    touches: [click({ id: 'd1', ago: HOUR, advertising_id: '' })],
    expect: ORGANIC,
  },
  {
    name: 'advertising ids match whatever their case',
    touches: [adClick('d1', HOUR, { advertising_id: AD_ID.toUpperCase() })],
    expect: attributed('device_id', 'd1'),
  },
  { name: 'no touchpoints: organic', touches: [], expect: ORGANIC },
  {
    name: 'a click from another device: organic',
    touches: [click({ id: 'x', ago: HOUR, advertising_id: 'cccccccc-0000-0000-0000-000000000001' })],
    expect: ORGANIC,
  },
];

runCases('decideInstall: probabilistic matching and what never counts', cases);
