import { describe, expect, it } from 'vitest';
import { toMillisParam, toNumber } from '../src/events/event-queries.ts';
import { EVENT_COLUMNS, eventValues, IDENTITY_COLUMNS, identityValues, toNdjson } from '../src/events/event-rows.ts';
import type { StoredEvent } from '../src/events/event-store.ts';
import { SerialQueue } from '../src/events/serial-queue.ts';
import { makeEvent, makeIdentity } from './event-store.fixtures.ts';

describe('event rows', () => {
  const row = (e: StoredEvent) => Object.fromEntries(EVENT_COLUMNS.map((c, i) => [c, eventValues(e)[i]]));

  it('puts every event value under its own column, JSON fields as text, attribution default empty', () => {
    const e = makeEvent({
      app_id: 'A',
      event_id: 'E',
      type: 'install',
      name: 'install',
      timestamp: 1000.4,
      received_at: 2000,
      device_id: 'D',
      advertising_id: 'AD',
      platform: 'android',
      os_version: '14',
      model: 'Pixel 8',
      app_version: '1.2',
      locale: 'de_DE',
      user_id: 'U',
      ip: '198.51.100.1',
      user_agent: 'UA',
      click_id: 'C',
      install_referrer: { referrer: 'click_id=C', click_ts: 1, install_begin_ts: 2 },
      revenue: 1.5,
      currency: 'EUR',
      properties: { a: [1, '😀'] },
      source: 'segment',
    });
    expect(row(e)).toEqual({
      app_id: 'A',
      event_id: 'E',
      type: 'install',
      name: 'install',
      ts: 1000,
      received_at: 2000,
      device_id: 'D',
      advertising_id: 'AD',
      platform: 'android',
      os_version: '14',
      model: 'Pixel 8',
      app_version: '1.2',
      locale: 'de_DE',
      user_id: 'U',
      ip: '198.51.100.1',
      user_agent: 'UA',
      click_id: 'C',
      install_referrer: '{"referrer":"click_id=C","click_ts":1,"install_begin_ts":2}',
      revenue: 1.5,
      currency: 'EUR',
      properties: '{"a":[1,"😀"]}',
      source: 'segment',
      media_source: '',
      campaign: '',
      ad_set: '',
      ad: '',
      site_id: '',
      link_id: '',
    });
    expect(row({ ...e, install_referrer: null })['install_referrer']).toBe('');
    const attribution = { media_source: 'm', campaign: 'c', ad_set: 's', ad: 'a', site_id: 'i', link_id: 'l' };
    expect(row({ ...e, attribution })).toMatchObject(attribution);
  });

  it('turns values a column cannot parse into ones it can', () => {
    expect(row(makeEvent({ revenue: Number.POSITIVE_INFINITY }))['revenue']).toBe(0);
    expect(row(makeEvent({ received_at: Number.NaN }))['received_at']).toBe(0);
  });

  it('puts every identity value under its own column', () => {
    const i = makeIdentity({ app_id: 'A', event_id: 'E', action: 'alias', timestamp: 1.6, received_at: 3, device_id: 'D' });
    const values = identityValues({ ...i, user_id: 'U', previous_id: 'P', traits: { plan: 'pro' }, source: 'posthog' });
    expect(Object.fromEntries(IDENTITY_COLUMNS.map((c, n) => [c, values[n]]))).toEqual({
      app_id: 'A',
      event_id: 'E',
      action: 'alias',
      ts: 2,
      received_at: 3,
      device_id: 'D',
      user_id: 'U',
      previous_id: 'P',
      traits: '{"plan":"pro"}',
      source: 'posthog',
    });
  });

  it('writes one JSON array per line, newline-terminated', () => {
    const buf = toNdjson([makeEvent({ name: 'a\nb' }), makeEvent()], eventValues);
    const lines = buf.toString('utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0] ?? '')[3]).toBe('a\nb');
  });
});

describe('event query helpers', () => {
  it('reads quoted 64-bit counts as numbers and refuses non-numbers', () => {
    expect(toNumber('9007199254740991', 'c')).toBe(9007199254740991);
    expect(toNumber(2.5, 'c')).toBe(2.5);
    expect(() => toNumber('abc', 'c')).toThrow(/non-numeric c/);
    expect(() => toNumber(undefined, 'c')).toThrow();
  });

  it('accepts only finite epoch-ms bounds, floored', () => {
    expect(toMillisParam(1.9, 'from')).toBe(1);
    expect(() => toMillisParam(Number.NaN, 'from')).toThrow(RangeError);
  });
});

describe('SerialQueue', () => {
  it('runs tasks one at a time in call order, past failures', async () => {
    const q = new SerialQueue();
    const log: string[] = [];
    let running = 0;
    const task =
      (name: string, fail = false) =>
      async () => {
        running++;
        expect(running).toBe(1);
        log.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, 5));
        log.push(`end ${name}`);
        running--;
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([q.run(task('a')), q.run(task('b', true)), q.run(task('c'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('holds later tasks while a lease is held, and reports idle after', async () => {
    const q = new SerialQueue();
    const release = await q.acquire();
    let ran = false;
    const later = q.run(async () => {
      ran = true;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(ran).toBe(false);
    release();
    await later;
    await q.idle();
    expect(ran).toBe(true);
  });
});
