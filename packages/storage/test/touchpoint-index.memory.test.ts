import { describe, expect, it } from 'vitest';
import { MemoryTouchpointIndex } from '../src/index.ts';
import { AD, describeTouchpointIndexContract, T0, touch } from './touchpoint-index.contract.ts';

describeTouchpointIndexContract('memory', async () => new MemoryTouchpointIndex());
// Tiny segments: every path through sealing, dropping and rebuilding segments runs.
describeTouchpointIndexContract('memory, 7-touch segments', async () => new MemoryTouchpointIndex({ segmentSize: 7 }));

describe('memory touchpoint index', () => {
  it('drops whole segments below the floor and rebuilds mostly-evicted ones', async () => {
    const index = new MemoryTouchpointIndex({ segmentSize: 10 });
    for (let i = 0; i < 100; i++) await index.add(touch({ ts: T0 + i * 1000, advertising_id: AD }));
    expect(index.stats()).toMatchObject({ touches: 100, segments: 10 });
    await index.evictBefore(T0 + 55 * 1000);
    // Segments 0–4 dropped, segment 5 (50…59) more than half below: rebuilt with its 5 live touches.
    expect(index.stats()).toMatchObject({ touches: 45, segments: 5 });
    expect((await index.byAdvertisingId('app_a', AD, 0)).map((t) => t.ts)).toHaveLength(45);
  });

  it('keeps link labels and device profiles once per index, and forgets them with the last touch using them', async () => {
    const index = new MemoryTouchpointIndex({ segmentSize: 50 });
    for (let i = 0; i < 1000; i++) {
      await index.add(touch({ ts: T0 + i, link_id: `lnk_${i % 3}`, os_version: i < 500 ? '16.0' : '17.0', advertising_id: AD }));
    }
    expect(index.stats()).toMatchObject({ segments: 20, link_profiles: 3, device_profiles: 2 });
    await index.evictBefore(T0 + 500);
    expect(index.stats()).toMatchObject({ segments: 10, link_profiles: 3, device_profiles: 1 });
    await index.evictBefore(T0 + 2000);
    expect(index.stats()).toMatchObject({ touches: 0, link_profiles: 0, device_profiles: 0 });
  });
});
