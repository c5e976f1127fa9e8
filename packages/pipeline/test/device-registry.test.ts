import { describe, expect, it } from 'vitest';
import { describeWithRedis, probeRedis } from '../../storage/test/support/redis.ts';
import { MemoryDeviceRegistry, RedisDeviceRegistry } from '../src/index.ts';
import { describeDeviceRegistryContract, deviceState } from './device-registry.contract.ts';

const DAY = 86_400_000;

describeDeviceRegistryContract('memory', async () => new MemoryDeviceRegistry());

describeWithRedis('redis device registry', await probeRedis(), (connect) => {
  describeDeviceRegistryContract('redis', async () => new RedisDeviceRegistry(connect()));

  it('forgets erased devices of one app only', async () => {
    const registry = new RedisDeviceRegistry(connect());
    await registry.set('app_a', 'd1', deviceState());
    await registry.set('app_a', 'd2', deviceState());
    await registry.set('app_b', 'd1', deviceState());
    expect(await registry.forget('app_a', ['d1', 'unknown'])).toBe(1);
    expect(await registry.forget('app_a', [])).toBe(0);
    expect(await registry.get('app_a', 'd1')).toBeNull();
    expect(await registry.get('app_b', 'd1')).not.toBeNull();
    expect(await registry.size()).toBe(2);
  });

  it('expires a device ttlDays after its last change, and shares state between processes', async () => {
    const first = connect();
    const a = new RedisDeviceRegistry(first, { ttlDays: 90 });
    const b = new RedisDeviceRegistry(connect(first), { ttlDays: 90 });
    await a.set('app_a', 'dev_1', deviceState());
    expect(await b.get('app_a', 'dev_1')).toEqual(deviceState());
    const ttl = await first.client.pttl(`${first.prefix}dv:app_a\u0000dev_1`);
    expect(ttl).toBeGreaterThan(90 * DAY - 60_000);
    expect(ttl).toBeLessThanOrEqual(90 * DAY);
  });
});

describe('redis device registry options', () => {
  it('refuses a TTL under a day', () => {
    expect(() => new RedisDeviceRegistry({ prefix: 'x:', client: {} } as never, { ttlDays: 0 })).toThrow(/ttlDays/);
  });
});
