import { defineScript, type RedisHandle, type RedisScript } from '@unmogrowp/storage';
import type { DeviceRegistry, DeviceState } from './device-registry.ts';

const DAY = 86_400_000;

/** KEYS[1] the device, KEYS[2] the count; ARGV: state JSON, TTL ms. Counts a device the first time it is set. */
const SET_DEVICE = `
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('INCR', KEYS[2]) end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`;

export interface RedisDeviceRegistryOptions {
  /** Days a device is remembered after its last change (default 730: the longest re-attribution window). */
  ttlDays?: number;
}

/**
 * Installed devices in Redis, one string key per device: `<prefix>dv:<app>\0<device>` → the
 * state as JSON, expiring `ttlDays` after its last change (a device not seen for longer installs
 * as new). Forgetting a device (erase) is one DEL of a key its ids name. `size()` counts devices
 * set for the first time; devices that expire are not subtracted, so it is an upper bound.
 */
export class RedisDeviceRegistry implements DeviceRegistry {
  private readonly keyPrefix: string;
  private readonly ttlMs: number;
  private readonly setDevice: RedisScript;

  constructor(
    private readonly redis: RedisHandle,
    options: RedisDeviceRegistryOptions = {},
  ) {
    const days = options.ttlDays ?? 730;
    if (!(days >= 1)) throw new RangeError('ttlDays must be ≥ 1');
    this.ttlMs = days * DAY;
    this.keyPrefix = `${redis.prefix}dv:`;
    this.setDevice = defineScript(redis.client, 'unmogrowpDeviceSet', SET_DEVICE);
  }

  async get(appId: string, deviceId: string): Promise<DeviceState | null> {
    const json = await this.redis.client.get(this.key(appId, deviceId));
    return json === null ? null : (JSON.parse(json) as DeviceState);
  }

  async set(appId: string, deviceId: string, state: DeviceState): Promise<void> {
    await this.setDevice.run([this.key(appId, deviceId), `${this.keyPrefix}#n`], [JSON.stringify(state), this.ttlMs]);
  }

  /** Erase (docs/privacy.md): forgets these devices of the app; answers how many were known. */
  async forget(appId: string, deviceIds: readonly string[]): Promise<number> {
    if (deviceIds.length === 0) return 0;
    const n = await this.redis.client.del(...deviceIds.map((id) => this.key(appId, id)));
    if (n > 0) await this.redis.client.decrby(`${this.keyPrefix}#n`, n);
    return n;
  }

  async size(): Promise<number> {
    return Number((await this.redis.client.get(`${this.keyPrefix}#n`)) ?? 0);
  }

  private key(appId: string, deviceId: string): string {
    return `${this.keyPrefix}${appId}\u0000${deviceId}`;
  }
}
