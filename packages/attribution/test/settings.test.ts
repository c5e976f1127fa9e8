import { describe, expect, it } from 'vitest';
import { defaultSettings, HOUR_MS, isCurrencyCode, mergeSettings, resolveTouchWindows, validateSettings } from '../src/index.ts';

describe('defaultSettings', () => {
  it('follows the industry defaults', () => {
    expect(defaultSettings()).toEqual({
      click_window_hours: 168,
      view_window_hours: 24,
      probabilistic_enabled: true,
      probabilistic_window_hours: 24,
      reattribution_window_days: 90,
      reengagement_window_days: 30,
      retention_days: 400,
      fraud: {
        ctit_enabled: true,
        ctit_min_seconds: 10,
        click_injection_enabled: true,
        click_flood_enabled: true,
        click_flood_max_per_hour: 50,
        blocked_ip_enabled: true,
        blocked_cidrs: [],
      },
    });
  });

  it('returns a fresh object each time', () => {
    const a = defaultSettings();
    a.fraud.blocked_cidrs.push('10.0.0.0/8');
    expect(defaultSettings().fraud.blocked_cidrs).toEqual([]);
  });
});

describe('validateSettings', () => {
  it('merges a valid partial onto the defaults', () => {
    const r = validateSettings({
      click_window_hours: 24,
      fraud: { ctit_min_seconds: 5, blocked_cidrs: [' 10.0.0.0/8 ', '2001:db8::/32'] },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.settings.click_window_hours).toBe(24);
    expect(r.settings.view_window_hours).toBe(24);
    expect(r.settings.fraud.ctit_min_seconds).toBe(5);
    expect(r.settings.fraud.ctit_enabled).toBe(true);
    expect(r.settings.fraud.blocked_cidrs).toEqual(['10.0.0.0/8', '2001:db8::/32']);
  });

  it('applies each fraud switch it is sent, and only those', () => {
    for (const key of ['ctit_enabled', 'click_injection_enabled', 'click_flood_enabled', 'blocked_ip_enabled'] as const) {
      const r = validateSettings({ fraud: { [key]: false } });
      expect(r.ok && r.settings.fraud).toEqual({ ...defaultSettings().fraud, [key]: false });
    }
  });

  it('merges onto a given base without changing it', () => {
    const base = defaultSettings();
    base.view_window_hours = 48;
    const r = validateSettings({ probabilistic_enabled: false }, base);
    expect(r).toMatchObject({ ok: true, settings: { view_window_hours: 48, probabilistic_enabled: false } });
    expect(base.probabilistic_enabled).toBe(true);
  });

  const accepted: [string, unknown][] = [
    ['click window 1 h', { click_window_hours: 1 }],
    ['click window 720 h', { click_window_hours: 720 }],
    ['view window 168 h', { view_window_hours: 168 }],
    ['probabilistic window 24 h', { probabilistic_window_hours: 24 }],
    ['empty object', {}],
  ];
  it.each(accepted)('accepts %s', (_name, input) => {
    expect(validateSettings(input).ok).toBe(true);
  });

  const refused: [string, unknown, string][] = [
    ['click window 0', { click_window_hours: 0 }, 'click_window_hours'],
    ['click window 721', { click_window_hours: 721 }, 'click_window_hours'],
    ['click window 1.5', { click_window_hours: 1.5 }, 'click_window_hours'],
    ['click window as a string', { click_window_hours: '24' }, 'click_window_hours'],
    ['view window 169', { view_window_hours: 169 }, 'view_window_hours'],
    ['probabilistic window 25', { probabilistic_window_hours: 25 }, 'probabilistic_window_hours'],
    ['probabilistic flag as a string', { probabilistic_enabled: 'yes' }, 'probabilistic_enabled'],
    ['reattribution window 0', { reattribution_window_days: 0 }, 'reattribution_window_days'],
    ['negative CTIT', { fraud: { ctit_min_seconds: -1 } }, 'fraud.ctit_min_seconds'],
    ['flood max 0', { fraud: { click_flood_max_per_hour: 0 } }, 'fraud.click_flood_max_per_hour'],
    ['a bad CIDR', { fraud: { blocked_cidrs: ['10.0.0.0/8', '10.0.0.0/33'] } }, 'fraud.blocked_cidrs[1]'],
    ['CIDRs not a list', { fraud: { blocked_cidrs: '10.0.0.0/8' } }, 'fraud.blocked_cidrs'],
    ['an unknown key', { click_window: 24 }, 'click_window'],
    ['an unknown fraud key', { fraud: { ctit_seconds: 5 } }, 'fraud.ctit_seconds'],
    ['fraud not an object', { fraud: true }, 'fraud'],
  ];
  it.each(refused)('refuses %s', (_name, input, field) => {
    const r = validateSettings(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.field)).toContain(field);
    for (const e of r.errors) expect(e.message.length).toBeGreaterThan(5);
  });

  it('refuses a non-object', () => {
    for (const body of [null, [], 'x', 7]) {
      expect(validateSettings(body)).toEqual({ ok: false, errors: [{ field: '', message: 'settings must be a JSON object' }] });
    }
  });

  it('keeps the stored block list when a patch does not send one', () => {
    const base = { ...defaultSettings(), fraud: { ...defaultSettings().fraud, blocked_cidrs: ['10.0.0.0/8'] } };
    const r = validateSettings({ click_window_hours: 48 }, base);
    expect(r.ok && r.settings.fraud.blocked_cidrs).toEqual(['10.0.0.0/8']);
  });

  it('takes up to 10,000 blocked ranges and refuses more, and names the entry that is not a range', () => {
    expect(validateSettings({ fraud: { blocked_cidrs: Array(10_000).fill('203.0.113.0/24') } }).ok).toBe(true);
    const tooMany = validateSettings({ fraud: { blocked_cidrs: Array(10_001).fill('203.0.113.0/24') } });
    expect(tooMany.ok ? [] : tooMany.errors).toEqual([{ field: 'fraud.blocked_cidrs', message: 'must hold at most 10000 ranges' }]);
    const bad = validateSettings({ fraud: { blocked_cidrs: ['203.0.113.0/24', 123, ' 10.0.0.0/8 ', 'nope'] } });
    expect(bad.ok ? [] : bad.errors.map((e) => e.field)).toEqual(['fraud.blocked_cidrs[1]', 'fraud.blocked_cidrs[3]']);
    const trimmed = validateSettings({ fraud: { blocked_cidrs: [' 10.0.0.0/8 '] } });
    expect(trimmed.ok && trimmed.settings.fraud.blocked_cidrs).toEqual(['10.0.0.0/8']);
  });

  it('reports every problem, not only the first', () => {
    const r = validateSettings({ click_window_hours: 0, view_window_hours: 0, fraud: { ctit_enabled: 1 } });
    expect(r.ok ? [] : r.errors.map((e) => e.field)).toEqual(['click_window_hours', 'view_window_hours', 'fraud.ctit_enabled']);
  });
});

