import type { Attribution } from '@unmogrowp/attribution';
import type { SqlDb } from '@unmogrowp/storage';
import { describe, expect, it } from 'vitest';
import {
  type EventForPostback,
  enqueueAttributedPostbacks,
  eventPostback,
  type InstallForPostback,
  installPostback,
  type PartnerConfig,
} from '../src/index.ts';

const T = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
const PARTNER: PartnerConfig = {
  media_source: 'net',
  url: 'https://n.example/pb?c={click_id}&e={event_name}&id={event_id}&r={revenue}&cur={currency}&t={timestamp}&m={match_type}&x={ctit}',
  method: 'GET',
  events: ['purchase'],
  enabled: true,
};
const ATTRIBUTION: Attribution = {
  status: 'attributed',
  match_type: 'referrer',
  media_source: 'net',
  campaign: 'c',
  ad_set: '',
  ad: '',
  site_id: '',
  link_id: 'lnk_1',
  click_id: 'ours',
  network_click_id: 'theirs',
  touch_at: T - 60_000,
  ctit_seconds: 60,
  fraud_reason: '',
  is_reattribution: false,
};
const INSTALL: InstallForPostback = {
  app_id: 'app_1',
  install_id: 'ins_1',
  device_id: 'dev',
  advertising_id: '',
  installed_at: T,
  attribution: ATTRIBUTION,
};
const EVENT: EventForPostback = {
  app_id: 'app_1',
  install_id: 'ins_1',
  device_id: 'dev',
  advertising_id: '',
  event_id: 'ev 1',
  event_name: 'purchase',
  ts: T + 5_000,
  revenue: 0.0000001,
  currency: 'EUR',
  attribution: { ...ATTRIBUTION },
};

describe('install postbacks', () => {
  it('renders an attributed install with its match type and CTIT', () => {
    expect(installPostback(INSTALL, PARTNER)).toEqual({
      app_id: 'app_1',
      media_source: 'net',
      install_id: 'ins_1',
      event_id: '',
      event_name: 'install',
      method: 'GET',
      url: `https://n.example/pb?c=theirs&e=install&id=&r=&cur=&t=${Math.floor(T / 1000)}&m=referrer&x=60`,
      body: null,
    });
  });

  it('sends nothing for installs no network earned, or to a partner that is off or someone else', () => {
    for (const status of ['organic', 'rejected', 'reinstall'] as const) {
      expect(installPostback({ ...INSTALL, attribution: { ...ATTRIBUTION, status } }, PARTNER), status).toBeNull();
    }
    expect(installPostback(INSTALL, { ...PARTNER, enabled: false })).toBeNull();
    expect(installPostback(INSTALL, { ...PARTNER, media_source: 'other' })).toBeNull();
    expect(installPostback(INSTALL, null)).toBeNull();
  });

  it('sends a re-attribution like any attributed install', () => {
    expect(installPostback({ ...INSTALL, attribution: { ...ATTRIBUTION, is_reattribution: true } }, PARTNER)).not.toBeNull();
  });

  it('puts the macros in a JSON body for POST partners', () => {
    const p = installPostback(INSTALL, { ...PARTNER, method: 'POST' });
    expect(p?.method).toBe('POST');
    expect(p?.body).toMatchObject({ click_id: 'theirs', event_name: 'install', ctit: 60, timestamp: Math.floor(T / 1000), revenue: null });
  });
});

describe('event postbacks', () => {
  it('renders a named event with its revenue, without exponent notation', () => {
    expect(eventPostback(EVENT, PARTNER)?.url).toBe(
      `https://n.example/pb?c=theirs&e=purchase&id=ev%201&r=0.0000001&cur=EUR&t=${Math.floor((T + 5_000) / 1000)}&m=referrer&x=60`,
    );
  });

  it('sends only events the partner names, never for rejected installs or organic credit', () => {
    expect(eventPostback({ ...EVENT, event_name: 'level_up' }, PARTNER)).toBeNull();
    expect(eventPostback({ ...EVENT, event_name: 'install' }, { ...PARTNER, events: ['install'] })).toBeNull();
    expect(eventPostback({ ...EVENT, attribution: { ...ATTRIBUTION, status: 'rejected' } }, PARTNER)).toBeNull();
    expect(
      eventPostback({ ...EVENT, attribution: { ...ATTRIBUTION, media_source: 'organic' } }, { ...PARTNER, media_source: 'organic' }),
    ).toBeNull();
  });

  it('works with a bare inherited credit (no match type or CTIT known)', () => {
    const { status, match_type, ctit_seconds, touch_at, fraud_reason, is_reattribution, ...credit } = ATTRIBUTION;
    const p = eventPostback({ ...EVENT, attribution: credit }, PARTNER);
    expect(p?.url).toContain('&m=&x=');
  });
});

describe('enqueueing a batch', () => {
  it('looks each partner up once and writes every postback in one insert', async () => {
    const lookups: string[] = [];
    const inserts: unknown[][] = [];
    const db = {
      query: async (_sql: string, params: unknown[] = []) => {
        inserts.push(params);
        return (params[0] as string[]).map((id) => ({ id }));
      },
    } as unknown as SqlDb;
    const installs = [
      INSTALL,
      { ...INSTALL, install_id: 'ins_2' },
      { ...INSTALL, install_id: 'ins_3', attribution: { ...ATTRIBUTION, media_source: 'unknown_net' } },
    ];
    const events = [
      EVENT,
      { ...EVENT, event_id: 'ev 2', event_name: 'level_up' },
      { ...EVENT, attribution: { ...ATTRIBUTION, media_source: 'organic' } },
    ];
    const count = await enqueueAttributedPostbacks(
      db,
      { installs, events },
      {
        partnerOf: async (app, source) => {
          lookups.push(`${app}/${source}`);
          return source === 'net' ? PARTNER : null;
        },
        now: T,
      },
    );
    expect(count).toBe(3);
    expect(lookups.sort()).toEqual(['app_1/net', 'app_1/unknown_net']);
    expect(inserts).toHaveLength(1);
    expect(inserts[0]![3]).toEqual(['ins_1', 'ins_2', 'ins_1']);
    expect(inserts[0]![5]).toEqual(['install', 'install', 'purchase']);
  });
});
