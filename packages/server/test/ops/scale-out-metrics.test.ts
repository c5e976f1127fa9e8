import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/ops/metrics.ts';
import { counted, setConsumerPending } from '../../src/ops/scale-out-metrics.ts';

describe('scale-out metrics', () => {
  it('counts a failed store operation by store and kind, and passes results and errors through', async () => {
    const m = createMetrics();
    expect(await counted(m, 'redis', 'read', async () => 7)).toBe(7);
    await expect(counted(m, 'clickhouse', 'write', async () => Promise.reject(new Error('Code: 252. Too many parts')))).rejects.toThrow(
      'Too many parts',
    );
    const text = await m.registry.metrics();
    expect(text).toContain('unmogrowp_store_errors_total{store="clickhouse",op="write"} 1');
    expect(text).not.toContain('store="redis"');
  });

  it('sets the consumer gauges from JetStream consumer info', async () => {
    const m = createMetrics();
    setConsumerPending(m, 'unmogrowp-pipeline', { num_pending: 1200, num_ack_pending: 50 });
    const text = await m.registry.metrics();
    expect(text).toContain('unmogrowp_jetstream_consumer_pending_messages{consumer="unmogrowp-pipeline"} 1200');
    expect(text).toContain('unmogrowp_jetstream_consumer_ack_pending_messages{consumer="unmogrowp-pipeline"} 50');
  });
});
