import type { Attribution } from '@unmogrowp/attribution';
import { describe, expect, it } from 'vitest';
import { type DeviceState, MemoryDeviceRegistry } from '../src/attribution/device-registry.ts';

const organic = { status: 'organic', match_type: 'none', media_source: 'organic' } as unknown as Attribution;
const state = (id: string): DeviceState => ({ install_id: id, installed_at: 1, attribution: organic, reengagements: [] });

describe('memory device registry', () => {
  it('forgets erased devices of one app only', async () => {
    const devices = new MemoryDeviceRegistry();
    await devices.set('app_a', 'd1', state('i1'));
    await devices.set('app_a', 'd2', state('i2'));
    await devices.set('app_b', 'd1', state('i3'));
    expect(await devices.forget('app_a', ['d1', 'unknown'])).toBe(1);
    expect(await devices.get('app_a', 'd1')).toBeNull();
    expect(await devices.get('app_a', 'd2')).not.toBeNull();
    expect(await devices.get('app_b', 'd1')).not.toBeNull();
    expect(await devices.size()).toBe(2);
  });
});
