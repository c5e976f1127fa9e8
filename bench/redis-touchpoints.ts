/**
 * bench/redis-touchpoints: memory per touchpoint of the Redis touchpoint index, and the round
 * trips ingest and the workers pay per request: a dedupe claim, a touch add, an install's three
 * lookups, next to a bare PING on the same connection. Prints one JSON line.
 *   node --import tsx bench/redis-touchpoints.ts
 * Runs its own `redis-server` on a free loopback port (no persistence), so INFO memory counts
 * only this bench. Options (env): TOUCHES (200000), SHARDS (touches ÷ 64), CONCURRENCY (32),
 * SAMPLES (2000, sequential round trips per measure), REDIS_SERVER (redis-server).
 * The touch mix is bench/attribution's (bench/lib/touch-mix.ts), so bytes per touch compare.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { Touchpoint } from '@unmogrowp/attribution';
import { RedisDedupeIndex } from '@unmogrowp/pipeline';
import { openRedis, type RedisHandle, RedisTouchpointIndex } from '@unmogrowp/storage';
import { touchMix } from './lib/touch-mix.ts';

const N = Number(process.env.TOUCHES ?? 200_000);
const SHARDS = Number(process.env.SHARDS ?? Math.max(1, Math.ceil(N / 64)));
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 32);
const SAMPLES = Number(process.env.SAMPLES ?? 2000);
const WEEK = 7 * 86_400_000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

async function startRedis(): Promise<{ url: string; child: ChildProcess; dir: string }> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'unmogrowp-bench-redis-'));
  const child = spawn(
    process.env.REDIS_SERVER ?? 'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  const probe = openRedis(url, { onError: () => {} });
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await probe.ping();
      break;
    } catch (err) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`redis-server did not start: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  probe.client.disconnect();
  return { url, child, dir };
}

async function usedMemory(redis: RedisHandle): Promise<number> {
  const info = await redis.client.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1]);
}

/** Sum of MEMORY USAGE over every key of the index (what each key costs, allocator overhead included). */
async function keyBytes(redis: RedisHandle): Promise<{ keys: number; bytes: number; byKind: Record<string, number> }> {
  let cursor = '0';
  let keys = 0;
  let bytes = 0;
  const byKind: Record<string, number> = {};
  do {
    const [next, batch] = await redis.client.scan(cursor, 'MATCH', `${redis.prefix}tp:*`, 'COUNT', 1000);
    cursor = next;
    const pipeline = redis.client.pipeline();
    for (const key of batch) pipeline.memory('USAGE', key, 'SAMPLES', 0);
    const sizes = (await pipeline.exec()) ?? [];
    batch.forEach((key, i) => {
      const size = Number(sizes[i]?.[1] ?? 0);
      const kind = key.slice(redis.prefix.length + 3).replace(/:\d+$/, '');
      byKind[kind] = (byKind[kind] ?? 0) + size;
      bytes += size;
      keys++;
    });
  } while (cursor !== '0');
  return { keys, bytes, byKind };
}

async function roundTrips(run: (i: number) => Promise<unknown>): Promise<{ p50_us: number; p99_us: number; per_s: number }> {
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < SAMPLES; i++) {
    const t = performance.now();
    await run(i);
    times.push((performance.now() - t) * 1000);
  }
  const elapsed = performance.now() - started;
  times.sort((a, b) => a - b);
  return {
    p50_us: Math.round(times[Math.floor(times.length * 0.5)]!),
    p99_us: Math.round(times[Math.floor(times.length * 0.99)]!),
    per_s: Math.round(SAMPLES / (elapsed / 1000)),
  };
}

