import { describe, expect, it } from 'vitest';
import { describeWithRedis, probeRedis } from '../../storage/test/support/redis.ts';
import { type DeviceRegistry, MemoryDeviceRegistry, RedisDeviceRegistry } from '../src/index.ts';
import { BatchDeviceRegistry } from '../src/partitions/batch-device-registry.ts';
import { deviceState } from './device-registry.contract.ts';

/** The shared registry as it is, counting the reads that reach it. */
function countingReads(shared: DeviceRegistry) {
  const counted = {
    reads: 0,
    get: (app: string, device: string) => {
      counted.reads++;
      return shared.get(app, device);
    },
    set: shared.set.bind(shared),
    forget: shared.forget.bind(shared),
    size: shared.size.bind(shared),
  };
  return counted;
}

function describeBatchRegistry(name: string, createShared: () => DeviceRegistry) {
  describe(`batch device registry over ${name}`, () => {
    it('reads the batch devices ahead in one go; attribution then waits for no further read', async () => {
      const shared = countingReads(createShared());
      await shared.set('app_a', 'd1', deviceState({ install_id: 'i1' }));
      const batch = new BatchDeviceRegistry(shared);
      const events = [
        { app_id: 'app_a', device_id: 'd1' },
        { app_id: 'app_a', device_id: 'd2' },
        { app_id: 'app_a', device_id: 'd1' },
      ];
      await batch.prefetch(events);
      expect(shared.reads).toBe(2); // one per device, not per event
      expect((await batch.get('app_a', 'd1'))?.install_id).toBe('i1');
      expect(await batch.get('app_a', 'd2')).toBeNull();
      expect(await batch.get('app_a', 'd1')).not.toBeNull();
      expect(shared.reads).toBe(2);
      // A device outside the read-ahead still reads through.
      expect(await batch.get('app_a', 'd3')).toBeNull();
      expect(shared.reads).toBe(3);
    });

    it("answers the batch's own writes over what it read ahead, and commits them", async () => {
      const sharedRegistry = createShared();
      await sharedRegistry.set('app_a', 'd1', deviceState({ install_id: 'old' }));
      const batch = new BatchDeviceRegistry(sharedRegistry);
      await batch.prefetch([{ app_id: 'app_a', device_id: 'd1' }]);
      await batch.set('app_a', 'd1', deviceState({ install_id: 'new' }));
      expect((await batch.get('app_a', 'd1'))?.install_id).toBe('new');
      expect((await sharedRegistry.get('app_a', 'd1'))?.install_id).toBe('old'); // not before commit
      expect(await batch.commit()).toBe(1);
      expect((await sharedRegistry.get('app_a', 'd1'))?.install_id).toBe('new');
      expect((await batch.get('app_a', 'd1'))?.install_id).toBe('new');
    });

    it('forgets an erased device even when it was read ahead', async () => {
      const sharedRegistry = createShared();
      await sharedRegistry.set('app_a', 'd1', deviceState());
      const batch = new BatchDeviceRegistry(sharedRegistry);
      await batch.prefetch([{ app_id: 'app_a', device_id: 'd1' }]);
      expect(await batch.forget('app_a', ['d1'])).toBe(1);
      expect(await batch.get('app_a', 'd1')).toBeNull();
    });
  });
}

describeBatchRegistry('memory', () => new MemoryDeviceRegistry());

describeWithRedis('batch device registry over redis', await probeRedis(), (connect) => {
  describeBatchRegistry('redis', () => new RedisDeviceRegistry(connect()));
});
