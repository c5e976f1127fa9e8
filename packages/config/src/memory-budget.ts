import os from 'node:os';
import v8 from 'node:v8';

const MiB = 1024 * 1024;

/**
 * The default bound on data logged but not yet stored (`MAX_PIPELINE_LAG_BYTES`), from the
 * memory the process may use. The file log keeps those records in memory until the pipeline
 * stores them, ~3.4 bytes of heap per logged byte (bench/log-lag-memory.ts), and replays them
 * into memory again after a restart: a bound larger than the memory makes the process die of
 * it, and die again on every start, instead of answering 503. A sixteenth of the memory keeps
 * the queue near a fifth of it at the bound; at least 16 MiB, at most 512 MiB.
 */
export function defaultPipelineLagBytes(memoryBytes: number): number {
  const sixteenth = Math.floor(memoryBytes / 16 / MiB) * MiB;
  return Math.min(512 * MiB, Math.max(16 * MiB, sixteenth));
}

/**
 * The default bound with a JetStream log (scale-out): its backlog waits on the NATS server, not
 * in the ingest process, and the stream's own budget (`NATS_MAX_BYTES`) also applies.
 */
export const STREAM_LAG_BYTES = 512 * MiB;

/** The least of the container's memory limit, the machine's memory and V8's heap limit, in bytes. */
export function processMemoryLimit(): number {
  // 0 or absent without a limit; cgroup v1 reports an unlimited group as 2^64.
  const constrained = process.constrainedMemory?.() || Number.POSITIVE_INFINITY;
  return Math.min(constrained, os.totalmem(), v8.getHeapStatistics().heap_size_limit);
}
