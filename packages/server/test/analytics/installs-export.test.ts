import type { InstallExportRow } from '@unmogrowp/storage';
import { describe, expect, it } from 'vitest';
import { INSTALL_COLUMNS, installsStream } from '../../src/api/analytics/installs-export.ts';

const row = (id: string): InstallExportRow => ({
  install_id: id,
  device_id: 'd',
  advertising_id: '',
  installed_at: '2026-06-01T00:00:00.000Z',
  status: 'organic',
  match_type: 'none',
  media_source: 'organic',
  campaign: '',
  ad_set: '',
  ad: '',
  site_id: '',
  link_id: '',
  click_id: '',
  network_click_id: '',
  touch_at: null,
  ctit_seconds: null,
  fraud_reason: '',
  is_reattribution: false,
});

/** A store iterator over these chunks that records whether it was closed, and can fail at one step. */
function source(chunks: InstallExportRow[][], failAt = -1) {
  const state = { closed: false };
  async function* gen() {
    try {
      for (let i = 0; i < chunks.length; i++) {
        if (i === failAt) throw new Error('store went away');
        yield chunks[i]!;
      }
      if (failAt === chunks.length) throw new Error('store went away');
    } finally {
      state.closed = true;
    }
  }
  return { iterable: gen(), state };
}

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += chunk;
  return out;
}

describe('installs export stream', () => {
  it('joins chunks into one JSON array, skipping empty chunks', async () => {
    const { iterable, state } = source([[row('a'), row('b')], [], [row('c')]]);
    const json = JSON.parse(await text(await installsStream(iterable, 'json')));
    expect(json.map((r: InstallExportRow) => r.install_id)).toEqual(['a', 'b', 'c']);
    expect(state.closed).toBe(true);
  });

  it('writes the CSV header even without rows', async () => {
    const { iterable } = source([]);
    expect(await text(await installsStream(iterable, 'csv'))).toBe(`${INSTALL_COLUMNS.join(',')}\r\n`);
  });

  it('fails before sending anything when the first chunk fails, so the route can answer an error status', async () => {
    const { iterable } = source([[row('a')]], 0);
    await expect(installsStream(iterable, 'json')).rejects.toThrow('store went away');
  });

  it('cuts the stream when a later chunk fails: the document stays incomplete, never silently short', async () => {
    const { iterable, state } = source([[row('a')], [row('b')]], 2);
    const stream = await installsStream(iterable, 'json');
    let received = '';
    await expect(
      (async () => {
        for await (const chunk of stream) received += chunk;
      })(),
    ).rejects.toThrow('store went away');
    expect(received.endsWith(']\n')).toBe(false);
    expect(state.closed).toBe(true);
  });

  it('closes the store iterator when the client goes away mid-download', async () => {
    const { iterable, state } = source([[row('a')], [row('b')], [row('c')]]);
    const stream = await installsStream(iterable, 'csv');
    for await (const _ of stream) break; // leaving the loop destroys the stream
    await new Promise((r) => setTimeout(r, 10));
    expect(state.closed).toBe(true);
  });
});
