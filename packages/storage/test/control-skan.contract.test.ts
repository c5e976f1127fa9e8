import type { SkanPostback } from '@unmogrowp/attribution';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createApp,
  findAppByAppleId,
  getSkanSettings,
  insertSkanPostback,
  insertUnverifiedSkanPostback,
  putSkanSettings,
  skanGroups,
  unverifiedSkanCounts,
  updateApp,
} from '../src/index.ts';
import { type ControlTarget, forEachControlAdapter, type OpenControlTarget } from './support/control-targets.ts';

const T0 = new Date(Date.UTC(2026, 5, 1));
const T1 = new Date(Date.UTC(2026, 6, 1));

function pb(tx: string, window: number, over: Partial<SkanPostback> = {}): SkanPostback {
  return {
    kind: 'skan',
    version: '4.0',
    ad_network_id: 'Net.skadnetwork',
    app_id: '1',
    transaction_id: tx,
    source_identifier: '12',
    source_app_id: null,
    source_domain: null,
    redownload: false,
    fidelity_type: 1,
    did_win: true,
    postback_sequence_index: window,
    conversion_value: null,
    coarse_conversion_value: null,
    conversion_type: 'install',
    country_code: null,
    ...over,
  };
}

function skanContract(name: string, open: OpenControlTarget): void {
  describe(`SKAN postback store contract: ${name}`, () => {
    let t: ControlTarget;
    beforeAll(async () => {
      t = await open();
    });
    afterAll(async () => {
      await t?.close();
    });

    it('finds the app by apple_app_id, stores each (transaction, window) once, and groups them', async () => {
      const appleId = String(100_000 + Math.floor(Math.random() * 1e6));
      const { app } = await createApp(t.db, { name: 'SKAN store', platforms: ['ios'] });
      expect(await findAppByAppleId(t.db, appleId)).toBeNull();
      await updateApp(t.db, app.id, { settings: { apple_app_id: appleId } });
      expect(await findAppByAppleId(t.db, appleId)).toBe(app.id);

      const at = new Date(Date.UTC(2026, 5, 10));
      expect(await insertSkanPostback(t.db, app.id, pb('a', 0, { conversion_value: 3 }), 'test', { raw: 1 }, at)).toBe(true);
      expect(await insertSkanPostback(t.db, app.id, pb('a', 0, { conversion_value: 3 }), 'test', { raw: 1 }, at)).toBe(false);
      const [x, y] = await Promise.all([
        insertSkanPostback(t.db, app.id, pb('a', 1), 'test', {}, at),
        insertSkanPostback(t.db, app.id, pb('a', 1), 'test', {}, at),
      ]);
      expect([x, y].filter(Boolean)).toHaveLength(1); // two racing writers: one row
      await insertSkanPostback(t.db, app.id, pb('b', 0, { coarse_conversion_value: 'low' }), 'test', {}, at);
      await insertUnverifiedSkanPostback(t.db, app.id, 'bad_signature', { x: 1 }, at);

      const groups = await skanGroups(t.db, app.id, T0, T1);
      expect(groups.reduce((n, g) => n + g.count, 0)).toBe(3);
      expect(groups).toContainEqual(
        expect.objectContaining({ ad_network_id: 'net.skadnetwork', window: 0, conversion_value: 3, count: 1 }),
      );
      expect(groups).toContainEqual(
        expect.objectContaining({ window: 1, conversion_value: null, coarse_conversion_value: null, count: 1 }),
      );
      expect(await skanGroups(t.db, app.id, T1, new Date(Date.UTC(2026, 7, 1)))).toEqual([]);
      expect(await unverifiedSkanCounts(t.db, app.id, T0, T1)).toEqual({ bad_signature: 1 });
    });

    it('keeps one settings document per app, replaced whole', async () => {
      const { app } = await createApp(t.db, { name: 'SKAN settings', platforms: ['ios'] });
      expect((await getSkanSettings(t.db, app.id)).currency).toBe('USD');
      const doc = { currency: 'EUR', windows: {}, networks: { a: 'b' }, campaigns: {} };
      expect(await putSkanSettings(t.db, app.id, doc)).toBe(true);
      expect(await putSkanSettings(t.db, app.id, { ...doc, networks: {} })).toBe(true);
      expect(await getSkanSettings(t.db, app.id)).toEqual({ ...doc, networks: {} });
      expect(await putSkanSettings(t.db, 'app_missing', doc)).toBe(false);
    });
  });
}

await forEachControlAdapter(skanContract);