describe('reporting_currency', () => {
  it('takes an ISO 4217 code in capitals, stored beside the rules (not one of them)', () => {
    const r = validateSettings({ reporting_currency: 'EUR' });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.settings).toEqual(defaultSettings());
    expect(isCurrencyCode('JPY')).toBe(true);
  });

  it.each(['eur', 'EURO', 'XEUR', 'XYZ', '', 978, null, ['EUR']])('refuses %j', (value) => {
    const r = validateSettings({ reporting_currency: value });
    expect(r.ok ? [] : r.errors).toEqual([
      { field: 'reporting_currency', message: 'must be an ISO-4217 currency code in capitals, e.g. "USD" or "EUR"' },
    ]);
    expect(isCurrencyCode(value)).toBe(false);
  });
});

describe('apple_app_id', () => {
  it.each(['525463029', '1', '1'.padEnd(20, '9'), null])('takes %j, stored beside the rules', (value) => {
    const r = validateSettings({ apple_app_id: value });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.settings).toEqual(defaultSettings());
  });

  it.each(['0525463029', '', 'abc', '12a', 'a12', '1'.padEnd(21, '9'), 525463029, true, {}])('refuses %j', (value) => {
    const r = validateSettings({ apple_app_id: value });
    expect(r.ok ? [] : r.errors).toEqual([
      { field: 'apple_app_id', message: 'must be the App Store id as a string of digits, e.g. "525463029"' },
    ]);
  });
});

describe('mergeSettings (a PATCH body onto the stored settings)', () => {
  const stored = { click_window_hours: 168, fraud: { ctit_min_seconds: 10, blocked_cidrs: ['10.0.0.0/8', '192.0.2.0/24'] } };

  it('merges object by object: a field not sent keeps its stored value', () => {
    expect(mergeSettings(stored, { fraud: { ctit_min_seconds: 5 } })).toEqual({
      click_window_hours: 168,
      fraud: { ctit_min_seconds: 5, blocked_cidrs: ['10.0.0.0/8', '192.0.2.0/24'] },
    });
  });

  it('replaces lists and scalars whole', () => {
    expect(mergeSettings(stored, { click_window_hours: 24, fraud: { blocked_cidrs: ['198.51.100.0/24'] } })).toEqual({
      click_window_hours: 24,
      fraud: { ctit_min_seconds: 10, blocked_cidrs: ['198.51.100.0/24'] },
    });
    expect(mergeSettings(stored, { fraud: null })).toEqual({ click_window_hours: 168, fraud: null });
  });

  it('leaves the stored settings unchanged, and takes a patch that is not an object as no change', () => {
    const before = structuredClone(stored);
    const merged = mergeSettings(stored, { fraud: { ctit_min_seconds: 1 } });
    expect(stored).toEqual(before);
    expect(mergeSettings(stored, null)).toEqual(stored);
    expect(mergeSettings(stored, ['x'])).toEqual(stored);
    expect(mergeSettings(null, { click_window_hours: 1 })).toEqual({ click_window_hours: 1 });
    expect(merged).not.toBe(stored);
  });

  it('never writes through __proto__ (a JSON body can carry that key)', () => {
    const merged = mergeSettings(stored, JSON.parse('{"__proto__": {"polluted": true}, "fraud": {"__proto__": {"polluted": true}}}'));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect((merged as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.keys(merged)).toEqual(['click_window_hours', 'fraud']);
  });
});

describe('resolveTouchWindows', () => {
  it("uses the link's windows, else the app's", () => {
    const s = defaultSettings();
    expect(resolveTouchWindows({ click_window_hours: 2 }, s)).toEqual({ click_window_ms: 2 * HOUR_MS, view_window_ms: 24 * HOUR_MS });
    expect(resolveTouchWindows({ view_window_hours: 48, click_window_hours: null }, s)).toEqual({
      click_window_ms: 168 * HOUR_MS,
      view_window_ms: 48 * HOUR_MS,
    });
  });
});