const server = await startRedis();
const redis = openRedis(server.url, { prefix: 'bench:' });
try {
  const makeTouch = touchMix(N);
  const index = await RedisTouchpointIndex.open(redis, { shards: SHARDS });
  const before = await usedMemory(redis);
  await redis.client.config('RESETSTAT');
  const cpuBefore = process.cpuUsage();

  // Throughput: CONCURRENCY adds in flight (auto-pipelined into shared writes), as a worker batch does.
  const samples: Touchpoint[] = [];
  let kept = 0;
  let next = 0;
  const addStarted = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) {
        const t = makeTouch(next++);
        if (next % Math.max(1, Math.floor(N / 10_000)) === 0) samples.push(t);
        if (await index.add(t)) kept++;
      }
    }),
  );
  const addSeconds = (performance.now() - addStarted) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  // CPU per add on each side, which the machine's load does not inflate the way wall time is.
  const serverUsPerAdd = Number(
    /cmdstat_evalsha:calls=\d+,usec=\d+,usec_per_call=([\d.]+)/.exec(await redis.client.info('commandstats'))?.[1],
  );
  const clientUsPerAdd = (cpu.user + cpu.system) / N;
  const after = await usedMemory(redis);
  const perKey = await keyBytes(redis);

  const ping = await roundTrips(() => redis.client.ping());
  const extra = touchMix(SAMPLES, 99);
  const addOne = await roundTrips((i) => index.add(extra(i)));
  const dedupe = new RedisDedupeIndex(redis, { windowDays: 7 });
  const claimOne = await roundTrips((i) => dedupe.claim([`app_1\u0000evt_${i}`], Date.now()));
  const claimBatch = await roundTrips((i) =>
    dedupe.claim(
      Array.from({ length: 100 }, (_, j) => `app_1\u0000batch_${i}_${j}`),
      Date.now(),
    ),
  );
  const install = await roundTrips(async (i) => {
    const t = samples[i % samples.length]!;
    await Promise.all([
      index.byClickId(t.app_id, i % 2 ? t.touch_id : `clk_${i}`),
      index.byAdvertisingId(t.app_id, t.advertising_id, t.ts - WEEK),
      index.byDevice(t.app_id, t.ip, t.platform, t.os_version, t.ts - 86_400_000),
    ]);
  });
  // Eviction walks every shard: the hourly call's cost at this size, forgetting the older half.
  const evictStarted = performance.now();
  const evicted = await index.evictBefore(Date.UTC(2026, 4, 1) + WEEK / 2);
  const evictMs = Math.round(performance.now() - evictStarted);
  const encodings: Record<string, number> = {};
  for (const key of (await redis.client.scan('0', 'MATCH', `${redis.prefix}tp:r:*`, 'COUNT', 200))[1]) {
    const encoding = String(await redis.client.object('ENCODING', key));
    encodings[encoding] = (encodings[encoding] ?? 0) + 1;
  }

  console.log(
    JSON.stringify({
      bench: 'redis-touchpoints',
      touches_offered: N,
      touches_kept: kept,
      shards: SHARDS,
      used_memory_bytes_per_touch: +((after - before) / kept).toFixed(1),
      memory_usage_bytes_per_touch: +(perKey.bytes / kept).toFixed(1),
      memory_usage_by_kind_per_touch: Object.fromEntries(Object.entries(perKey.byKind).map(([k, v]) => [k, +(v / kept).toFixed(1)])),
      keys: perKey.keys,
      record_shard_encodings_sampled: encodings,
      adds_per_s_concurrent: Math.round(N / addSeconds),
      add_cpu_us: { redis: +serverUsPerAdd.toFixed(1), node: +clientUsPerAdd.toFixed(1) },
      concurrency: CONCURRENCY,
      ping_round_trip: ping,
      add_round_trip: addOne,
      claim_1_round_trip: claimOne,
      claim_100_round_trip: claimBatch,
      install_lookups_round_trip: install,
      evict_half: { forgotten: evicted, ms: evictMs },
      load_average: +loadavg()[0]!.toFixed(2),
    }),
  );
} finally {
  redis.client.disconnect();
  server.child.kill('SIGTERM');
  await new Promise((r) => server.child.once('exit', r));
  rmSync(server.dir, { recursive: true, force: true });
}
