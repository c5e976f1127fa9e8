import { describe, expect, it } from 'vitest';
import type { AttributionSettings, SettingsAnswer } from '../src/lib/api/settings.api.ts';
import {
  BLOCKED_CIDRS,
  defaultText,
  errorsByField,
  formFromSettings,
  NUMBER_SETTINGS,
  parseCidrList,
  rangeText,
  type SettingPath,
  settingAt,
  settingsPatch,
  TOGGLE_SETTINGS,
} from '../src/lib/settings-form.ts';

/** A stored state unlike the defaults in every field, so a swapped path shows. */
const saved: AttributionSettings = {
  click_window_hours: 48,
  view_window_hours: 12,
  probabilistic_enabled: true,
  probabilistic_window_hours: 6,
  reattribution_window_days: 60,
  reengagement_window_days: 14,
  retention_days: 180,
  fraud: {
    ctit_enabled: true,
    ctit_min_seconds: 15,
    click_injection_enabled: false,
    click_flood_enabled: true,
    click_flood_max_per_hour: 80,
    blocked_ip_enabled: true,
    blocked_cidrs: ['203.0.113.0/24'],
  },
};
const ALL: SettingPath[] = [...NUMBER_SETTINGS, ...TOGGLE_SETTINGS, BLOCKED_CIDRS];

describe('settings form', () => {
  it('reads every setting by its dotted path', () => {
    const form = formFromSettings(saved);
    expect(form.numbers['fraud.ctit_min_seconds']).toBe(15);
    expect(form.numbers.retention_days).toBe(180);
    expect(form.toggles['fraud.click_injection_enabled']).toBe(false);
    expect(form.blockedCidrs).toBe('203.0.113.0/24');
    expect(settingAt(saved, 'fraud.click_flood_max_per_hour')).toBe(80);
  });

  it('sends nothing when nothing changed', () => {
    expect(settingsPatch(saved, formFromSettings(saved), ALL)).toEqual({});
  });

  it('sends only what changed among its own paths, fraud settings nested', () => {
    const form = formFromSettings(saved);
    form.numbers.click_window_hours = 1;
    form.numbers['fraud.ctit_min_seconds'] = '20';
    form.numbers.retention_days = 365;
    form.toggles.probabilistic_enabled = false;
    form.blockedCidrs = '203.0.113.0/24\n 2001:db8::/32, 10.0.0.1';
    const attribution = ALL.filter((p) => p !== 'retention_days');
    expect(settingsPatch(saved, form, attribution)).toEqual({
      click_window_hours: 1,
      probabilistic_enabled: false,
      fraud: { ctit_min_seconds: 20, blocked_cidrs: ['203.0.113.0/24', '2001:db8::/32', '10.0.0.1'] },
    });
    expect(settingsPatch(saved, form, ['retention_days'])).toEqual({ retention_days: 365 });
  });

  it('leaves the judging of a value to the server: empty is null, words are sent as typed', () => {
    const form = formFromSettings(saved);
    form.numbers.click_window_hours = null;
    form.numbers.view_window_hours = '';
    form.numbers.reengagement_window_days = 'two weeks';
    form.numbers.reattribution_window_days = '1.5';
    expect(settingsPatch(saved, form, ALL)).toEqual({
      click_window_hours: null,
      view_window_hours: null,
      reengagement_window_days: 'two weeks',
      reattribution_window_days: 1.5,
    });
  });

  it('puts each refusal of the server next to its field; a list entry belongs to the list', () => {
    const details = {
      errors: [
        { field: 'click_window_hours', message: 'must be a whole number from 1 to 720' },
        { field: 'fraud.blocked_cidrs[1]', message: '"x" is not an IPv4/IPv6 address or CIDR range' },
        { field: 'fraud.blocked_cidrs[3]', message: '"y" is not an IPv4/IPv6 address or CIDR range' },
        { field: 'retention_days', message: 'must be a whole number from 31 to 3650' },
        { field: 'colour', message: 'is not a setting' },
      ],
    };
    const attribution = ALL.filter((p) => p !== 'retention_days');
    expect(errorsByField(details, attribution)).toEqual({
      fields: {
        click_window_hours: 'must be a whole number from 1 to 720',
        'fraud.blocked_cidrs': '"x" is not an IPv4/IPv6 address or CIDR range; "y" is not an IPv4/IPv6 address or CIDR range',
      },
      other: ['retention_days must be a whole number from 31 to 3650', 'colour is not a setting'],
    });
    expect(errorsByField({}, ALL)).toEqual({ fields: {}, other: [] });
  });

  it('splits a pasted block list on lines, commas and spaces', () => {
    expect(parseCidrList(' 10.0.0.0/8,192.0.2.1\n\n2001:db8::/32 ;198.51.100.0/24 ')).toEqual([
      '10.0.0.0/8',
      '192.0.2.1',
      '2001:db8::/32',
      '198.51.100.0/24',
    ]);
  });

  it("words the server's defaults and limits", () => {
    const answer = {
      settings: saved,
      defaults: { ...saved, fraud: { ...saved.fraud, click_flood_max_per_hour: 1500, blocked_cidrs: [] } },
      limits: { click_window_hours: { min: 1, max: 720 }, click_flood_max_per_hour: { min: 1, max: 1_000_000 } },
    } as unknown as SettingsAnswer;
    expect(defaultText(answer, 'fraud.click_flood_max_per_hour')).toBe('1,500');
    expect(defaultText(answer, 'fraud.click_injection_enabled')).toBe('off');
    expect(defaultText(answer, 'probabilistic_enabled')).toBe('on');
    expect(defaultText(answer, BLOCKED_CIDRS)).toBe('empty');
    expect(rangeText(answer, 'click_window_hours')).toBe('1–720');
    expect(rangeText(answer, 'fraud.click_flood_max_per_hour')).toBe('1–1,000,000');
  });
});
