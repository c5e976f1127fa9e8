import { describe, expect, it } from 'vitest';
import {
  encodeMacroValue,
  formatNumber,
  MACROS,
  type PostbackValues,
  postbackJsonBody,
  renderPostbackUrl,
  unknownMacros,
} from '../src/index.ts';

const values = (o: Partial<PostbackValues> = {}): PostbackValues => ({
  click_id: 'net-123',
  install_id: 'inst-1',
  event_name: 'install',
  event_id: 'ev-1',
  revenue: null,
  currency: '',
  advertising_id: 'aaaaaaaa-1111-2222-3333-444444444444',
  device_id: 'dev-1',
  campaign: 'spring',
  ad_set: 'set',
  ad: 'ad',
  site_id: 'site',
  timestamp: Date.UTC(2025, 0, 2, 3, 4, 5, 678),
  match_type: 'device_id',
  ctit: 42,
  ...o,
});

/** The query of a rendered URL, decoded the way a partner's server would. */
const query = (url: string) => new URL(url).searchParams;

describe('renderPostbackUrl', () => {
  it('fills every macro', () => {
    const template = `https://net.example/pb?${MACROS.map((m) => `${m}={${m}}`).join('&')}`;
    const q = query(renderPostbackUrl(template, values({ revenue: 9.99, currency: 'EUR', event_name: 'purchase' })));
    expect(Object.fromEntries(q)).toEqual({
      click_id: 'net-123',
      install_id: 'inst-1',
      event_name: 'purchase',
      event_id: 'ev-1',
      revenue: '9.99',
      currency: 'EUR',
      advertising_id: 'aaaaaaaa-1111-2222-3333-444444444444',
      device_id: 'dev-1',
      campaign: 'spring',
      ad_set: 'set',
      ad: 'ad',
      site_id: 'site',
      timestamp: String(Date.UTC(2025, 0, 2, 3, 4, 5) / 1000),
      match_type: 'device_id',
      ctit: '42',
    });
  });

  const hostile: [string, string][] = [
    ['reserved characters', 'a&b=c?d#e/f+g h%20'],
    ['unicode', 'Frühling 春 🚀 кампания'],
    ['quotes and brackets', `"'()!*[]{}<>`],
    ['a macro-looking value', '{install_id}'],
  ];
  it.each(hostile)('keeps %s inside their parameter', (_name, campaign) => {
    const url = renderPostbackUrl('https://net.example/pb?c={campaign}&i={install_id}', values({ campaign }));
    const q = query(url);
    expect(q.get('c')).toBe(campaign);
    expect(q.get('i')).toBe('inst-1');
    expect([...q.keys()]).toEqual(['c', 'i']);
    const rendered = url.slice(url.indexOf('c=') + 2, url.indexOf('&i='));
    expect(rendered).toMatch(/^(?:[A-Za-z0-9\-._~]|%[0-9A-F]{2})*$/);
  });

  it('leaves unknown macros as written and empties known ones without a value', () => {
    const url = renderPostbackUrl('https://n.example/?a={idfa}&b={CLICK_ID}&r={revenue}&x={ctit}', values({ ctit: null }));
    expect(url).toBe('https://n.example/?a={idfa}&b={CLICK_ID}&r=&x=');
  });

  it('replaces a macro used twice and leaves text without macros alone', () => {
    expect(renderPostbackUrl('https://n.example/{event_name}?e={event_name}', values())).toBe('https://n.example/install?e=install');
    expect(renderPostbackUrl('https://n.example/static', values())).toBe('https://n.example/static');
  });

  it('renders the timestamp as whole Unix seconds', () => {
    expect(renderPostbackUrl('{timestamp}', values({ timestamp: 1_700_000_000_999 }))).toBe('1700000000');
  });
});

describe('encodeMacroValue', () => {
  it('is RFC 3986 strict and reversible', () => {
    const text = "a!b'c(d)e*f~g-h_i.j k&l";
    expect(encodeMacroValue(text)).toBe('a%21b%27c%28d%29e%2Af~g-h_i.j%20k%26l');
    expect(decodeURIComponent(encodeMacroValue(text))).toBe(text);
  });

  it('survives a lone surrogate instead of throwing', () => {
    expect(encodeMacroValue('x\uD800y')).toBe('x%EF%BF%BDy');
    expect(encodeMacroValue('\uDC00')).toBe('%EF%BF%BD');
    expect(encodeMacroValue('😀')).toBe('%F0%9F%98%80');
  });
});

describe('formatNumber', () => {
  it.each([
    [9.99, '9.99'],
    [0, '0'],
    [-3, '-3'],
    [1e-7, '0.0000001'],
    [1e21, '1000000000000000000000'],
    [null, ''],
    [Number.NaN, ''],
    [Number.POSITIVE_INFINITY, ''],
  ])('%s → %j', (n, text) => {
    expect(formatNumber(n)).toBe(text);
  });
});

describe('unknownMacros', () => {
  it('lists each unknown name once', () => {
    expect(unknownMacros('https://x/?a={idfa}&b={click_id}&c={idfa}&d={gaid}')).toEqual(['idfa', 'gaid']);
    expect(unknownMacros('https://x/?a={click_id}')).toEqual([]);
  });
});

describe('postbackJsonBody', () => {
  it('has every macro, numbers as numbers, text unencoded', () => {
    const body = postbackJsonBody(values({ revenue: 1.5, campaign: 'a&b 春' }));
    expect(Object.keys(body).sort()).toEqual([...MACROS].sort());
    expect(body).toMatchObject({ revenue: 1.5, ctit: 42, timestamp: Date.UTC(2025, 0, 2, 3, 4, 5) / 1000, campaign: 'a&b 春' });
    expect(JSON.parse(JSON.stringify(body))).toEqual(body);
  });

  it('turns missing or non-finite numbers into null', () => {
    expect(postbackJsonBody(values({ revenue: Number.NaN, ctit: null }))).toMatchObject({ revenue: null, ctit: null });
  });
});
