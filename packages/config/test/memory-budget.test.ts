import os from 'node:os';
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { defaultPipelineLagBytes, processMemoryLimit } from '../src/memory-budget.ts';

const MiB = 1024 * 1024;

describe('the default pipeline lag bound', () => {
  it('is a sixteenth of the memory, in whole MiB', () => {
    expect(defaultPipelineLagBytes(512 * MiB)).toBe(32 * MiB);
    expect(defaultPipelineLagBytes(4144 * MiB)).toBe(259 * MiB);
    expect(defaultPipelineLagBytes(1000 * MiB)).toBe(62 * MiB);
  });

  it('never goes below 16 MiB nor above 512 MiB', () => {
    expect(defaultPipelineLagBytes(128 * MiB)).toBe(16 * MiB);
    expect(defaultPipelineLagBytes(0)).toBe(16 * MiB);
    expect(defaultPipelineLagBytes(64 * 1024 * MiB)).toBe(512 * MiB);
    expect(defaultPipelineLagBytes(Number.POSITIVE_INFINITY)).toBe(512 * MiB);
  });

  it('reads the least of the machine, the container and the heap limit', () => {
    const limit = processMemoryLimit();
    expect(limit).toBeGreaterThan(0);
    expect(limit).toBeLessThanOrEqual(os.totalmem());
    expect(limit).toBeLessThanOrEqual(v8.getHeapStatistics().heap_size_limit);
    const constrained = process.constrainedMemory?.();
    if (constrained) expect(limit).toBeLessThanOrEqual(constrained);
  });

  it('is what the embedded config holds unless MAX_PIPELINE_LAG_BYTES says otherwise', () => {
    expect(loadConfig({}).maxPipelineLagBytes).toBe(defaultPipelineLagBytes(processMemoryLimit()));
    expect(loadConfig({ MAX_PIPELINE_LAG_BYTES: String(900 * MiB) }).maxPipelineLagBytes).toBe(900 * MiB);
  });

  it('is 512 MiB with a JetStream log, whose backlog is not in this process', () => {
    const scaleOut = {
      ROLE: 'ingest',
      NATS_URL: 'nats://127.0.0.1:4222',
      REDIS_URL: 'redis://127.0.0.1:6379',
      DATABASE_URL: 'postgres://x@127.0.0.1/db',
      CLICKHOUSE_URL: 'http://127.0.0.1:8123',
    };
    expect(loadConfig(scaleOut).maxPipelineLagBytes).toBe(512 * MiB);
    expect(loadConfig({ ...scaleOut, MAX_PIPELINE_LAG_BYTES: String(64 * MiB) }).maxPipelineLagBytes).toBe(64 * MiB);
  });
});
