import type { Attribution } from '@unmogrowp/attribution';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DeviceRegistry, DeviceState } from '../src/index.ts';

const T0 = Date.UTC(2026, 4, 1);

const attribution: Attribution = {
  media_source: 'network_a',
  campaign: '春のセール 🚀',
  ad_set: '',
  ad: '',
  site_id: 'pub-7',
  link_id: 'lnk_AAAAAAAAAAAA',
  click_id: 'clk_1',
  network_click_id: '',
  status: 'attributed',
  match_type: 'device_id',
  touch_at: T0 - 60_000,
  ctit_seconds: 60,
  fraud_reason: '',
  is_reattribution: false,
} as Attribution;

export function deviceState(over: Partial<DeviceState> = {}): DeviceState {
  return { install_id: 'evt_install_1', installed_at: T0, attribution, reengagements: [], ...over };
}

/** One suite for every DeviceRegistry adapter; `create` gives an empty registry. */
export function describeDeviceRegistryContract(name: string, create: () => Promise<DeviceRegistry>): void {
  describe(`device registry contract: ${name}`, () => {
    let registry: DeviceRegistry;
    beforeEach(async () => {
      registry = await create();
    });

    it('answers null for a device never set, and the state as set afterwards', async () => {
      expect(await registry.get('app_a', 'dev_1')).toBeNull();
      const state = deviceState({
        reengagements: [{ at: T0 + 1000, credit: { ...attribution, media_source: 'retarget' }, touch_at: null }],
      });
      await registry.set('app_a', 'dev_1', state);
      expect(await registry.get('app_a', 'dev_1')).toEqual(state);
    });

    it('keeps apps and devices apart, whatever characters the ids hold', async () => {
      await registry.set('app_a', 'dev 🚀\u0000x', deviceState({ install_id: 'a' }));
      await registry.set('app_b', 'dev 🚀\u0000x', deviceState({ install_id: 'b' }));
      expect((await registry.get('app_a', 'dev 🚀\u0000x'))?.install_id).toBe('a');
      expect((await registry.get('app_b', 'dev 🚀\u0000x'))?.install_id).toBe('b');
      expect(await registry.get('app_a', 'dev 🚀')).toBeNull();
    });

    it('replaces a device state and counts each device once', async () => {
      await registry.set('app_a', 'dev_1', deviceState());
      await registry.set('app_a', 'dev_1', deviceState({ install_id: 'evt_install_2', installed_at: T0 + 5 }));
      await registry.set('app_a', 'dev_2', deviceState());
      expect(await registry.get('app_a', 'dev_1')).toMatchObject({ install_id: 'evt_install_2', installed_at: T0 + 5 });
      expect(await registry.size()).toBe(2);
    });
  });
}
