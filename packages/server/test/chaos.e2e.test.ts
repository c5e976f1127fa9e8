import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChaos } from './support/chaos.ts';

/**
 * The CI smoke of bench/chaos.ts: 5 lives of a real server under clicks, installs, events and
 * postbacks, each ended by kill -9 at a random moment, then one clean start. Every event and
 * click acknowledged is stored exactly once, each device is decided once, and each attributed
 * install's postback is recorded once and delivered at least once. A failure names the missing
 * ids and where each stopped (support/chaos-audit.ts); CHAOS_SEED=… replays a run's seed.
 */
describe('chaos smoke: kill -9 under load, 5 cycles', () => {
  it('loses nothing acknowledged, stores nothing twice, decides each device once, records each postback once', {
    timeout: 300_000,
  }, async () => {
    const seed = Number(process.env.CHAOS_SEED ?? Date.now() % 1e9);
    const result = await runChaos({
      dataDir: await mkdtemp(path.join(tmpdir(), 'unmogrowp-chaos-')),
      cycles: 5,
      minLoadMs: 300,
      maxLoadMs: 1500,
      seed,
    });
    expect(result.failures, `seed ${seed}: ${JSON.stringify(result)}`).toEqual([]);
    expect(result.acknowledged_events).toBeGreaterThan(0);
    expect(result.postbacks_expected).toBeGreaterThan(0);
  });
});
