import type { AppEvent, IdentityUpdate, IngestItem, TouchItem } from '@unmogrowp/schema';
import { EVENT_ROW_PREFIX_LAYOUT, encodeEventRowPrefix } from '@unmogrowp/storage';
import { describe, expect, it } from 'vitest';
import { decodeFramePayload, encodeFramePayload } from '../src/log/frame-payload.ts';

const event = (id: string, extra: Partial<AppEvent> = {}): AppEvent => ({
  kind: 'event',
  app_id: 'app_1',
  event_id: id,
  type: 'event',
  name: 'purchase ✓\n"x"',
  timestamp: 1_700_000_000_000,
  received_at: 1_700_000_000_500,
  device_id: 'd1',
  advertising_id: '',
  platform: 'android',
  os_version: '14',
  model: '',
  app_version: '',
  locale: '',
  user_id: '',
  ip: '10.0.0.1',
  user_agent: 'UA',
  click_id: '',
  install_referrer: { referrer: 'a=b', click_ts: 1, install_begin_ts: 2 } as AppEvent['install_referrer'],
  revenue: 2.5,
  currency: 'EUR',
  properties: { emoji: '🎉', n: [1, 2] },
  source: 'native',
  ...extra,
});
const touch = {
  kind: 'touch',
  touch: 'click',
  app_id: 'app_1',
  event_id: 'clk_1',
  click_id: 'clk_1',
  params: { a: 'b' },
} as unknown as TouchItem;
const identity = {
  kind: 'identity',
  app_id: 'app_1',
  event_id: 'id_1',
  action: 'identify',
  traits: { plan: 'pro' },
} as unknown as IdentityUpdate;

describe('log frame payload', () => {
  it('writes events as their row prefix and every other item as JSON, and reads them all back', () => {
    const traced: IngestItem = { ...event('e2'), trace: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
    const items: IngestItem[] = [event('e1'), touch, traced, identity];
    const { text, rows } = encodeFramePayload(42, items);
    expect(text.split('\n')).toEqual([
      `#2 {"s":42,"r":${EVENT_ROW_PREFIX_LAYOUT}}`,
      encodeEventRowPrefix(event('e1')),
      JSON.stringify(touch),
      JSON.stringify(traced),
      JSON.stringify(identity),
    ]);
    expect(rows).toEqual([encodeEventRowPrefix(event('e1')), undefined, undefined, undefined]);
    expect(decodeFramePayload(text)).toEqual({ seq: 42, items, rows });
  });

  it('reads the previous format, which has no row prefixes', () => {
    const items = [event('old'), touch];
    expect(decodeFramePayload(JSON.stringify({ s: 7, i: items }))).toEqual({ seq: 7, items, rows: [] });
  });

  it('answers null for what is not a record: another header, a row of an unknown layout, a line of neither kind', () => {
    const { text } = encodeFramePayload(1, [event('e')]);
    expect(decodeFramePayload(text.replace('#2 ', '#3 '))).toBeNull();
    expect(decodeFramePayload(text.replace(`"r":${EVENT_ROW_PREFIX_LAYOUT}`, '"r":99'))).toBeNull();
    expect(decodeFramePayload(`${text}\nplain text`)).toBeNull();
    expect(decodeFramePayload('{"i":[]}')).toBeNull();
    expect(() => decodeFramePayload(`${text}\n[broken`)).toThrow();
  });
});
